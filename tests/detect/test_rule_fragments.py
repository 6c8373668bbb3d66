"""Regex fragments: a rule file's `fragments:` defined once, referenced as {{name}}, expanded at
load time; unknown names are errors; the rule cache sees fragment edits."""

from __future__ import annotations

import os
import textwrap

import pytest

from keystow.detect.rule_schema import REFERENCE
from keystow.detect.ruleset import builtin_rule_files, load_rule_file, load_rules
from keystow.errors import RuleError

RULES = """
fragments:
  body: '[a-z0-9]{20}'
  token: 'dmo_{{body}}'
rules:
  - id: demo-token
    name: Demo token
    severity: high
    regex: '\\b(?P<secret>{{token}})\\b'
    examples: ['t = dmo_k3j4h5g6f7d8s9a0q1w2 {{token}}']
    negative_examples: ['t = dmo_short']
  - id: demo-token-quoted
    name: Demo token, quoted
    severity: high
    regex: '"(?P<secret>{{token}})"[ ]{0,2}'
    examples: ['t = "dmo_k3j4h5g6f7d8s9a0q1w2"']
    negative_examples: ['t = dmo_short']
"""


def write(tmp_path, text, name="rules.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_references_expand_before_compiling_and_fragments_can_use_earlier_ones(tmp_path):
    first, second = load_rule_file(write(tmp_path, RULES))
    assert first.regex == r"\b(?P<secret>dmo_[a-z0-9]{20})\b"
    assert second.regex == '"(?P<secret>dmo_[a-z0-9]{20})"[ ]{0,2}'  # {0,2}: a quantifier, not a reference
    assert first.examples == ("t = dmo_k3j4h5g6f7d8s9a0q1w2 {{token}}",)  # only regexes expand


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("{{token}})\\b", "{{tokn}})\\b"),
            "rule 'demo-token': unknown fragment {{tokn}} (fragments in this file: body, token)",
        ),
        (("{{token}})\\b", "{{ token }})\\b"), "rule 'demo-token': unknown fragment {{ token }}"),
        (
            ("  token: 'dmo_{{body}}'", "  token: 'dmo_{{later}}'\n  later: 'x'"),
            "fragment 'token': unknown fragment {{later}} (fragments above it: body)",
        ),
        (
            ("  body: '[a-z0-9]{20}'", "  Body: '[a-z0-9]{20}'"),
            "fragment name 'Body' must be lower-case letters, digits and '_'",
        ),
        (("  body: '[a-z0-9]{20}'", "  body: [1]"), "fragment 'body' must be a string, not [1]"),
    ],
)
def test_a_bad_reference_or_fragment_is_one_clear_error(tmp_path, change, message):
    path = write(tmp_path, RULES.replace(*change))
    with pytest.raises(RuleError) as error:
        load_rule_file(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)


def test_fragments_belong_to_their_file(tmp_path):
    defines = write(tmp_path, RULES, "a.yaml")
    uses = write(tmp_path, "rules:" + RULES.split("rules:")[1].replace("demo-token", "other-token"), "b.yaml")
    with pytest.raises(RuleError, match=r"b\.yaml: rule 'other-token': unknown fragment \{\{token\}\} "
                                        r"\(fragments in this file: none\)"):
        load_rules((defines, uses), builtin=False)


def test_the_rule_cache_sees_a_fragment_edit(tmp_path):
    path = write(tmp_path, RULES)
    assert load_rules((path,), builtin=False).by_id("demo-token").regex.endswith("{20})\\b")
    stat = path.stat()
    path.write_text(path.read_text().replace("[a-z0-9]{20}", "[a-z0-9]{24}"))  # the same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # an edit a second later
    assert load_rules((path,), builtin=False).by_id("demo-token").regex.endswith("{24})\\b")


def test_builtin_regexes_hold_no_unexpanded_reference():
    assert not [r.id for r in load_rules().rules if REFERENCE.search(r.regex)]


def test_the_secret_name_alternation_is_written_once():
    [generic] = [p for p in builtin_rule_files() if p.name == "generic.yaml"]
    text = generic.read_text(encoding="utf-8")
    assert text.count("passw(?:or)?ds?") == 1 and text.count("master[_.-]?keys?") == 1
    rules = load_rule_file(generic)
    # the 14, plus generic-password-weak, generic-annotation-literal and generic-symbol-pair
    assert sum("passw(?:or)?ds?|passwort" in r.regex for r in rules) == 17

"""Rule loading: the schema is enforced with one clear error naming file and rule."""

from __future__ import annotations

import textwrap

import pytest

from keystow.detect.matcher import compile_database, hyperscan_available
from keystow.detect.ruleset import load_rule_file, load_rules
from keystow.errors import RuleError
from tests.detect.rulekit import VALID


def write(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_valid_rule_loads_with_defaults(tmp_path):
    [rule] = load_rule_file(write(tmp_path, VALID))
    assert rule.id == "demo-token"
    assert rule.window == 1024 and rule.entropy is None and rule.validator is None
    assert rule.secret_group() == "secret"


@pytest.mark.parametrize("change, message", [
    (("id: demo-token", "id: Demo_Token"), "kebab-case"),
    (("severity: high", "severity: urgent"), "'severity' must be one of"),
    (("regex: '\\b(?P<secret>dmo_[a-z0-9]{20})\\b'", "regex: '(unclosed'"), "does not compile"),
    (("negative_examples: ['t = dmo_short']", "negative_examples: []"), "needs at least 1 entry"),
    (("tags: [demo]", "tags: [demo]\n    colour: red"), "unknown key"),
    (("tags: [demo]", "tags: [demo]\n    validator: nope"), "unknown validator"),
])
def test_invalid_rule_names_file_and_rule(tmp_path, change, message):
    path = write(tmp_path, VALID.replace(*change))
    with pytest.raises(RuleError) as error:
        load_rule_file(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_broken_yaml_is_one_clear_error(tmp_path):
    with pytest.raises(RuleError, match="not valid YAML"):
        load_rule_file(write(tmp_path, "rules: [\n"))


def test_duplicate_ids_across_files_are_rejected(tmp_path):
    first = write(tmp_path, VALID)
    second = tmp_path / "more.yaml"
    second.write_text(textwrap.dedent(VALID))
    with pytest.raises(RuleError, match="already defined"):
        load_rules((first, second), builtin=False)


@pytest.mark.skipif(not hyperscan_available(), reason="hyperscan not installed")
def test_hyperscan_rejection_names_the_rule(tmp_path):
    # Python re accepts a lookahead; Hyperscan does not, and the error must say which rule.
    path = write(tmp_path, VALID.replace("\\b'", "(?=x)'"))
    ruleset = load_rules((path,), builtin=False)
    with pytest.raises(RuleError, match="demo-token.*Hyperscan rejects"):
        compile_database(ruleset)

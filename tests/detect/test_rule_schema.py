"""rules/rule.schema.json: every rule file is checked against it when parsed, with one clear line
per violation; and it accepts exactly the keys the code uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import jsonschema
import pytest
import yaml

from keystow.detect import rule_schema
from keystow.detect.rule_schema import schema_path
from keystow.detect.ruleset import DEFAULT_WINDOW, Rule, builtin_rule_files, load_rule_file, parse_rule
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.errors import RuleError
from keystow.findings import SEVERITIES
from tests.detect.rulekit import DEMO, DEMO_TOKEN, GH, VALID, rule, ruleset

SCHEMA = json.loads(schema_path().read_text(encoding="utf-8"))
RULE_SCHEMA = SCHEMA["$defs"]["rule"]



def load(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(text))
    return load_rule_file(path)


def error_of(tmp_path, text) -> str:
    with pytest.raises(RuleError) as error:
        load(tmp_path, text)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path / "rules.yaml") + ": ")
    return message


def test_the_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_accepts_exactly_the_keys_a_rule_carries():
    # An accepted key that no Rule field takes would be silently ignored (as `confidence` was).
    assert set(RULE_SCHEMA["properties"]) == set(Rule._fields) - {"source"}
    assert RULE_SCHEMA["additionalProperties"] is False and SCHEMA["additionalProperties"] is False


def test_the_schema_agrees_with_the_code_on_values_and_defaults():
    properties = RULE_SCHEMA["properties"]
    assert tuple(properties["severity"]["enum"]) == tuple(SEVERITIES)
    assert properties["kind"]["default"] == Rule._field_defaults["kind"]
    assert properties["confidence"]["default"] == Rule._field_defaults["confidence"]
    assert properties["window"]["default"] == DEFAULT_WINDOW
    loaded = parse_rule(rule("demo", "x"), "<test>")
    assert (loaded.kind, loaded.confidence, loaded.window) == ("provider", "high", DEFAULT_WINDOW)


def test_confidence_is_carried_onto_findings():
    """`confidence` was accepted and ignored; now a rule's findings report it (a checksum failure
    kept by `invalid_checksum = "low"` still reports low)."""
    text = f"t = '{DEMO_TOKEN}'\ngh = 'ghp_{'a' * 36}'\n"
    medium = {**DEMO, "confidence": "medium"}
    gh_medium = {**GH, "confidence": "medium"}
    scanner = Scanner(ruleset(medium, gh_medium), FilterPolicy(invalid_checksum="low"), "re")
    found = {f.rule_id: f.confidence for f in scanner.scan(Blob("t.py", text.encode()))}
    assert found == {"demo-token": "medium", "gh-token": "low"}


@pytest.mark.parametrize(
    "change, message",
    [
        (("tags: [demo]", "tags: [demo]\n    colour: red"), "rule 'demo-token': unknown key 'colour'"),
        (
            ("tags: [demo]", "tags: [demo]\n    window: wide"),
            "rule 'demo-token': key 'window' must be an integer, not 'wide'",
        ),
        (("tags: [demo]", "tags: demo"), "rule 'demo-token': key 'tags' must be a list, not 'demo'"),
        (("tags: [demo]", "tags: [demo, 7]"), "rule 'demo-token': key 'tags' (entry 2) must be a string, not 7"),
        (("    examples: ['t = dmo_k3j4h5g6f7d8s9a0q1w2']\n", ""), "rule 'demo-token': missing key 'examples'"),
        (
            ("examples: ['t = dmo_k3j4h5g6f7d8s9a0q1w2']", "examples: []"),
            "rule 'demo-token': key 'examples' needs at least 1 entry",
        ),
        (("    examples:", "    exmaples:"), "rule 'demo-token': unknown key 'exmaples', missing key 'examples'"),
        (
            ("tags: [demo]", "tags: [demo]\n    kind: special"),
            "rule 'demo-token': key 'kind' must be one of provider, generic, not 'special'",
        ),
        (
            ("tags: [demo]", "tags: [demo]\n    confidence: 0.9"),
            "rule 'demo-token': key 'confidence' must be one of high, medium, low, not 0.9",
        ),
        (
            ("tags: [demo]", "tags: [demo]\n    entropy: 9"),
            "rule 'demo-token': key 'entropy' must be between 0 and 8, not 9",
        ),
        (
            ("tags: [demo]", "tags: [demo]\n    entropy: .nan"),
            "rule 'demo-token': key 'entropy' must be between 0 and 8, not nan",
        ),
        (("id: demo-token", "id: Demo_Token"), "rule 'Demo_Token': key 'id' must be kebab-case"),
        (("  - id: demo-token\n    name:", "  - name:"), "rule #1: missing key 'id'"),
        (("rules:", "rule:"), "unknown top-level key 'rule', missing top-level key 'rules'"),
    ],
)
def test_a_violation_is_one_line_naming_file_rule_and_key(tmp_path, change, message):
    assert message in error_of(tmp_path, VALID.replace(*change))


def test_the_first_bad_rule_is_the_one_reported(tmp_path):
    second = VALID.replace("rules:\n", "").replace("demo-token", "demo-two")
    text = VALID + second.replace("tags: [demo]", "tags: [demo]\n    colour: red") + second.replace(
        "demo-two", "demo-three").replace("tags: [demo]", "tags: 3")
    assert error_of(tmp_path, text).endswith("rule 'demo-two': unknown key 'colour'")


def test_a_rule_that_is_not_a_mapping_is_named_by_position(tmp_path):
    assert error_of(tmp_path, VALID + "  - just text\n").endswith("rule #2: must be a mapping, not 'just text'")


def test_parse_rule_applies_the_same_schema():
    with pytest.raises(RuleError, match=r"^<test>: rule 'demo': unknown key 'confidance'$"):
        parse_rule(rule("demo", "x", confidance="low"), "<test>")


def test_the_builtin_rule_files_validate():
    for path in builtin_rule_files():
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        rule_schema.validate_file(document, str(path))


def test_a_cached_load_never_imports_jsonschema(tmp_path):
    """Validation runs when YAML is parsed (a rule-cache miss); the hook's cached path does not
    pay for the jsonschema import."""
    probe = ("import sys\nfrom keystow.detect.ruleset import load_rules\nload_rules()\n"
             "print('jsonschema' in sys.modules)\n")
    env = {**os.environ, "KEYSTOW_CACHE_DIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]  # miss: validated; hit: not imported

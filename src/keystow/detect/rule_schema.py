"""The rule file schema (rules/rule.schema.json) and regex fragments.

Only the parse path (a rule-cache miss) imports `jsonschema` and reads the schema; the hook's
cached path loads pickled rules and never gets here. A violation is one RuleError line naming the
file, the rule and the offending key.

Fragments: a rule file's top-level `fragments:` maps names to regex text, and `{{name}}` in a
rule's `regex` (or in a later fragment) is replaced by that text verbatim before the regex is
compiled. They are per file, so a rule file reads on its own and the rule cache, keyed by the
rule files, sees every fragment change.
"""

from __future__ import annotations

import re
from pathlib import Path

from keystow.errors import RuleError

# A reference is {{name}}; anything else between double braces is reported, not left in a regex.
REFERENCE = re.compile(r"\{\{([^{}]*)\}\}")
FRAGMENT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TYPES = {"string": "a string", "integer": "an integer", "number": "a number", "array": "a list",
          "object": "a mapping", "boolean": "true or false"}
_PATTERN_HINTS = {r"\S": "a non-empty string", FRAGMENT_NAME.pattern: "lower-case letters, digits and '_'",
                  r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "kebab-case (a-z, 0-9, '-')"}

_validators: dict[str, object] = {}


def schema_path() -> Path:
    # Next to the built-in rule files (see ruleset.builtin_rule_files).
    return Path(__file__).resolve().parent.parent / "rules" / "rule.schema.json"


def _validator(definition: str | None):
    """A validator for the whole file (None) or for one of its $defs."""
    validator = _validators.get(definition or "")
    if validator is None:
        # late: the hook imports this module and json, jsonschema are on its no-import list
        import json

        import jsonschema

        schema = json.loads(schema_path().read_text(encoding="utf-8"))
        if definition:
            schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
        validator = _validators[definition or ""] = jsonschema.Draft202012Validator(schema)
    return validator


def validate_file(document: object, path: str) -> None:
    """RuleError for the first schema violation in a parsed rule file (rules included)."""
    error, siblings = _first_error(_validator(None), document)
    if error is None:
        return
    location = list(error.absolute_path)
    if location[:1] == ["rules"] and len(location) >= 2 and isinstance(document, dict):
        index = location[1]
        raise RuleError(f"{path}: {_rule_label(document['rules'][index], index)}: "
                        f"{_describe(error, siblings, location[2:], 'key')}")
    if not isinstance(document, dict):
        raise RuleError(f"{path}: expected a mapping with a 'rules' list")
    if location[:1] == ["fragments"] and "propertyNames" in error.schema_path:
        hint = _PATTERN_HINTS[FRAGMENT_NAME.pattern]
        raise RuleError(f"{path}: fragment name {_show(error.instance)} must be {hint}")
    if location[:1] == ["fragments"] and len(location) == 2:
        raise RuleError(f"{path}: {_problem(error, f'fragment {_show(location[1])}')}")
    raise RuleError(f"{path}: {_describe(error, siblings, location, 'top-level key')}")


def validate_rule(raw: object, source: str) -> None:
    """RuleError for the first schema violation in one rule (a mapping from a rule file)."""
    error, siblings = _first_error(_validator("rule"), raw)
    if error is not None:
        raise RuleError(f"{source}: {_rule_label(raw, None)}: "
                        f"{_describe(error, siblings, list(error.absolute_path), 'key')}")


def _first_error(validator, instance):
    """The most relevant violation in the first place that has any (file-level problems, then
    rules in order), and the other violations at that same place."""
    # late: the hook imports this module; jsonschema is on its no-import list; its cached path never validates
    from jsonschema.exceptions import best_match

    errors = list(validator.iter_errors(instance))
    if not errors:
        return None, []

    def place(error) -> tuple:
        location = list(error.absolute_path)
        return (1, location[1]) if location[:1] == ["rules"] and len(location) > 1 else (0, 0)

    first = min(place(error) for error in errors)
    errors = [error for error in errors if place(error) == first]
    best = best_match(errors)
    return best, [error for error in errors if error.absolute_path == best.absolute_path]


def _rule_label(raw: object, index: int | None) -> str:
    rule_id = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(rule_id, str) and rule_id.strip():
        return f"rule {rule_id!r}"
    return f"rule #{index + 1}" if index is not None else "rule '?'"


def _describe(error, siblings: list, location: list, noun: str) -> str:
    """The violation in a mapping (a rule or the file), naming the key (and list entry) it is in.
    Unknown and missing keys at the same place are named together: a misspelt key is both."""
    if not location:
        keys = []
        for sibling in siblings:
            if sibling.validator == "additionalProperties":
                known = sibling.schema.get("properties", {})
                keys.append("unknown " + _keys(noun, [k for k in sibling.instance if k not in known]))
        for sibling in siblings:
            if sibling.validator == "required":
                missing = [k for k in sibling.validator_value if k not in sibling.instance]
                keys.append("missing " + _keys(noun, missing))
        if keys:
            return ", ".join(keys)
        if error.validator == "type":
            return f"must be a mapping, not {_show(error.instance)}"
        return _show_message(error)
    subject = f"{noun} {_show(location[0])}"
    if len(location) > 1:
        entry = location[1]
        subject += f" (entry {entry + 1})" if isinstance(entry, int) else f" ({_show(entry)})"
    return _problem(error, subject)


def _keys(noun: str, keys: list) -> str:
    return f"{noun}{'s' if len(keys) > 1 else ''} {', '.join(map(_show, keys))}"


def _problem(error, subject: str) -> str:
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "type":
        expected = " or ".join(_TYPES.get(t, t) for t in ([value] if isinstance(value, str) else value))
        return f"{subject} must be {expected}, not {_show(instance)}"
    if kind == "enum":
        return f"{subject} must be one of {', '.join(map(str, value))}, not {_show(instance)}"
    if kind == "pattern":
        hint = _PATTERN_HINTS.get(value, f"a string matching {value}")
        return f"{subject} must be {hint}, not {_show(instance)}"
    if kind in ("minimum", "maximum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        return f"{subject} must be between {low} and {high}, not {_show(instance)}"
    if kind == "minItems":
        return f"{subject} needs at least {value} entr{'y' if value == 1 else 'ies'}"
    return f"{subject}: {_show_message(error)}"


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _show_message(error) -> str:
    """jsonschema's own message, for a violation without a phrasing here: one line, bounded."""
    text = " ".join(error.message.split())
    return text if len(text) <= 160 else text[:157] + "..."


def resolve_fragments(fragments: dict[str, str], path: str) -> dict[str, str]:
    """The file's fragments with their own references expanded; each may use those above it."""
    resolved: dict[str, str] = {}
    for name, text in fragments.items():
        resolved[name] = expand(text, resolved, f"{path}: fragment {name!r}", "fragments above it")
    return resolved


def expand(regex: str, fragments: dict[str, str], where: str, known_as: str = "fragments in this file") -> str:
    """`regex` with every {{name}} replaced by its fragment; RuleError for an unknown name."""
    if "{{" not in regex:
        return regex

    def replace(reference: re.Match[str]) -> str:
        name = reference.group(1)
        if name not in fragments:
            known = ", ".join(fragments) or "none"
            raise RuleError(f"{where}: unknown fragment {{{{{name}}}}} ({known_as}: {known})")
        return fragments[name]

    return REFERENCE.sub(replace, regex)

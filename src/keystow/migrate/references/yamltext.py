"""Putting a reference where a secret sat inside a YAML or JSON scalar, quoting only as needed."""

from __future__ import annotations

import json
import re

from keystow.migrate.references.base import (
    FileChange,
    Site,
    enclosing_quotes,
    line_bounds,
)

# A plain YAML scalar cannot start with these; a reference starting with one needs quotes.
YAML_INDICATORS = "{[*&!%@`|>'\"#,?-"
VALUE_START = re.compile(r"(?:^|\s)-\s+$|:\s+$")  # `key: VALUE` or `- VALUE`


def replace_in_scalar(text: str, site: Site, ref: str, change: FileChange, is_json: bool = False) -> None:
    found = enclosing_quotes(text, site, "\"'")
    if found and found[2] == "'" and not is_json:
        change.replace(site, site.start, site.end, ref.replace("'", "''"))
    elif found:
        change.replace(site, site.start, site.end, json.dumps(ref)[1:-1])
    elif is_json:
        change.skip(site, "not inside a JSON string")
    elif _is_whole_plain_value(text, site) and ref[:1] in YAML_INDICATORS:
        change.replace(site, site.start, site.end, json.dumps(ref))
    elif ": " in ref or " #" in ref:
        change.skip(site, "the reference cannot sit inside this plain scalar")
    else:
        change.replace(site, site.start, site.end, ref)


def _is_whole_plain_value(text: str, site: Site) -> bool:
    start, end = line_bounds(text, site.start)
    before = text[start:site.start].rstrip()
    after = text[site.end:end].split(" #", 1)[0].strip()
    in_flow = before.endswith(("{", "[", ",")) or (before.endswith(":") and after[:1] in (",", "}", "]"))
    if in_flow and after[:1] in (",", "}", "]"):
        return True  # a value of a flow mapping or sequence: {a: SECRET, b: 1}
    return bool(VALUE_START.search(text[start:site.start])) and not after


def line_key(text: str, offset: int) -> str | None:
    """The mapping key on the line holding offset (`Password` in `  Password: x`)."""
    start, end = line_bounds(text, offset)
    stripped = text[start:offset].strip().lstrip("-").strip()
    key, sep, _ = stripped.partition(":")
    return key.strip().strip("\"'") if sep else None

"""Putting a reference where a secret sat inside a YAML or JSON scalar, quoting only as needed.

The parser says which scalar holds the secret and how that scalar is written; only the secret's
own characters change, escaped for that style, so quotes, comments and layout stay as they were.
"""

from __future__ import annotations

import json

from keystow.migrate.references.base import BoundSite, FileChange
from keystow.migrate.references.yamlnodes import BLOCK_STYLES, Scalar, parse

# A plain YAML scalar cannot start with these; a reference starting with one needs quotes.
YAML_INDICATORS = "{[*&!%@`|>'\"#,?-"
FLOW_INDICATORS = ",[]{}"


def replace_in_scalar(text: str, site: BoundSite, ref: str, change: FileChange, is_json: bool = False) -> None:
    new, reason = scalar_reference(text, site, ref, is_json)
    if new is None:
        change.skip(site, reason)
    else:
        change.replace(site, site.start, site.end, new)


def scalar_reference(text: str, site: BoundSite, ref: str, is_json: bool = False) -> tuple[str | None, str]:
    """(the text that replaces the site's characters, "") or (None, why nothing can)."""
    documents = parse(text)
    if documents is None:
        return None, "the file does not parse as JSON" if is_json else "the file does not parse as YAML"
    scalar = documents.scalar_at(site.start, site.end)
    if scalar is None:
        return None, "not inside a JSON string" if is_json else "not inside a YAML value (a comment?)"
    if scalar.is_key:
        return None, "the secret is a mapping key"
    if not (scalar.content[0] <= site.start and site.end <= scalar.content[1]):
        return None, "the secret runs over the scalar's quotes"
    if scalar.style == "'" and not is_json:
        return ref.replace("'", "''"), ""
    if scalar.style == '"':
        return json.dumps(ref)[1:-1], ""
    if is_json:
        return None, "not inside a JSON string"
    if scalar.style in BLOCK_STYLES:
        return ref, ""  # a literal or folded block takes any characters on its lines
    return _in_plain(scalar, site, ref)


def _in_plain(scalar: Scalar, site: BoundSite, ref: str) -> tuple[str | None, str]:
    if _fits_plain(ref, scalar.in_flow, at_start=site.start == scalar.content[0]):
        return ref, ""
    if (site.start, site.end) == scalar.content:
        return json.dumps(ref), ""  # the whole value: quoting it keeps it one string
    return None, "the reference cannot sit inside this plain scalar"


def _fits_plain(ref: str, in_flow: bool, at_start: bool) -> bool:
    """Whether `ref` reads back as the same characters inside a plain scalar."""
    if at_start and ref[:1] in YAML_INDICATORS:
        return False
    if ": " in ref or " #" in ref or ref.endswith(":"):
        return False
    return not (in_flow and any(c in ref for c in FLOW_INDICATORS))

"""`.keystow-refs.toml`: which environment variable comes from which store entry.

`keystow run -- CMD` reads it, resolves each reference and starts CMD with the values in its
environment. keystow only appends lines, so hand edits and comments survive.
"""

from __future__ import annotations

import re

MANIFEST = ".keystow-refs.toml"
HEADER = ("# Environment variables and where `keystow run` reads them from (written by keystow migrate).\n"
          "# ssm:/name is a Parameter Store SecureString; secretsmanager:name#key a key of a JSON secret.\n")
# `NAME = "ref"` (an environment variable) or `"file:PATH" = "ref"` (a file `keystow run --file` writes)
ENTRY = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*|"file:[^"\\]+")\s*=\s*"([^"]*)"', re.M)


def existing_entries(text: str | None) -> dict[str, str]:
    return {name.strip('"'): reference for name, reference in ENTRY.findall(text or "")}


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else f'"{name}"'


def render_manifest(old: str | None, entries: dict[str, str]) -> str:
    text = old if old is not None else HEADER
    present = existing_entries(old)
    newline = "\r\n" if "\r\n" in text else "\n"
    for name, reference in sorted(entries.items()):
        if name not in present:
            text += ("" if text.endswith("\n") or not text else newline) + f'{_key(name)} = "{reference}"{newline}'
    return text

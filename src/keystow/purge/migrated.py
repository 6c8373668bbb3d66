"""Reference names of secrets `keystow migrate` already moved into AWS, by fingerprint.

The migrate plan (`keystow-plan.json`) and journals (`.keystow/journal-*.json`) store hashes and
reference names, never values; the history replacement for a migrated secret is its reference
name (e.g. `ssm:/app/db_password`) so a reader of old commits knows where the value went.
Unreadable or foreign files are skipped: purging must not depend on migrate's details.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

REFERENCE_KEYS = ("reference_name", "reference", "ref")
STORE_KEYS = ("store", "store_kind", "backend")
NAME_KEYS = ("name", "parameter", "parameter_name", "secret_name", "store_name")


def migrated_references(repo: Path) -> dict[str, str]:
    references: dict[str, str] = {}
    for path in _candidate_files(repo):
        for entry in _entries(_load(path)):
            reference = _reference(entry)
            if reference:
                references.setdefault(entry["fingerprint"], reference)
    return references


def _candidate_files(repo: Path) -> list[Path]:
    journals = sorted((repo / ".keystow").glob("journal-*.json"), reverse=True)  # newest first
    return [*journals, repo / "keystow-plan.json"]


def _load(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _entries(node: object) -> Iterator[dict]:
    """Every JSON object, at any depth, that carries a fingerprint."""
    if isinstance(node, dict):
        if isinstance(node.get("fingerprint"), str):
            yield node
        for value in node.values():
            yield from _entries(value)
    elif isinstance(node, list):
        for value in node:
            yield from _entries(value)


def _reference(entry: dict) -> str | None:
    for key in REFERENCE_KEYS:
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return _one_line(value)
    store = next((entry[k] for k in STORE_KEYS if isinstance(entry.get(k), str)), None)
    name = next((entry[k] for k in NAME_KEYS if isinstance(entry.get(k), str)), None)
    return _one_line(f"{store}:{name}") if store and name else None


def _one_line(text: str) -> str | None:
    """A replace-text replacement must be one line without '==>'."""
    text = text.strip()
    return None if ("\n" in text or "\r" in text or "==>" in text) else text

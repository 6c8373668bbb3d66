"""Minimal, atomic, reversible file edits.

`apply_edits` turns a text and its edits into the new text plus, per edit, where it landed in the
new text and how to rebuild the old text from literal pieces and secret ids (never values). That
record is what lets a rollback restore a file byte for byte from the values read back from the
store. Files are written by `keystow.fs.write_atomic(..., durable=True)`: a crash leaves the old or
the new file, never half.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from keystow.migrate.references.base import Edit, encoded

PIECE_KINDS = ("value", "base64")  # how a secret can appear in an edit's old text
BINARY_FILE = "base64"  # a journal entry's `encoding`: the file's text is its bytes in base64


class RewriteError(Exception):
    """A bug in an edit list (overlap, a literal holding a secret): never written to disk."""


@dataclass(frozen=True)
class AppliedEdit:
    start: int  # in the new text
    end: int
    old: tuple[tuple[str, str], ...]  # ("text", literal) | ("value" | "base64", value id)

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "old": [list(part) for part in self.old]}

    @staticmethod
    def from_json(data: dict) -> AppliedEdit:
        return AppliedEdit(data["start"], data["end"], tuple((k, v) for k, v in data["old"]))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> str | None:
    """The file's text, exactly reversible with `encode` (BOM and line endings kept); None if not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def encode(text: str, encoding: str = "") -> bytes:
    """The file's bytes for its text; "base64": a binary file whose text is its base64 (a keystore)."""
    if encoding == BINARY_FILE:
        return base64.b64decode(text, validate=True)
    return text.encode("utf-8")


def apply_edits(text: str, edits: list[Edit], values: dict[str, str]) -> tuple[str, list[AppliedEdit]]:
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    pieces, applied, cursor, shift = [], [], 0, 0
    for edit in ordered:
        if edit.start < cursor:
            raise RewriteError("overlapping edits")
        pieces.append(text[cursor:edit.start])
        new_start = edit.start + shift
        applied.append(AppliedEdit(new_start, new_start + len(edit.new), split_old(text[edit.start:edit.end], values)))
        pieces.append(edit.new)
        shift += len(edit.new) - (edit.end - edit.start)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces), applied


def split_old(old: str, values: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Literal pieces and value ids whose concatenation is `old`; no literal holds a secret, nor
    its base64 form (a Kubernetes Secret's `data:` value): that piece is ("base64", value id)."""
    parts: list[tuple[str, str]] = []
    forms = [(kind, value_id, piece_text(kind, value)) for value_id, value in values.items() if value
             for kind in PIECE_KINDS]
    ordered = sorted(forms, key=lambda form: -len(form[2]))
    while old:
        hits = [(old.find(form), -len(form), kind, value_id) for kind, value_id, form in ordered if form in old]
        if not hits:
            parts.append(("text", old))
            break
        at, negative_length, kind, value_id = min(hits)
        if at:
            parts.append(("text", old[:at]))
        parts.append((kind, value_id))
        old = old[at - negative_length:]
    return tuple(parts)


def piece_text(kind: str, value: str) -> str:
    """What a ("value" | "base64", id) piece of an edit's old text stood for."""
    return encoded(value, "" if kind == "value" else kind)


def restore(text: str, applied: list[AppliedEdit], values: dict[str, str]) -> str:
    """The text before the edits, given the new text and the values the edits removed."""
    # Last first; of edits that landed at one offset (adjacent removals), the later one first,
    # so each old text goes back in front of the one that followed it.
    for edit in reversed(sorted(applied, key=lambda e: e.start)):
        old = "".join(v if kind == "text" else piece_text(kind, values[v]) for kind, v in edit.old)
        text = text[:edit.start] + old + text[edit.end:]
    return text

"""Inline allow comments: the developer's one-line way to accept a false positive."""

from __future__ import annotations

SAME_LINE_MARKERS = (b"keystow:allow", b"pragma: allowlist secret", b"gitleaks:allow")
NEXT_LINE_MARKERS = (b"keystow:allow-next-line", b"pragma: allowlist nextline secret")


def is_allowed_inline(line: bytes, previous_line: bytes) -> bool:
    """True when the line carries an allow marker, or the line above says allow-next-line."""
    if any(marker in previous_line for marker in NEXT_LINE_MARKERS):
        return True
    return any(marker in line and not _is_next_line_marker(line, marker) for marker in SAME_LINE_MARKERS)


def _is_next_line_marker(line: bytes, marker: bytes) -> bool:
    """`keystow:allow-next-line` contains `keystow:allow` but allows the next line, not this one."""
    return marker == b"keystow:allow" and line.count(marker) == line.count(b"keystow:allow-next-line")

"""Where bytes come from: paths on disk, the index, history. Each yields `Blob` or `Skipped`."""

from __future__ import annotations

from typing import NamedTuple


class Skipped(NamedTuple):
    """Something not scanned, and why (shown as one line; counted in the summary)."""

    path: str
    reason: str
    kind: str = "skipped"  # binary | too-large | unreadable | symlink | missing | skipped

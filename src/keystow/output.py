"""Where commands write: results to stdout or a file, one-line notices to stderr."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def notice(message: str) -> None:
    """One line on stderr; never carries a secret (callers pass paths, counts and rule ids)."""
    print(f"keystow: {message}", file=sys.stderr)


def emit(text: str, output: Path | None = None) -> None:
    """The report, to a file (owner-only permissions) or stdout."""
    if output is None:
        sys.stdout.buffer.write(text.encode("utf-8", errors="surrogateescape"))
        sys.stdout.flush()
        return
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as handle:
        handle.write(text)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty() and os.environ.get("NO_COLOR") is None

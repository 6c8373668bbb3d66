"""Progress on stderr for long work (history and large path scans, migrate apply, purge,
scan-repos): counts, bytes, rate and elapsed time, redrawn in place.

Shown only to a person: stderr is a terminal, `--quiet` was not given, and the run is not in CI
(`CI=true`, as GitHub Actions and GitLab set it) nor on a dumb terminal. `rich` is imported only
when a display is actually shown, so the pre-commit hook and piped runs never load it.
Nothing here prints a secret: callers pass counts and paths.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

# Redraws at most this often: a history of a million blobs calls update a million times.
MIN_INTERVAL = 0.1


def wanted(quiet: bool = False) -> bool:
    """Whether a progress display belongs on this stderr."""
    if quiet or not _isatty(sys.stderr):
        return False
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        return False
    return os.environ.get("TERM") != "dumb"


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """`with Progress("scanning history", enabled) as progress: progress.update(...)`.

    `update(done, bytes_done=None, total=None, note="")`: `done` counts the work's units
    (`unit`, e.g. blobs); a known `total` adds a bar. Disabled, every call is a no-op.
    """

    def __init__(self, label: str, enabled: bool, unit: str = "blobs") -> None:
        self.label, self.enabled, self.unit = label, enabled, unit
        self._display: Any = None  # rich.progress.Progress, imported only when shown
        self._task: Any = None
        self._started = time.monotonic()
        self._last = 0.0

    def __enter__(self) -> Progress:
        if self.enabled:
            self._start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._display is not None:
            self._display.stop()
            self._display = None

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        console = Console(file=sys.stderr, no_color=bool(os.environ.get("NO_COLOR")) or None)
        self._display = RichProgress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
            console=console, transient=True, refresh_per_second=10)
        self._task = self._display.add_task(f"{self.label}: starting", total=None)
        self._display.start()
        self._display.refresh()  # drawn now, not at the first tick: a slow first step still shows

    def update(self, done: int, bytes_done: int | None = None, total: int | None = None, note: str = "") -> None:
        if self._display is None:
            return
        now = time.monotonic()
        if now - self._last < MIN_INTERVAL and (total is None or done < total):
            return
        self._last = now
        text = describe(self.label, self.unit, done, bytes_done, now - self._started, note)
        self._display.update(self._task, description=text, completed=done, total=total)


def describe(label: str, unit: str, done: int, bytes_done: int | None, elapsed: float, note: str = "") -> str:
    """`scanning history: 1,204 blobs, 3.1 MB at 2.4 MB/s (note)`."""
    text = f"{label}: {done:,} {unit}"
    if bytes_done is not None:
        rate = bytes_done / elapsed / 1e6 if elapsed > 0 else 0.0
        text += f", {bytes_done / 1e6:,.1f} MB at {rate:,.1f} MB/s"
    return f"{text} ({note})" if note else text

"""Where a baseline lives, and how a finding's path becomes an entry's path.

Entry paths are relative to the baseline file's directory (normally the repository root), with
forward slashes. Files on disk are reported relative to the current directory; git sources
report repository paths: each is resolved from its own anchor.
"""

from __future__ import annotations

import os
from pathlib import Path


def baseline_path(options, config) -> Path:
    """`--baseline FILE` as given; else the configured name at the scanned repository's root."""
    if getattr(options, "baseline", None):
        return Path(options.baseline)
    return repository_root(scan_start(options)) / config.baseline


def scan_start(options) -> Path:
    """The directory a scan is about: its first path when that is a directory, else cwd."""
    first = Path(options.paths[0]) if options.paths and options.paths[0] != "-" else Path.cwd()
    return first if first.is_dir() else Path.cwd()


def is_git_scan(options) -> bool:
    return bool(options.staged or options.history or options.range or options.since or options.pre_push)


def path_anchor(options) -> Path:
    """What a finding's relative path is relative to: the repository root for git sources
    (their paths are repository paths), the current directory for files on disk."""
    return repository_root(scan_start(options)) if is_git_scan(options) else Path.cwd()


def repository_root(start: Path) -> Path:
    """The nearest directory upwards holding `.git`, without running git (the hook path is hot)."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start


def relative_path(path: str, base: Path, anchor: Path | None = None) -> str:
    """A finding's path relative to the baseline's directory, with forward slashes."""
    if path.startswith("<"):  # <stdin>
        return path
    real = Path(path) if os.path.isabs(path) else (anchor or Path.cwd()) / path
    try:
        return Path(os.path.relpath(real, base)).as_posix()
    except ValueError:
        return Path(path).as_posix()

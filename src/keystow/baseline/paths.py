"""Where a baseline lives, and how a finding's path becomes an entry's path.

Entry paths are relative to the baseline file's directory (normally the repository root), with
forward slashes. Files on disk are reported relative to the current directory; git sources
report repository paths: each is resolved from its own anchor.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple


class Scope(NamedTuple):
    """Where a scan's baseline lives and how its findings' paths are read."""

    file: Path    # the baseline file
    root: Path    # the scanned repository's root (history findings re-read their secrets there)
    anchor: Path  # what a finding's relative path is relative to
    within: Path | None = None  # where a configured baseline must stay (None: --baseline FILE, the user's choice)


def scope_for(paths: tuple[str, ...], git_scan: bool, configured: str, explicit: Path | None = None) -> Scope:
    """`explicit` (--baseline FILE) as given, else the configured name at the scanned
    repository's root. Git sources report repository paths; files on disk are reported relative
    to the current directory."""
    root = repository_root(scan_start(paths))
    anchor = root if git_scan else Path.cwd()
    if explicit is not None:
        return Scope(explicit, root, anchor)
    return Scope(configured_file(root, configured), root, anchor, root)


def configured_file(root: Path, configured: str) -> Path:
    """The baseline a repository's config names: a path inside the repository (a config saying
    `baseline = "/home/u/.bash_profile"` must not make `baseline create` write there)."""
    from keystow import fs
    from keystow.errors import ConfigError

    path = root / configured
    if os.path.isabs(configured) or not fs.is_within(path.parent, root) or \
            (path.is_symlink() and not fs.is_within(path, root)):
        raise ConfigError(f"baseline {configured!r} is outside the repository {root}; the config may only name a "
                          "file inside it (pass --baseline FILE to use another)")
    return path


def scan_start(paths: tuple[str, ...]) -> Path:
    """The directory a scan is about: its first path when that is a directory, else cwd."""
    first = Path(paths[0]) if paths and paths[0] != "-" else Path.cwd()
    return first if first.is_dir() else Path.cwd()


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

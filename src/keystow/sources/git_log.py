"""Which commit first introduced each (blob, path): one streamed `git log --raw -z` pass.

Commits come oldest first (`--reverse --date-order`: parents always before children), so the
first time a (blob, path) pair shows up is the commit that introduced it. `--root` shows the
root commit's files; merges are diffed against their first parent, which lists what a merge
itself brought in (a conflict resolution, an "evil" merge) — side-branch blobs were already
seen in the side branch's own commits. Renames are off: a renamed file is its blob at a new
path, and that is a new location.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from keystow import git
from keystow.errors import FatalError
from keystow.findings import Provenance
from keystow.git.raw_diff import NULL_PREFIX, SCANNED_MODES

HEADER = b"\x01"
FIELD = b"\x1f"
LOG_FORMAT = "--format=%x01%H%x1f%an%x1f%ae%x1f%aI"


# `scan --log-opts`: git log options that only narrow which commits are walked. Anything else
# could change the output keystow parses (--format, --raw), run programs (--ext-diff, textconv)
# or read files (--stdin), so it is refused rather than passed on.
LOG_OPTION_ALLOWLIST = ("--since=", "--until=", "--after=", "--before=", "--author=", "--committer=",
                        "--max-count=", "--skip=", "--grep=", "--no-merges", "--first-parent",
                        "--max-age=", "--min-age=")


def checked_log_options(options: list[str]) -> list[str]:
    """`options` if every one is on the allow-list (exact flag or `--name=value`), else FatalError."""
    for option in options:
        if not any(option == allowed or (allowed.endswith("=") and option.startswith(allowed))
                   for allowed in LOG_OPTION_ALLOWLIST):
            names = ", ".join(a + ("VALUE" if a.endswith("=") else "") for a in LOG_OPTION_ALLOWLIST)
            raise FatalError(f"--log-opts: {option!r} is not allowed; allowed: {names}")
    return options


def log_args(revisions: list[str]) -> list[str]:
    return ["log", "--reverse", "--date-order", "--raw", "-z", "--no-renames", "--no-abbrev",
            "--root", "--diff-merges=first-parent", "--no-textconv", "--no-ext-diff",
            "--no-color", "--no-mailmap", LOG_FORMAT, *revisions, "--"]


def iter_introductions(repo: Path, revisions: list[str]) -> Iterator[tuple[str, str, Provenance]]:
    """(blob id, path, provenance) for each (blob, path) a commit in `revisions` adds or changes."""
    seen: set[tuple[str, str]] = set()
    for blob, path, provenance in _parse(git.stream_git(log_args(revisions), repo)):
        key = (blob, path)
        if key not in seen:
            seen.add(key)
            yield blob, path, provenance


def _parse(chunks: Iterator[bytes]) -> Iterator[tuple[str, str, Provenance]]:
    provenance: Provenance | None = None
    pending_blob: str | None = None  # set after a raw entry: the next token is its path
    expect_path = False
    rest = b""
    for chunk in chunks:
        tokens = (rest + chunk).split(b"\0")
        rest = tokens.pop()
        for token in tokens:
            if expect_path:
                expect_path = False
                if pending_blob is not None and provenance is not None:
                    yield pending_blob, os.fsdecode(token), provenance
                continue
            token = token.lstrip(b"\n")
            if token.startswith(HEADER):
                provenance = _provenance(token[1:])
            elif token.startswith(b":"):
                pending_blob = _added_blob(token)
                expect_path = True


def _provenance(header: bytes) -> Provenance:
    commit, name, email, date = header.decode("utf-8", "replace").split("\x1f", 3)
    return Provenance(commit, name, email, date.strip())


def _added_blob(meta: bytes) -> str | None:
    """The new-side blob of a raw entry `:old_mode new_mode old_id new_id status`, when it is
    file content that now exists (not a deletion, symlink or submodule)."""
    fields = meta[1:].split(b" ")
    if len(fields) < 5 or fields[1] not in SCANNED_MODES:
        return None
    blob = fields[3].decode()
    return None if blob.startswith(NULL_PREFIX) else blob

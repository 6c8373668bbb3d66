"""`git diff --raw -z` output → (path, blob id) of the files a change adds or modifies.

Shared by `scan --staged` and the hook's quick path (so it imports nothing but `os`).
"""

from __future__ import annotations

import os

SCANNED_MODES = (b"100644", b"100755", b"100664")  # regular files; not symlinks or submodules
NULL_PREFIX = "0" * 20
# How `scan --staged` diffs the index against its base: renames found, no program the repository
# configures (external diff, textconv) run, submodules left out.
STAGED_DIFF_OPTIONS = ("--cached", "-M", "--no-ext-diff", "--no-textconv", "--no-color", "--ignore-submodules=all")


def changed_blobs(output: bytes) -> list[tuple[str, str]]:
    """(path, new blob id) of each entry that is added, modified, renamed or copied into a
    regular file; deletions, unmerged paths, symlinks and submodules are left out."""
    tokens = output.split(b"\0")
    entries = []
    index = 0
    while index < len(tokens):
        meta = tokens[index].lstrip(b"\n")
        index += 1
        if not meta.startswith(b":"):
            continue
        fields = meta[1:].split(b" ")
        paths = 2 if fields[4][:1] in (b"R", b"C") else 1
        path = os.fsdecode(tokens[index + paths - 1])
        index += paths
        blob = fields[3].decode()
        if fields[4][:1] not in (b"D", b"U") and fields[1] in SCANNED_MODES and not blob.startswith(NULL_PREFIX):
            entries.append((path, blob))
    return entries

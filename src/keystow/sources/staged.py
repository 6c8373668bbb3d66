"""What `keystow scan --staged` reads: the staged blobs and the lines they add, from the index.

Inside a hook the index may be a temporary one (`git commit -a`, `git commit PATH`):
GIT_INDEX_FILE is honoured. Renames are detected; deletions and unmerged paths are not listed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from keystow import git
from keystow.git.raw_diff import STAGED_DIFF_OPTIONS, changed_blobs

HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
DIFF_OPTIONS = STAGED_DIFF_OPTIONS


def staged_blobs(root: Path, base: str) -> list[tuple[str, str]]:
    """(path, index blob id) of each staged file that is added, modified, renamed or copied."""
    output = git.run_git(["diff", *DIFF_OPTIONS, "--raw", "-z", "--no-abbrev", base, "--"], root,
                         keep_index=True).stdout
    return changed_blobs(output)


def added_lines(root: Path, base: str) -> dict[str, list[tuple[int, int]]]:
    """path → [(first, last)] line ranges added or changed in the staged version.

    `--text`: a scanned repository's `.gitattributes` (`-diff`, `binary`, a `diff=` driver set
    binary) would otherwise turn the diff into "Binary files differ" with no lines at all."""
    output = git.run_git(["diff", *DIFF_OPTIONS, "--text", "-U0", "--src-prefix=a/", "--dst-prefix=b/", base, "--"],
                         root, keep_index=True).stdout
    ranges: dict[str, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] | None = None
    for line in output.split(b"\n"):
        if line.startswith(b"+++ "):
            path = _patch_path(line[4:])
            current = None if path is None else ranges.setdefault(path, [])
        elif current is not None and line.startswith(b"@@ "):
            match = HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or b"1")
                if count:
                    current.append((start, start + count - 1))
    return ranges


def _patch_path(raw: bytes) -> str | None:
    """`b/path` or a C-quoted `"b/pa\\tth"` from a `+++` line; None for /dev/null."""
    if raw.startswith(b'"') and raw.endswith(b'"'):
        raw = _unquote(raw[1:-1])
    elif raw.endswith(b"\t"):  # git adds a tab after a name with spaces (a real tab is quoted)
        raw = raw[:-1]
    return os.fsdecode(raw[2:]) if raw.startswith(b"b/") else None


ESCAPES = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12, ord("r"): 13,
           ord('"'): 34, ord("\\"): 92}


def _unquote(raw: bytes) -> bytes:
    out = bytearray()
    index = 0
    while index < len(raw):
        byte = raw[index]
        if byte != 92 or index + 1 >= len(raw):
            out.append(byte)
            index += 1
        elif raw[index + 1] in ESCAPES:
            out.append(ESCAPES[raw[index + 1]])
            index += 2
        else:  # three octal digits
            out.append(int(raw[index + 1:index + 4], 8))
            index += 4
    return bytes(out)

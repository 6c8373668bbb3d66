"""The pre-commit hook's quick path: a small staged change with nothing in it for any rule.

Most commits are a few clean files. This path answers them with two git processes (the staged
diff, then the blobs through one `cat-file --batch`) and the rule index of `keystow.detect.quick`,
importing nothing heavier than `os` and `marshal` (and `re` for the rules whose keywords occur).
Whenever it cannot be sure, it returns None and the hook runs the full `scan --staged`, which
then prints the findings, the notices and any error:

- a keystow config (`.keystow.toml`, a `pyproject.toml` naming keystow) or a baseline file in
  the work tree: they change what is reported, and only the full path reads them;
- no HEAD yet, a git failure, more than MAX_FILES files or SMALL_INPUT bytes staged;
- a blob that is missing, binary, UTF-16 or a Kubernetes Secret (decoded before scanning);
- any rule's regex matching anywhere (the full path decides whether it is a finding).
"""

from __future__ import annotations

import os

from keystow.detect import quick
from keystow.git.command import read_git
from keystow.git.raw_diff import STAGED_DIFF_OPTIONS, changed_blobs

MAX_FILES = 200  # the blob ids sent to cat-file fit a pipe buffer
CONFIG_FILES = (".keystow.toml", "pyproject.toml")
DEFAULT_BASELINE = ".keystow-baseline.json"  # keystow.config.Config.baseline's default


def quick_staged_counts(start: str = ".") -> tuple[int, int] | None:
    """(blobs, bytes) scanned when the staged change is small and no rule matches in it: the
    commit is clean. None: the full scan must decide."""
    root = work_tree_without_config(os.path.abspath(start))
    if root is None or os.path.lexists(os.path.join(root, DEFAULT_BASELINE)):
        return None
    index = quick.load_index()
    raw = read_git(["diff", *STAGED_DIFF_OPTIONS, "--raw", "-z", "--no-abbrev", "HEAD", "--"], root)
    if index is None or raw is None:
        return None
    entries = changed_blobs(raw)
    blobs = read_small_blobs(root, [blob for _, blob in entries]) if len(entries) <= MAX_FILES else None
    if blobs is None:
        return None
    for (path, _), data in zip(entries, blobs, strict=True):
        if not quick.quick_test_applies(data, path) or quick.has_candidate(index, path, data):
            return None
    return len(blobs), sum(len(data) for data in blobs)


def scanned_counts(blobs: int, size: int) -> str:
    """`scanned 3 blobs, 168 bytes`: how every text summary counts what was read."""
    amount = f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size} bytes"
    return f"scanned {blobs} blob{'s' if blobs != 1 else ''}, {amount}"


def work_tree_without_config(directory: str) -> str | None:
    """The work tree holding `directory` when no keystow config can apply there (the search
    `keystow.config.find_config` makes, from here up to the work tree's top); else None."""
    while True:
        for name in CONFIG_FILES:
            if _may_configure_keystow(os.path.join(directory, name)):
                return None
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None  # not in a work tree (GIT_DIR elsewhere?): the full path knows
        directory = parent


def _may_configure_keystow(path: str) -> bool:
    """A `.keystow.toml`, or a `pyproject.toml` that mentions keystow (without parsing TOML)."""
    if not os.path.lexists(path):
        return False
    if not path.endswith("pyproject.toml"):
        return True
    try:
        with open(path, "rb") as handle:
            return b"keystow" in handle.read()
    except OSError:
        return True


def read_small_blobs(root: str, blob_ids: list[str]) -> list[bytes] | None:
    """The blobs' contents through one `cat-file --batch`, or None when one is missing or all
    together exceed SMALL_INPUT bytes."""
    if not blob_ids:
        return []
    # Each answer is a header line (`<id> blob <size>`), the content and a newline.
    limit = quick.SMALL_INPUT + 100 * len(blob_ids)
    output = read_git(["cat-file", "--batch"], root, "".join(f"{b}\n" for b in blob_ids).encode(), limit)
    if output is None:
        return None
    blobs, offset = [], 0
    for _ in blob_ids:
        end = output.find(b"\n", offset)
        header = output[offset:end].split(b" ")
        if end < 0 or len(header) != 3 or header[1] != b"blob":
            return None  # missing, or not a blob
        size = int(header[2])
        blobs.append(output[end + 1:end + 1 + size])
        offset = end + 1 + size + 1
    return blobs if sum(len(b) for b in blobs) < quick.SMALL_INPUT else None

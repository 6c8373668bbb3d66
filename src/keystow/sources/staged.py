"""`keystow scan --staged`: the pre-commit path, read from the index, never the working tree.

Each staged file is scanned whole (a multi-line private key keeps its context) but a finding is
reported only when it touches a line added or changed relative to HEAD (or to the empty tree in
a repository with no commits yet). Renames are detected, so moving a file with an old secret
does not block the commit; deletions and unmerged paths are not scanned. Inside a hook the
index may be a temporary one (`git commit -a`, `git commit PATH`): GIT_INDEX_FILE is honoured.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from keystow import git
from keystow.config import Config
from keystow.detect.scanner import Blob, Scanner
from keystow.detect.text import to_scannable
from keystow.findings import Finding
from keystow.scan import ScanResult, path_allowlist
from keystow.sources import Skipped
from keystow.sources.git_log import SCANNED_MODES, NULL_PREFIX

HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
DIFF_OPTIONS = ("--cached", "-M", "--no-ext-diff", "--no-textconv", "--no-color", "--ignore-submodules=all")


def scan_staged(repo: Path, scanner: Scanner, config: Config) -> ScanResult:
    root = git.require_repository(Path(repo))
    base = "HEAD" if git.resolve_commit(root, "HEAD") else git.empty_tree(root)
    allowlist = path_allowlist(config)
    entries = [(path, blob) for path, blob in staged_blobs(root, base) if not allowlist.matches_relative(path)]
    changed = added_lines(root, base)
    result = ScanResult()
    answers = git.CatFile(root, config.max_file_size).read([blob for _, blob in entries])
    for (path, _), (blob, data, problem) in zip(entries, answers):
        if problem is not None:
            result.skipped.append(_skipped(path, problem))
            continue
        text = to_scannable(data)
        if text is None:
            result.skipped.append(Skipped(path, "binary file", "binary"))
            continue
        result.scanned_blobs += 1
        result.scanned_bytes += len(text)
        lines = changed.get(path) or _whole_if_git_saw_binary(data)
        found = scanner.scan_text(text, Blob(path, text, blob))
        result.findings.extend(f for f in found if _touches(f, lines))
    return result


def staged_blobs(root: Path, base: str) -> list[tuple[str, str]]:
    """(path, index blob id) of each staged file that is added, modified, renamed or copied."""
    output = git.run_git(["diff", *DIFF_OPTIONS, "--raw", "-z", "--no-abbrev", base, "--"], root,
                         keep_index=True).stdout
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


def added_lines(root: Path, base: str) -> dict[str, list[tuple[int, int]]]:
    """path → [(first, last)] line ranges added or changed in the staged version."""
    output = git.run_git(["diff", *DIFF_OPTIONS, "-U0", "--src-prefix=a/", "--dst-prefix=b/", base, "--"],
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


def _whole_if_git_saw_binary(data: bytes) -> list[tuple[int, int]]:
    """git shows no lines for what it thinks binary (a NUL in the first 8000 bytes), yet keystow
    reads UTF-16 text: then every line counts as changed, rather than none."""
    return [(1, data.count(b"\n") + 1)] if b"\0" in data[:8000] else []


def _touches(finding: Finding, ranges: list[tuple[int, int]]) -> bool:
    first, last = finding.line, finding.location.end_line
    return any(start <= last and first <= end for start, end in ranges)


def _skipped(path: str, problem: str) -> Skipped:
    if problem.startswith("too-large:"):
        size = int(problem.split(":", 1)[1])
        return Skipped(path, f"larger than the size limit ({size / (1 << 20):.1f} MiB)", "too-large")
    return Skipped(path, f"cannot read staged blob: {problem}", "unreadable")

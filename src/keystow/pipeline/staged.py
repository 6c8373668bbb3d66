"""`keystow scan --staged`: the pre-commit path, read from the index, never the working tree.

Each staged file is scanned whole (a multi-line private key keeps its context) but a finding is
reported only when it touches a line added or changed relative to HEAD (or to the empty tree in
a repository with no commits yet), so moving a file with an old secret does not block the commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from keystow import git
from keystow.config import Config
from keystow.detect.keystores import is_whole_file
from keystow.detect.quick import SMALL_INPUT
from keystow.detect.scanner import Blob, Scanner
from keystow.findings import Finding
from keystow.git.catfile import MISSING, TOO_LARGE, Answer, ReadProblem
from keystow.pipeline.result import ScanResult
from keystow.sources import Skipped
from keystow.sources.paths import path_allowlist
from keystow.sources.staged import added_lines, staged_blobs


def scan_staged(repo: Path, scanner: Scanner, config: Config) -> ScanResult:
    root = git.require_repository(Path(repo))
    base = "HEAD" if git.resolve_commit(root, "HEAD") else git.empty_tree(root)
    allowlist = path_allowlist(config)
    entries = [(path, blob) for path, blob in staged_blobs(root, base) if not allowlist.matches_relative(path)]
    changed = added_lines(root, base)
    result = ScanResult()
    answers = _engine_chosen(git.CatFile(root, config.max_file_size).read([blob for _, blob in entries]), scanner)
    for (path, _), (blob, data, problem) in zip(entries, answers, strict=True):
        if data is None:  # CatFile says why: missing, too large, unreadable
            result.skipped.append(_skipped(path, problem or ReadProblem(MISSING)))
            continue
        scanned = scanner.scan_bytes(Blob(path, data, blob))
        if scanned is None:
            result.skipped.append(Skipped(path, "binary file", "binary"))
            continue
        result.scanned_blobs += 1
        result.scanned_bytes += scanned[1]
        lines = changed.get(path) or _whole_if_git_saw_binary(data)
        result.findings.extend(f for f in scanned[0] if _touches(f, lines))
    return result


def _engine_chosen(answers: Iterator[Answer], scanner: Scanner) -> Iterator[Answer]:
    """The answers as they come, after telling the scanner how big the staged change is when it
    is small (then the `re` engine scans it); at most SMALL_INPUT bytes are held back."""
    held: list[Answer] = []
    size = 0
    for answer in answers:
        held.append(answer)
        size += len(answer[1] or b"")
        if size >= SMALL_INPUT:
            break
    scanner.use_re_for_small_input(size)
    yield from held
    yield from answers


def _whole_if_git_saw_binary(data: bytes) -> list[tuple[int, int]]:
    """git shows no lines for what it thinks binary (a NUL in the first 8000 bytes), yet keystow
    reads UTF-16 text: then every line counts as changed, rather than none."""
    return [(1, data.count(b"\n") + 1)] if b"\0" in data[:8000] else []


def _touches(finding: Finding, ranges: list[tuple[int, int]]) -> bool:
    if is_whole_file(finding.rule_id):  # a keystore: any change to the file is a change to it
        return bool(ranges)
    first, last = finding.line, finding.location.end_line
    return any(start <= last and first <= end for start, end in ranges)


def _skipped(path: str, problem: ReadProblem) -> Skipped:
    if problem.kind == TOO_LARGE:
        return Skipped(path, f"larger than the size limit ({problem.size / (1 << 20):.1f} MiB)", "too-large")
    return Skipped(path, f"cannot read staged blob: {problem.describe()}", "unreadable")

"""The git sources behind `keystow scan`: --staged, --history, --range/--since, --pre-push."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, NamedTuple

from keystow.config import Config
from keystow.detect.scanner import Scanner
from keystow.pipeline.result import ScanResult
from keystow.pipeline.staged import scan_staged


class GitSource(NamedTuple):
    """One git mode and what it needs (built by the scan command from its options)."""

    mode: str  # staged | history | range | pre-push
    repo: Path
    range: str | None = None  # mode range: BASE..HEAD
    push_lines: bytes = b""  # mode pre-push: git's ref lines
    push_remote: str | None = None  # mode pre-push: the remote pushed to


class HistoryOptions(NamedTuple):
    use_cache: bool = True
    need_secrets: bool = False  # re-read blobs the cache answered, to show their secrets
    jobs: int | None = None
    progress: Callable[[ScanResult], None] | None = None  # history sources: called as blobs are done
    log_options: tuple[str, ...] = ()  # --log-opts: extra `git log` options that narrow the walk


def scan_git_source(source: GitSource, config: Config, scanner: Scanner,
                    history: HistoryOptions = HistoryOptions()) -> ScanResult:
    shared = history._asdict()
    if source.mode == "staged":
        return scan_staged(source.repo, scanner, config)
    # late: the pre-commit hook takes the staged branch on every commit and must not pay for the
    # history machinery (its blob cache imports json and dataclasses)
    from keystow.pipeline import commits
    from keystow.pipeline.history import scan_history

    if source.mode == "history":
        return scan_history(source.repo, scanner, config, **shared)
    if source.mode == "range":
        return commits.scan_range(source.repo, source.range or "", scanner, config, **shared)
    if source.mode == "pre-push":
        return commits.scan_pre_push(source.repo, source.push_lines, scanner, config, source.push_remote, **shared)
    raise ValueError(f"unknown git source mode {source.mode!r}")

"""One task per repository: `scan_repository(spec, settings) -> RepoReport`.

It runs in a worker process (a local pool or a Dask worker), takes and returns plain picklable
values, and has no effect outside a temp dir it removes, so a scheduler may run it again after a
lost worker. An expected failure (missing path, failed clone) becomes an "error" report rather than
an exception, so one bad entry cannot sink the run; anything else is left to the caller's retries.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from keystow import git
from keystow.config import Config
from keystow.detect.scanner import Scanner
from keystow.errors import FatalError
from keystow.findings import sort_findings
from keystow.multirepo.model import (
    RedactedFinding,
    RepoReport,
    RepoScanSettings,
    RepoSpec,
    failed,
)
from keystow.multirepo.repolist import anonymize_url, resolve_references
from keystow.pipeline.history import scan_history
from keystow.pipeline.result import ScanResult
from keystow.pipeline.scanning import build_scanner, scan_blobs
from keystow.sources.paths import PathAllowlist, read_file

# One scanner per worker process and settings: the Hyperscan database loads from the on-disk
# cache once, not once per repository.
_SCANNERS: dict[tuple, Scanner] = {}


def scan_repository(spec: RepoSpec, settings: RepoScanSettings) -> RepoReport:
    try:
        return _scan(spec, settings)
    except FatalError as exc:
        # git may quote the URL in its own spelling: hide every URL's user part, not just ours
        return failed(spec, anonymize_url(str(exc).replace(spec.source, spec.display)))


def scanner_for(settings: RepoScanSettings) -> Scanner:
    key = (settings.config, settings.engine, settings.inline_allow)
    if key not in _SCANNERS:
        _SCANNERS[key] = build_scanner(settings.config, settings.engine, settings.inline_allow)
    return _SCANNERS[key]


def _scan(spec: RepoSpec, settings: RepoScanSettings) -> RepoReport:
    if not spec.is_url:
        return _scan_local(spec, Path(spec.source), settings, settings.use_cache)
    with tempfile.TemporaryDirectory(prefix="keystow-clone-") as tmp:
        clone = Path(tmp) / "repo"
        url = resolve_references(spec.source, dict(os.environ))  # here, on the worker: never in the task
        git.clone_repository(url, clone, bare=settings.mode == "history", timeout=settings.clone_timeout)
        return _scan_local(spec, clone, settings, use_cache=False)  # a cache in a temp clone dies with it


def _scan_local(spec: RepoSpec, path: Path, settings: RepoScanSettings, use_cache: bool) -> RepoReport:
    if not path.is_dir():
        raise FatalError("no such directory")
    root = git.require_repository(path)
    scanner = scanner_for(settings)
    if settings.mode == "history":
        result = _history(root, scanner, settings.config, use_cache)
    else:
        result = _worktree(root, scanner, settings.config)
    return to_report(spec, result)


def _history(root: Path, scanner: Scanner, config: Config, use_cache: bool) -> ScanResult:
    # jobs=1: the repositories are the unit of parallelism; no pool inside a pool worker.
    return scan_history(root, scanner, config, use_cache=use_cache, need_secrets=False, jobs=1)


def _worktree(root: Path, scanner: Scanner, config: Config) -> ScanResult:
    """Tracked and untracked-not-ignored files, with paths relative to the repository root."""
    allowlist = PathAllowlist(config.allow_paths, root)
    names = [n for n in git.listed_files(root) if not allowlist.matches_relative(n)]
    return scan_blobs(scanner, (read_file(name, root / name, config.max_file_size) for name in names))


def to_report(spec: RepoSpec, result: ScanResult) -> RepoReport:
    return RepoReport(
        spec, "ok",
        findings=tuple(RedactedFinding.of(f) for f in sort_findings(result.findings)),
        skipped=tuple(result.skipped), notices=tuple(result.notices),
        scanned_blobs=result.scanned_blobs, scanned_bytes=result.scanned_bytes,
    )

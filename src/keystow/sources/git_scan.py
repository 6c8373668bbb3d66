"""The git sources behind `keystow scan`: --staged, --history, --range, --since, --pre-push."""

from __future__ import annotations

import sys
from pathlib import Path

from keystow.config import Config
from keystow.detect.scanner import Scanner
from keystow.scan import ScanResult


def scan_git_source(options, config: Config, scanner: Scanner) -> ScanResult:
    """Dispatch on the one git mode `options` (a ScanOptions) names; paths[0] is the repository."""
    repo = Path(options.paths[0] if options.paths else ".")
    shared = dict(use_cache=options.use_cache, need_secrets=options.show_secrets, jobs=options.jobs)
    if options.staged:
        from keystow.sources.staged import scan_staged

        return scan_staged(repo, scanner, config)
    if options.history:
        from keystow.sources.history import scan_history

        return scan_history(repo, scanner, config, **shared)
    from keystow.sources import commits

    if options.range:
        return commits.scan_range(repo, options.range, scanner, config, **shared)
    if options.since:
        return commits.scan_range(repo, f"{options.since}..HEAD", scanner, config, **shared)
    return commits.scan_pre_push(repo, sys.stdin.buffer.read(), scanner, config, options.push_remote, **shared)

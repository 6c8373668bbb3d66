"""After the rewrite: scan history again, without the cache, for the purged fingerprints."""

from __future__ import annotations

from pathlib import Path

from keystow.config import Config
from keystow.detect.scanner import Scanner
from keystow.findings import Finding
from keystow.purge.history import history_findings


def remaining_findings(repo: Path, scanner: Scanner, config: Config, fingerprints: set[str]) -> list[Finding]:
    """Purged secrets still reachable from any ref (empty means the purge is proven)."""
    found = history_findings(repo, scanner, config, use_cache=False)
    return [f for f in found if f.fingerprint in fingerprints]

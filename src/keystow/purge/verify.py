"""After the rewrite: scan history again, without the cache, for the purged fingerprints."""

from __future__ import annotations

from pathlib import Path

from keystow.config import Config
from keystow.findings import Finding
from keystow.purge.history import history_findings


def remaining_findings(repo: Path, config: Config, fingerprints: set[str]) -> list[Finding]:
    """Purged secrets still reachable from any ref (empty means the purge is proven)."""
    return [f for f in history_findings(repo, config, use_cache=False) if f.fingerprint in fingerprints]

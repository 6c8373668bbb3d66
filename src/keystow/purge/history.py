"""The history scan purge selects from and verifies with: grouped findings, real secrets."""

from __future__ import annotations

from pathlib import Path

from keystow.config import Config
from keystow.findings import Finding
from keystow.scan import build_scanner
from keystow.sources.history import scan_history


def history_findings(repo: Path, config: Config, *, use_cache: bool = True) -> list[Finding]:
    """Every (rule, secret) reachable from any ref, each with all its locations."""
    result = scan_history(repo, build_scanner(config), config, use_cache=use_cache, need_secrets=True)
    return list(result.findings)

"""The history scan purge selects from and verifies with: grouped findings, real secrets."""

from __future__ import annotations

from pathlib import Path

from keystow.config import Config
from keystow.detect.scanner import Scanner
from keystow.findings import Finding, is_leak
from keystow.pipeline.history import scan_history


def history_findings(repo: Path, scanner: Scanner, config: Config, *, use_cache: bool = True,
                     progress=None) -> list[Finding]:
    """Every (rule, secret) reachable from any ref, each with all its locations. One scanner
    serves selection and verification: the rules cannot change (or break) in between. A
    provider's published documentation example is no secret: history is not rewritten for it."""
    result = scan_history(repo, scanner, config, use_cache=use_cache, need_secrets=True, progress=progress)
    return [finding for finding in result.findings if is_leak(finding)]

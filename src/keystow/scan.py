"""Scanning as a service: build the scanner from config, run a source through it, summarise.

The CLI calls these functions and renders what they return; nothing here prints.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from keystow.config import Config
from keystow.detect.ruleset import RuleSet, load_rules
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.detect.text import to_scannable
from keystow.findings import Finding
from keystow.sources import Skipped
from keystow.sources.paths import PathAllowlist, iter_path_blobs


class ScanResult:
    """What a scan found and what it could not scan (filled in as the scan goes)."""

    def __init__(self, findings: list[Finding] | None = None, skipped: list[Skipped] | None = None,
                 notices: list[str] | None = None, scanned_blobs: int = 0, scanned_bytes: int = 0) -> None:
        self.findings = findings if findings is not None else []
        self.skipped = skipped if skipped is not None else []
        self.notices = notices if notices is not None else []
        self.scanned_blobs = scanned_blobs
        self.scanned_bytes = scanned_bytes

    def __repr__(self) -> str:
        return (f"ScanResult({len(self.findings)} findings, {len(self.skipped)} skipped, "
                f"{self.scanned_blobs} blobs, {self.scanned_bytes} bytes)")

    def skipped_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.skipped:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        return counts


def load_ruleset(config: Config) -> RuleSet:
    return load_rules(config.extra_rules).without(set(config.disabled_rules))


def build_scanner(config: Config, engine: str = "auto", inline_allow: bool = True) -> Scanner:
    policy = FilterPolicy(
        inline_allow=inline_allow,
        allow_regexes=tuple(re.compile(r) for r in config.allow_regexes),
        stopwords=config.stopwords,
        invalid_checksum=config.invalid_checksum,
    )
    return Scanner(load_ruleset(config), policy, engine)


def path_allowlist(config: Config) -> PathAllowlist:
    base = Path(config.source).parent if config.source else Path.cwd()
    return PathAllowlist(config.allow_paths, base)


def scan_blobs(scanner: Scanner, items: Iterable[Blob | Skipped], result: ScanResult | None = None) -> ScanResult:
    """Run each blob through the scanner; binary blobs become `Skipped`."""
    result = result or ScanResult()
    for item in items:
        if isinstance(item, Skipped):
            result.skipped.append(item)
            continue
        data = to_scannable(item.data)
        if data is None:
            result.skipped.append(Skipped(item.path, "binary file", "binary"))
            continue
        result.scanned_blobs += 1
        result.scanned_bytes += len(data)
        result.findings.extend(scanner.scan_text(data, item))
    return result


def scan_paths(paths: list[str], config: Config, scanner: Scanner, recurse_submodules: bool = False) -> ScanResult:
    blobs = iter_path_blobs(paths, config.max_file_size, path_allowlist(config), recurse_submodules)
    return scan_blobs(scanner, blobs)

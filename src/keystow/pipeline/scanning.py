"""Scanning as a service: build the scanner from config, run a source through it, summarise.

The CLI calls these functions and renders what they return; nothing here prints.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from keystow.config import Config
from keystow.detect.keystores import RULES as KEYSTORE_RULES
from keystow.detect.ruleset import Rule, RuleSet, load_rules
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.result import ScanResult
from keystow.sources import Skipped
from keystow.sources.paths import iter_path_blobs, path_allowlist


def load_ruleset(config: Config) -> RuleSet:
    return load_rules(config.extra_rules).without(set(config.disabled_rules))


def keystore_rules(config: Config) -> tuple[Rule, ...]:
    """The structural keystore rules in force (no regex: detect/keystores.py reads binary blobs)."""
    return tuple(rule for rule_id, rule in KEYSTORE_RULES.items() if rule_id not in config.disabled_rules)


def unknown_disabled_rules(config: Config) -> list[str]:
    """Ids in `disabled_rules` that name no rule: a typo there silently disables nothing."""
    if not config.disabled_rules:  # the usual case, and the hook's: no second rule load
        return []
    known = {rule.id for rule in load_rules(config.extra_rules).rules} | set(KEYSTORE_RULES)
    return [rule_id for rule_id in config.disabled_rules if rule_id not in known]


def build_scanner(config: Config, engine: str = "auto", inline_allow: bool = True) -> Scanner:
    if config.allow_regexes:
        # late: the hook builds a scanner on every commit; only allow regexes need the ReDoS check
        from keystow.detect.backtracking import reject_backtracking_allow_regexes

        reject_backtracking_allow_regexes(config)
    policy = FilterPolicy(
        inline_allow=inline_allow,
        allow_regexes=tuple(re.compile(r) for r in config.allow_regexes),
        stopwords=config.stopwords,
        invalid_checksum=config.invalid_checksum,
        keystore_rules=tuple(rule.id for rule in keystore_rules(config)),
    )
    return Scanner(load_ruleset(config), policy, engine)


def scan_blobs(scanner: Scanner, items: Iterable[Blob | Skipped], result: ScanResult | None = None,
               progress: Callable[[ScanResult], None] | None = None) -> ScanResult:
    """Run each blob through the scanner; binary blobs other than keystores become `Skipped`. `progress`, when given,
    is called with the result after each item (a display reads its counts)."""
    result = result or ScanResult()
    for item in items:
        if progress is not None:
            progress(result)
        if isinstance(item, Skipped):
            result.skipped.append(item)
            continue
        scanned = scanner.scan_bytes(item)
        if scanned is None:
            result.skipped.append(Skipped(item.path, "binary file", "binary"))
            continue
        result.scanned_blobs += 1
        result.scanned_bytes += scanned[1]
        result.findings.extend(scanned[0])
    return result


def scan_paths(paths: list[str], config: Config, scanner: Scanner, recurse_submodules: bool = False,
               progress: Callable[[ScanResult], None] | None = None, include_ignored: bool = False) -> ScanResult:
    ignored: dict[str, int] = {}
    notices: list[str] = []
    blobs = iter_path_blobs(paths, config.max_file_size, path_allowlist(config), recurse_submodules, ignored, notices,
                            include_ignored)
    result = scan_blobs(scanner, blobs, progress=progress)
    result.notices.extend(notices)
    if ignored and not result.scanned_blobs and not result.skipped:
        hidden = sum(ignored.values())
        result.notices.append(f"nothing was scanned: {hidden} path(s) under {', '.join(paths)} ignored by "
                              f"{', '.join(sorted(ignored))}")
    return result

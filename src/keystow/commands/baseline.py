"""`keystow baseline create|update|prune|audit|import`: record accepted findings, keep them tidy.

Each function takes explicit arguments and returns an exit code. The scan behind them is the
ordinary `keystow scan` of the given paths, without the baseline applied.
"""

from __future__ import annotations

from pathlib import Path

from keystow import baseline as bl
from keystow.baseline.importers import import_file
from keystow.baseline.paths import repository_root, scan_start
from keystow.baseline.secrets import with_secrets
from keystow.commands.output import notice
from keystow.commands.scan import ScanOptions, baseline_scope, collect, load_scan_config
from keystow.errors import EXIT_CLEAN, FatalError
from keystow.findings import Finding
from keystow.pipeline.scanning import load_ruleset


def scan_findings(options: ScanOptions) -> tuple[list[Finding], Path, Path]:
    """Findings of the scan the options describe, the baseline file they belong to, and the
    directory their relative paths start from."""
    config = load_scan_config(options)
    scope = baseline_scope(options, config)
    findings = collect(options._replace(use_baseline=False), config).findings
    if any(not f.secret for f in findings):  # answered from the history cache: no secret kept
        findings = with_secrets(findings, scope.root)
    return [f for f in findings if f.secret], scope.file, scope.anchor


def located(findings: list[Finding], base: Path, anchor: Path):
    """(finding, path relative to the baseline's directory, line) for every location."""
    for finding in findings:
        for loc in finding.locations:
            yield finding, bl.relative_path(loc.path, base, anchor), loc.line


def create_baseline(options: ScanOptions, force: bool = False) -> int:
    findings, path, anchor = scan_findings(options)
    if path.exists() and not force:
        raise FatalError(f"{path} exists: use `keystow baseline update` to add to it, or --force to start over")
    baseline = bl.Baseline()
    added = _add_new(baseline, findings, path, anchor, _scope_of(options))
    bl.save(baseline, path, within_of(options))
    notice(f"wrote {path} with {added} entr{'y' if added == 1 else 'ies'}")
    return EXIT_CLEAN


def update_baseline(options: ScanOptions) -> int:
    """Add entries for new findings; existing entries and their annotations stay as they are."""
    findings, path, anchor = scan_findings(options)
    baseline = bl.load(path, within_of(options)) if path.exists() else bl.Baseline()
    added = _add_new(baseline, findings, path, anchor, _scope_of(options))
    bl.save(baseline, path, within_of(options))
    notice(f"added {added} entr{'y' if added == 1 else 'ies'} to {path} ({len(baseline.entries)} in all)")
    return EXIT_CLEAN


def _scope_of(options: ScanOptions) -> str | None:
    return bl.HISTORY if options.history else None


def _add_new(baseline: bl.Baseline, findings: list[Finding], path: Path, anchor: Path,
             scope: str | None = None) -> int:
    known = {e.key for e in baseline.entries}
    added = 0
    for finding, relative, line in located(findings, path.resolve().parent, anchor):
        if known & baseline.finding_keys(finding, relative, line):
            continue
        entry = baseline.entry_for(finding, relative, scope)
        baseline.entries.append(entry)
        known.add(entry.key)
        added += 1
    return added


def prune_baseline(options: ScanOptions) -> int:
    """Remove entries that match no current finding; say how many. Entries a history scan
    recorded are judged only by a history scan: a work-tree scan cannot see them."""
    findings, path, anchor = scan_findings(options)
    baseline = existing_baseline(path, within_of(options))
    matched = matched_keys(baseline, findings, path, anchor)
    before = len(baseline.entries)
    baseline.entries = [e for e in baseline.entries
                        if e.key in matched or (e.scope == bl.HISTORY and not options.history)]
    bl.save(baseline, path, within_of(options))
    removed = before - len(baseline.entries)
    notice(f"pruned {removed} entr{'y' if removed == 1 else 'ies'} matching nothing any more; "
           f"{len(baseline.entries)} left in {path}")
    return EXIT_CLEAN


def matched_keys(baseline: bl.Baseline, findings: list[Finding], path: Path, anchor: Path) -> set[tuple]:
    keys: set[tuple] = set()
    for finding, relative, line in located(findings, path.resolve().parent, anchor):
        keys |= baseline.finding_keys(finding, relative, line)
    return keys


def import_baseline(options: ScanOptions, source: Path) -> int:
    """Merge a detect-secrets baseline or a .gitleaksignore into ours."""
    config = load_scan_config(options)
    path = baseline_scope(options, config).file
    baseline = bl.load(path, within_of(options)) if path.exists() else bl.Baseline()
    known = {e.key for e in baseline.entries}
    new = [e for e in import_file(source, {r.id for r in load_ruleset(config).rules}) if e.key not in known]
    baseline.entries.extend(new)
    bl.save(baseline, path, within_of(options))
    notice(f"imported {len(new)} entr{'y' if len(new) == 1 else 'ies'} from {source} into {path}")
    return EXIT_CLEAN


def existing_baseline(path: Path, within: Path | None = None) -> bl.Baseline:
    if not path.exists():
        raise FatalError(f"{path}: no baseline yet; create one with `keystow baseline create`")
    return bl.load(path, within)


def within_of(options: ScanOptions) -> Path | None:
    """The repository a configured baseline must stay in; None for --baseline FILE (the user's choice)."""
    return None if options.baseline else repository_root(scan_start(options.paths))

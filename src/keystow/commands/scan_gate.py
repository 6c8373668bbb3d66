"""`keystow scan --range/--since/--pre-push` as a gate on changes nobody has reviewed yet.

What the changes under review say about keystow is not applied (keystow.pipeline.untrusted):
config and baseline come from the base revision, a change to them is a finding, an allow
comment counts only if the base already had it, and a changed file keystow could not read
(too large, binary) is listed in every report format and fails the gate unless
`--allow-skipped`. `--trust-head-config` runs the ordinary scan instead.
"""

from __future__ import annotations

from pathlib import Path

from keystow import git
from keystow.baseline import Scope, filter_result, relative_path
from keystow.commands.output import emit, notice
from keystow.commands.scan import (
    ScanOptions,
    _color,
    _print_skips,
    check_modes,
    exit_code,
    git_source,
    with_report_fingerprints,
)
from keystow.commands.unblock import unblock_hint
from keystow.config import Config, load_config
from keystow.errors import EXIT_FINDINGS
from keystow.pipeline import untrusted
from keystow.pipeline.git_modes import GitSource, HistoryOptions, scan_git_source
from keystow.pipeline.result import ScanResult
from keystow.pipeline.scanning import build_scanner
from keystow.report import ReportOptions, render

GATE_SKIPS = ("binary", "too-large")


def run_gate_scan(options: ScanOptions) -> int:
    check_modes(options)
    source = git_source(options)
    root = git.require_repository(source.repo)
    revisions = _revisions(root, source)
    trusted = untrusted.TrustedFiles(root, revisions)
    try:
        config, watched = _config(options, trusted, root)
        result = _scan(options, source, config, root, revisions)
        result = _baseline(options, config, trusted, root, result)
        result.findings.extend(untrusted.config_changes(root, revisions, config.baseline, watched))
        result = with_report_fingerprints(options, result, root, options.baseline or trusted.baseline(config.baseline))
    finally:
        trusted.close()
    hint = unblock_hint(staged=False, committed=True, history=False, gate="push" if options.pre_push else "range")
    report_options = ReportOptions(options.show_secrets, _color(options), options.verbose, hint, list_skipped=True)
    emit(render(options.format, result, report_options), options.output)
    _print_skips(result, options, gate=True)
    code = exit_code(result.findings, options.fail_on)
    skipped = [item for item in result.skipped if item.kind in GATE_SKIPS]
    if skipped and not options.allow_skipped:
        notice(f"{len(skipped)} changed file{'s' if len(skipped) != 1 else ''} could not be scanned (too large or "
               f"binary): the gate fails; pass --allow-skipped to accept them, or list them in allow_paths")
        return EXIT_FINDINGS
    return code


def _revisions(root: Path, source: GitSource) -> untrusted.GateRevisions:
    if source.mode == "range":
        return untrusted.range_revisions(root, source.range or "")
    return untrusted.push_revisions(root, source.push_lines, source.push_remote)


def _config(options: ScanOptions, trusted: untrusted.TrustedFiles, root: Path) -> tuple[Config, list[str]]:
    """The config the gate applies, and the repository files to watch for changes besides
    `.keystow.toml`, pyproject.toml and the baseline. An explicit --config is the pipeline's own
    choice and is used as given."""
    if options.config_file is not None:
        config = load_config(root, options.config_file)
        watched = [relative_path(str(p.resolve()), root) for p in (options.config_file, *config.extra_rules)]
    else:
        config = trusted.config()
        watched = trusted.extra_rule_paths
    for warning in config.warnings:
        notice(warning)
    if options.max_file_size is not None:
        config = config._replace(max_file_size=options.max_file_size)
    return config, [path for path in watched if not path.startswith("..")]


def _scan(options: ScanOptions, source: GitSource, config: Config, root: Path,
          revisions: untrusted.GateRevisions) -> ScanResult:
    # every allow comment reaches the gate; only those the base already had are applied
    scanner = build_scanner(config, options.engine, inline_allow=False)
    history = HistoryOptions(options.use_cache, options.show_secrets, options.jobs)
    result = scan_git_source(source, config, scanner, history)
    if options.inline_allow:
        result = untrusted.drop_base_allowed(root, revisions.base, result)
    return result


def _baseline(options: ScanOptions, config: Config, trusted: untrusted.TrustedFiles, root: Path,
              result: ScanResult) -> ScanResult:
    """BASE's baseline (or an explicit --baseline FILE), its entries keyed as the repository's."""
    if not options.use_baseline:
        return result
    if options.baseline is not None:
        return filter_result(result, Scope(options.baseline, root, root))
    # findings carry repository paths: anchored at the copy of BASE's tree, they resolve
    # against the copied baseline as they would against the repository's own
    return filter_result(result, Scope(trusted.baseline(config.baseline), root, trusted.tree))

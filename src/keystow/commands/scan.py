"""`keystow scan`: pick a source, scan it, filter, report, and turn the result into an exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

from keystow.baseline import Scope, filter_result, scope_for
from keystow.commands.output import emit, notice, stdout_is_tty
from keystow.config import Config, load_config
from keystow.errors import EXIT_CLEAN, EXIT_FINDINGS, FatalError
from keystow.findings import Finding, severity_rank
from keystow.pipeline.git_modes import GitSource, HistoryOptions, scan_git_source
from keystow.pipeline.result import ScanResult
from keystow.pipeline.scanning import build_scanner, scan_paths
from keystow.report import ReportOptions, render


class ScanOptions(NamedTuple):
    paths: tuple[str, ...] = (".",)
    format: str = "text"
    output: Path | None = None
    show_secrets: bool = False
    config_file: Path | None = None
    max_file_size: int | None = None
    engine: str = "auto"
    inline_allow: bool = True
    fail_on: str = "low"
    color: bool | None = None
    verbose: bool = False
    # git sources (see keystow.sources): at most one of these is set
    staged: bool = False
    history: bool = False
    range: str | None = None
    since: str | None = None
    pre_push: bool = False
    push_remote: str | None = None  # with pre_push: the remote pushed to (the hook's first argument)
    push_lines: bytes | None = None  # with pre_push: ref lines to use instead of reading stdin
    use_cache: bool = True
    jobs: int | None = None
    baseline: Path | None = None
    use_baseline: bool = True
    recurse_submodules: bool = False  # path scans: also the files of checked-out submodules


def run_scan(options: ScanOptions) -> int:
    config = load_scan_config(options)
    result = collect(options, config)
    result = apply_baseline(options, config, result)
    report_options = ReportOptions(options.show_secrets, _color(options), options.verbose)
    emit(render(options.format, result, report_options), options.output)
    _print_skips(result, options)
    return exit_code(result.findings, options.fail_on)


def load_scan_config(options: ScanOptions) -> Config:
    start = Path(options.paths[0]) if options.paths and options.paths[0] != "-" else Path.cwd()
    config = load_config(start if start.exists() else Path.cwd(), options.config_file)
    for warning in config.warnings:
        notice(warning)
    if options.max_file_size is not None:
        config = config._replace(max_file_size=options.max_file_size)
    return config


def collect(options: ScanOptions, config: Config) -> ScanResult:
    """Run the source the options name through a scanner built from config."""
    git_modes = [options.staged, options.history, bool(options.range), bool(options.since), options.pre_push]
    if sum(git_modes) > 1:
        raise FatalError("choose one of --staged, --history, --range, --since, --pre-push")
    if options.push_remote and not options.pre_push:
        raise FatalError("--remote applies to --pre-push")
    if any(git_modes) and options.recurse_submodules:
        raise FatalError("--recurse-submodules applies to path scans; scan a submodule's history in its own directory")
    scanner = build_scanner(config, options.engine, options.inline_allow)
    if any(git_modes):
        history = HistoryOptions(options.use_cache, options.show_secrets, options.jobs)
        return scan_git_source(git_source(options), config, scanner, history)
    return scan_paths(list(options.paths), config, scanner, options.recurse_submodules)


def git_source(options: ScanOptions) -> GitSource:
    """The one git mode the options name; paths[0] is the repository."""
    repo = Path(options.paths[0] if options.paths else ".")
    if options.staged:
        return GitSource("staged", repo)
    if options.history:
        return GitSource("history", repo)
    if options.range or options.since:
        return GitSource("range", repo, range=options.range or f"{options.since}..HEAD")
    lines = options.push_lines if options.push_lines is not None else sys.stdin.buffer.read()
    return GitSource("pre-push", repo, push_lines=lines, push_remote=options.push_remote)


def is_git_scan(options: ScanOptions) -> bool:
    return bool(options.staged or options.history or options.range or options.since or options.pre_push)


def baseline_scope(options: ScanOptions, config: Config) -> Scope:
    return scope_for(options.paths, is_git_scan(options), config.baseline, options.baseline)


def apply_baseline(options: ScanOptions, config: Config, result: ScanResult) -> ScanResult:
    """Drop findings recorded in the baseline (when one exists)."""
    if not options.use_baseline:
        return result
    return filter_result(result, baseline_scope(options, config))


def exit_code(findings: list[Finding], fail_on: str) -> int:
    threshold = severity_rank(fail_on)
    return EXIT_FINDINGS if any(severity_rank(f.severity) >= threshold for f in findings) else EXIT_CLEAN


def _color(options: ScanOptions) -> bool:
    if options.color is not None:
        return options.color
    return options.output is None and stdout_is_tty()


def _print_skips(result: ScanResult, options: ScanOptions) -> None:
    """One line per file that could not be read; binary and oversized files only when verbose."""
    for item in result.skipped:
        if item.kind == "unreadable" or options.verbose:
            notice(f"skipped {item.path}: {item.reason}")
    for line in result.notices:
        notice(line)

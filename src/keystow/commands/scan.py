"""`keystow scan`: pick a source, scan it, filter, report, and turn the result into an exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

from keystow.baseline import Scope, filter_result, scope_for
from keystow.commands.output import emit, notice, stdout_is_tty
from keystow.commands.progress import Progress, wanted
from keystow.commands.unblock import unblock_hint
from keystow.config import Config, load_config
from keystow.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_USAGE, FatalError
from keystow.findings import Finding, is_leak, redact, severity_rank
from keystow.pipeline.git_modes import GitSource, HistoryOptions, scan_git_source
from keystow.pipeline.result import ScanResult
from keystow.pipeline.scanning import build_scanner, scan_paths, unknown_disabled_rules
from keystow.report import ReportOptions, render

FINGERPRINTED_FORMATS = ("json", "sarif", "gitlab")


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
    no_ignore: bool = False  # path scans: also the files .gitignore and git's other ignore rules hide
    verify: bool = False  # ask each provider whether found credentials are live (keystow.verify)
    only_verified: bool = False  # report only findings verified active
    fail_on_verified: bool = False  # exit 1 only when a finding is verified active
    # --range/--pre-push gate the changes under review: config, baseline and allow comments come
    # from the base revision (keystow.pipeline.untrusted) unless the pipeline trusts the head.
    trust_head_config: bool = False
    allow_skipped: bool = False  # a gate passes although changed files could not be scanned
    # The lowest confidence reported (and so able to fail the run): "low" is an audit that also
    # lists weak passwords under password names (`password: gorilla`).
    min_confidence: str = "medium"

    quiet: bool = False  # no progress display, no summary line on stderr
    redact: int | None = None  # --redact N: characters kept in redacted secrets (default findings.REDACT_KEEP)
    log_options: tuple[str, ...] = ()  # --log-opts, split: history and range scans only
    findings_exit_code: int = EXIT_FINDINGS  # --exit-code: what findings that fail the run exit with



def run_scan(options: ScanOptions) -> int:
    if options.findings_exit_code in (EXIT_CLEAN, EXIT_USAGE, EXIT_INTERNAL):
        raise FatalError(
            f"--exit-code {options.findings_exit_code} would read as "
            f"{'a clean run' if options.findings_exit_code == EXIT_CLEAN else 'an error'}; choose 1 or 4-125"
        )
    if is_gate(options) and not options.trust_head_config:
        from keystow.commands.scan_gate import run_gate_scan

        return run_gate_scan(options)
    config = load_scan_config(options)
    result = collect_with_progress(options, config)
    result = at_least_confident(result, options.min_confidence)
    result = apply_baseline(options, config, result)
    scope = baseline_scope(options, config)
    result = with_report_fingerprints(options, result, scope.root, scope.file)  # verdicts are keyed by these
    if options.verify or options.only_verified or options.fail_on_verified:
        result = verify_result(options, result)
    if options.redact is not None:
        result.findings = [
            f.replace(known_redacted=redact(f.secret, options.redact)) if f.secret else f for f in result.findings
        ]
    hint = unblock_hint(options.staged, bool(options.pre_push or options.range or options.since), options.history)
    report_options = ReportOptions(options.show_secrets, _color(options), options.verbose, hint)
    emit(render(options.format, result, report_options), options.output)
    _print_skips(result, options)
    if options.output is not None and not options.quiet:
        notice(written_summary(result, options))
    if options.fail_on_verified:
        code = EXIT_FINDINGS if active_findings(result) else EXIT_CLEAN
    else:
        code = exit_code(result.findings, options.fail_on)
    return options.findings_exit_code if code == EXIT_FINDINGS else code


def collect_with_progress(options: ScanOptions, config: Config) -> ScanResult:
    """`collect`, with a progress display on a terminal (never for the staged hook path)."""
    unit = "blobs" if is_git_scan(options) else "files"
    shown = wanted(options.quiet) and not options.staged
    with Progress(progress_label(options), shown, unit) as display:
        if not shown:  # no callback at all: a history scan would call it once per blob
            return collect(options, config)
        return collect(
            options,
            config,
            lambda done: display.update(
                done.total_blobs,
                done.scanned_bytes,
                note=f"{done.cached_blobs:,} from cache" if done.cached_blobs else "",
            ),
        )


def progress_label(options: ScanOptions) -> str:
    if options.history:
        return "scanning history"
    return "scanning commits" if is_git_scan(options) else "scanning files"


def written_summary(result: ScanResult, options: ScanOptions) -> str:
    """`3 findings (2 high, 1 medium) in 19,661 blobs, 0 read from git this run; report written to X`:
    the one line a person sees when the report went to a file."""
    by_severity: dict[str, int] = {}
    for finding in sorted(result.findings, key=lambda f: -severity_rank(f.severity)):
        by_severity[finding.severity] = by_severity.get(finding.severity, 0) + 1
    count = len(result.findings)
    found = f"{count} finding{'s' if count != 1 else ''}"
    if by_severity:
        found += " (" + ", ".join(f"{n} {severity}" for severity, n in by_severity.items()) + ")"
    total = result.total_blobs
    scanned = f"{total:,} blob{'s' if total != 1 else ''}"
    if is_git_scan(options) and not options.staged:
        scanned += f", {result.scanned_blobs:,} read from git this run"
    return f"{found} in {scanned}; report written to {options.output}"


def verify_result(options: ScanOptions, result: ScanResult) -> ScanResult:
    """Verdicts for every finding; with --only-verified, only the active ones stay."""
    import os

    from keystow.verify.runner import Settings, verify_findings

    root = Path(options.paths[0]) if options.paths and options.paths[0] != "-" else Path.cwd()
    if any(not f.secret for f in result.findings):  # answered from the history cache: no secret kept
        from keystow.baseline.secrets import with_secrets

        result.findings = with_secrets(result.findings, root)
    result.verifications = verify_findings(result.findings, Settings(os.environ), lambda f: _line_of(f, root))
    if options.only_verified:
        result.findings = active_findings(result)
    return result


def active_findings(result: ScanResult) -> list[Finding]:
    return [f for f in result.findings if getattr(result.verifications.get(f.fingerprint), "status", "") == "active"]


def _line_of(finding: Finding, root: Path) -> str:
    """The text of the finding's first line in the work tree ("" when it is not there)."""
    location = finding.location
    for path in (Path(location.path), (root if root.is_dir() else root.parent) / location.path):
        try:
            return path.read_text(encoding="utf-8", errors="replace").splitlines()[location.line - 1]
        except (OSError, IndexError):
            continue
    return ""


def load_scan_config(options: ScanOptions) -> Config:
    start = Path(options.paths[0]) if options.paths and options.paths[0] != "-" else Path.cwd()
    config = load_config(start if start.exists() else Path.cwd(), options.config_file)
    for warning in config.warnings:
        notice(warning)
    for rule_id in unknown_disabled_rules(config):
        notice(f"disabled_rules: no rule has the id {rule_id!r} (see `keystow rules list`); nothing was disabled by it")
    if options.max_file_size is not None:
        config = config._replace(max_file_size=options.max_file_size)
    return config


def collect(options: ScanOptions, config: Config, progress=None) -> ScanResult:
    """Run the source the options name through a scanner built from config; `progress` is
    called with the result as it fills."""
    check_modes(options)
    scanner = build_scanner(config, options.engine, options.inline_allow)
    if is_git_scan(options):
        need_secrets = (
            options.show_secrets or options.redact is not None
        )  # cached blobs keep only the default redaction
        history = HistoryOptions(options.use_cache, need_secrets, options.jobs, progress, options.log_options)
        result = scan_git_source(git_source(options), config, scanner, history)
    else:
        result = scan_paths(list(options.paths), config, scanner, options.recurse_submodules, progress,
                            options.no_ignore)
    if not is_git_scan(options) or options.staged:  # history scans use workers and a cache: not counted
        result.suppressed["inline_allowed"] = scanner.inline_allowed
        result.notices.extend(scanner.notices)
    return result


def check_modes(options: ScanOptions) -> None:
    git_modes = [options.staged, options.history, bool(options.range), bool(options.since), options.pre_push]
    if sum(git_modes) > 1:
        raise FatalError("choose one of --staged, --history, --range, --since, --pre-push")
    if options.push_remote and not options.pre_push:
        raise FatalError("--remote applies to --pre-push")
    if options.log_options and not (options.history or options.range or options.since):
        raise FatalError("--log-opts applies to --history, --range and --since")
    if any(git_modes) and options.no_ignore:
        raise FatalError("--no-ignore applies to path scans")
    if any(git_modes) and options.recurse_submodules:
        raise FatalError("--recurse-submodules applies to path scans; scan a submodule's history in its own directory")


def is_gate(options: ScanOptions) -> bool:
    """The modes that judge changes before they land: a range (CI) or a push."""
    return bool(options.range or options.since or options.pre_push)


CONFIDENCES = ("low", "medium", "high")


def at_least_confident(result: ScanResult, min_confidence: str) -> ScanResult:
    """`result` without the findings below `min_confidence`."""
    if min_confidence not in CONFIDENCES:
        raise FatalError(f"--min-confidence must be one of {', '.join(CONFIDENCES)}, not {min_confidence!r}")
    floor = CONFIDENCES.index(min_confidence)
    kept = [f for f in result.findings if CONFIDENCES.index(_confidence(f)) >= floor]
    if len(kept) != len(result.findings):
        result.findings = kept
    return result


def _confidence(finding: Finding) -> str:
    return finding.confidence if finding.confidence in CONFIDENCES else "high"


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


def with_report_fingerprints(options: ScanOptions, result: ScanResult, root: Path, baseline: Path | None) -> ScanResult:
    """Fingerprints salted for the repository, in the formats that print them (the text report
    and the hooks never pay for the salt)."""
    if options.format in FINGERPRINTED_FORMATS:
        from keystow.baseline.fingerprints import repository_salt, salted

        result.findings = salted(result.findings, repository_salt(root, baseline))
    return result


def exit_code(findings: list[Finding], fail_on: str) -> int:
    threshold = severity_rank(fail_on)
    failing = (f for f in findings if is_leak(f))  # a published documentation example never fails a run
    return EXIT_FINDINGS if any(severity_rank(f.severity) >= threshold for f in failing) else EXIT_CLEAN


def _color(options: ScanOptions) -> bool:
    if options.color is not None:
        return options.color
    if os.environ.get("FORCE_COLOR") and not os.environ.get("NO_COLOR"):  # force-color.org; NO_COLOR still wins
        return True
    return options.output is None and stdout_is_tty()


def _print_skips(result: ScanResult, options: ScanOptions, gate: bool = False) -> None:
    """One line per file that could not be read; binary and oversized files when verbose, and
    always in a gate (what a gate did not read must not pass silently)."""
    for item in result.skipped:
        if item.kind == "unreadable" or options.verbose or gate:
            notice(f"skipped {item.path}: {item.reason}")
    for line in result.notices:
        notice(line)
    for line in result.details if options.verbose else ():
        notice(line)

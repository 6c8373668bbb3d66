"""`keystow scan-repos LIST`: scan every repository in LIST and write one combined report.

Exit codes: 2 when any repository could not be scanned (its section says why), else 1 when any
finding reaches --fail-on, else 0. A failure outranks findings: an incomplete scan must not pass
for a complete one in CI, and the findings are in the report either way.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from keystow.commands.output import emit, notice, stdout_is_tty
from keystow.commands.progress import Progress, wanted
from keystow.config import Config, load_config
from keystow.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, FatalError
from keystow.findings import is_leak, severity_rank
from keystow.multirepo import runners
from keystow.multirepo.combined import render
from keystow.multirepo.model import MODES, RepoReport, RepoScanSettings, RepoSpec
from keystow.multirepo.repolist import has_literal_credential, read_repo_list


@dataclass(frozen=True)
class ScanReposOptions:
    list_file: str
    format: str = "text"
    output: Path | None = None
    jobs: int | None = None
    dask: str | None = None
    mode: str | None = None  # None: history where available, else the work tree
    config_file: Path | None = None
    engine: str = "auto"
    # A repository cannot allow its own secrets: its `keystow:allow` comments are not honoured.
    inline_allow: bool = False
    use_cache: bool = True
    fail_on: str = "low"
    color: bool | None = None
    verbose: bool = False
    clone_timeout: float = 1800.0
    quiet: bool = False  # no progress display


def run_scan_repos(options: ScanReposOptions) -> int:
    if options.dask and options.jobs:
        raise FatalError("--jobs is for local runs; with --dask the cluster's workers set the parallelism")
    specs = read_repo_list(options.list_file)
    if options.dask:
        _refuse_literal_credentials(specs)
    settings = RepoScanSettings(resolve_mode(options.mode), _config(options.config_file), options.engine,
                                options.inline_allow, options.use_cache, clone_timeout=options.clone_timeout)
    reports = collect(specs, settings, options)
    color = options.color if options.color is not None else options.output is None and stdout_is_tty()
    emit(render(options.format, reports, color), options.output)
    return exit_code(reports, options.fail_on)


def collect(specs: list[RepoSpec], settings: RepoScanSettings, options: ScanReposOptions) -> list[RepoReport]:
    """Every spec's report, in list order; progress and failures as notices while they arrive."""
    if options.dask:
        results = runners.iter_dask(specs, settings, options.dask)
    else:
        results = runners.iter_local(specs, settings, options.jobs or usable_cores())
    reports = []
    display = Progress("scanning repositories", wanted(options.quiet) and not options.verbose, "repositories")
    with display:
        for done, report in enumerate(results, start=1):
            _arrived(report, done, len(specs), options)
            reports.append(report)
            display.update(done, total=len(specs), note=report.spec.display)
    return sorted(reports, key=lambda r: r.spec.index)


def _refuse_literal_credentials(specs: list[RepoSpec]) -> None:
    """Dask task arguments cross the network to the scheduler and the workers (and sit in their
    memory and logs): a token written in a URL must stay on this machine."""
    literal = [spec.display for spec in specs if spec.is_url and has_literal_credential(spec.source)]
    if literal:
        raise FatalError(f"--dask: {len(literal)} URL(s) carry a literal credential ({', '.join(literal[:3])}); "
                         "write it as ${VARIABLE} (e.g. https://x-access-token:${GITHUB_TOKEN}@host/repo.git) "
                         "and set VARIABLE in every worker's environment")


def _arrived(report: RepoReport, done: int, total: int, options: ScanReposOptions) -> None:
    if not report.ok:
        notice(f"{report.spec.display}: {report.error}")
    elif options.verbose:
        notice(f"[{done}/{total}] {report.spec.display}: {len(report.findings)} findings")


def exit_code(reports: list[RepoReport], fail_on: str) -> int:
    failed = [r.spec.display for r in reports if not r.ok]
    if failed:
        notice(f"{len(failed)} of {len(reports)} repositories could not be scanned: {', '.join(failed)}")
        return EXIT_USAGE
    threshold = severity_rank(fail_on)
    found = any(severity_rank(f.severity) >= threshold for r in reports for f in r.findings if is_leak(f))
    return EXIT_FINDINGS if found else EXIT_CLEAN


def resolve_mode(mode: str | None) -> str:
    if mode is None:
        return "history" if importlib.util.find_spec("keystow.pipeline.history") else "worktree"
    if mode not in MODES:
        raise FatalError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")
    return mode


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _config(config_file: Path | None) -> Config:
    """One config for every repository (the scanned repositories' own files are not consulted:
    an audit should not let a repository allow its own secrets)."""
    if config_file is None:
        return Config()
    config = load_config(Path.cwd(), config_file)
    for warning in config.warnings:
        notice(warning)
    return config

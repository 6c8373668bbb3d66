"""CLI for scanning many repositories: `keystow scan-repos` (registered by keystow.cli)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from keystow.cli.options import SEVERITY_CHOICE


@click.command("scan-repos")
@click.argument("list_file", metavar="LIST")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Local worker processes (default: usable cores).")
@click.option("--dask", "dask_address", metavar="SCHEDULER_ADDRESS",
              help="Run one task per repository on an existing Dask cluster, e.g. tcp://host:8786.")
@click.option("--mode", type=click.Choice(["history", "worktree"]),
              help="Scan every blob in history (default) or only the work tree / default branch.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Config applied to every repository (default: built-in rules).")
@click.option(
    "--fail-on", type=SEVERITY_CHOICE, default="low", show_default=True, help="Lowest severity that fails the run."
)
@click.option("--no-inline-allow", is_flag=True, hidden=True,
              help="Accepted for compatibility: scan-repos always ignores inline allow comments.")
@click.option("--no-cache", is_flag=True, help="History: rescan every blob of local repositories.")
@click.option("--engine", type=click.Choice(["auto", "hyperscan", "re"]), default="auto", hidden=True)
@click.option("--clone-timeout", type=click.FloatRange(min=1), default=1800.0, show_default=True, metavar="SECONDS",
              help="Kill a clone (and every git process it started) that takes longer.")
@click.option("--color/--no-color", default=None)
@click.option("--verbose", "-v", is_flag=True, help="One progress line per repository on stderr.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display on stderr.")
def scan_repos(list_file, format_, output, jobs, dask_address, mode, config_file, fail_on, no_inline_allow,
               no_cache, engine, clone_timeout, color, verbose, quiet):
    """Scan every repository named in LIST and write one combined report.

    LIST is a file ('-' for stdin) with one local path or clone URL per line; '#' starts a
    comment. Secrets are always redacted. Exit codes: 2 if any repository could not be scanned
    (this outranks findings), else 1 if there are findings, else 0.
    """
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.scan_repos import ScanReposOptions, run_scan_repos

    options = ScanReposOptions(
        list_file=list_file, format=format_, output=output, jobs=jobs, dask=dask_address, mode=mode,
        config_file=config_file, engine=engine, use_cache=not no_cache,
        fail_on=fail_on, color=color, verbose=verbose, clone_timeout=clone_timeout, quiet=quiet,
    )
    sys.exit(run_scan_repos(options))

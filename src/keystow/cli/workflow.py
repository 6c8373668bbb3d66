"""Click commands for the developer workflow: `keystow hook ...` and `keystow baseline ...`.

Registered on the main group by `keystow.cli`; each command parses, calls one function in
`keystow.commands`, and exits with its code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def hook() -> None:
    """Install keystow as a native git hook (without the pre-commit framework)."""


@hook.command("install")
@click.option("--pre-push", is_flag=True, help="Also install a pre-push hook scanning the commits being pushed.")
@click.option("--force", is_flag=True, help="Replace a hook even when <hook>.legacy is already taken.")
def hook_install(pre_push, force):
    """Install the pre-commit hook (an existing hook is kept as <hook>.legacy and still runs)."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.hook import install_hooks

    sys.exit(install_hooks(Path.cwd(), pre_push, force))


@hook.command("uninstall")
def hook_uninstall():
    """Remove keystow's hooks and restore any <hook>.legacy."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.hook import uninstall_hooks

    sys.exit(uninstall_hooks(Path.cwd()))


@hook.command("pre-push")
@click.option("--format", "format_", default="text", hidden=True)
def hook_pre_push(format_):
    """Scan what is being pushed: under the pre-commit framework, every local branch and tag the
    remote lacks (pre-commit names only the first pushed ref), else git's ref lines on stdin (as
    `keystow scan --pre-push`)."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.hook import pre_commit_push_lines
    from keystow.commands.scan import ScanOptions, run_scan

    lines = pre_commit_push_lines(dict(os.environ), Path.cwd())
    remote = os.environ.get("PRE_COMMIT_REMOTE_NAME") if lines is not None else None
    sys.exit(run_scan(ScanOptions(format=format_, pre_push=True, push_remote=remote, push_lines=lines)))


def scan_options(function):
    """The options every `baseline` subcommand shares: what to scan, and which baseline file."""
    function = click.argument("paths", nargs=-1)(function)
    function = click.option(
        "--history", is_flag=True, help="Scan every version of every file, not just the work tree."
    )(function)
    function = click.option(
        "--baseline", "baseline_file", type=FILE, help="Baseline file (default .keystow-baseline.json)."
    )(function)
    return click.option("--config", "config_file", type=FILE)(function)


def _options(paths, baseline_file, config_file, history=False):
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.scan import ScanOptions

    return ScanOptions(paths=tuple(paths) or (".",), baseline=baseline_file, config_file=config_file,
                       history=history, use_baseline=False)


@click.group()
def baseline() -> None:
    """Record accepted findings so scans and hooks report only new ones."""


@baseline.command("create")
@scan_options
@click.option("--force", is_flag=True, help="Overwrite an existing baseline.")
def baseline_create(paths, history, baseline_file, config_file, force):
    """Scan PATHS (default: the work tree) and write every finding to a new baseline."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.baseline import create_baseline

    sys.exit(create_baseline(_options(paths, baseline_file, config_file, history), force))


@baseline.command("update")
@scan_options
def baseline_update(paths, history, baseline_file, config_file):
    """Add new findings; existing entries keep their reason, owner and expiry."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.baseline import update_baseline

    sys.exit(update_baseline(_options(paths, baseline_file, config_file, history)))


@baseline.command("prune")
@scan_options
def baseline_prune(paths, history, baseline_file, config_file):
    """Remove entries that match no finding any more."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.baseline import prune_baseline

    sys.exit(prune_baseline(_options(paths, baseline_file, config_file, history)))


@baseline.command("audit")
@scan_options
@click.option("--json", "as_json", is_flag=True, help="Print a summary instead of asking.")
def baseline_audit(paths, history, baseline_file, config_file, as_json):
    """Walk unaudited entries: mark each a true or false positive and give a reason."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.baseline_audit import audit_interactive, audit_json

    options = _options(paths, baseline_file, config_file, history)
    sys.exit(audit_json(options) if as_json else audit_interactive(options, click.prompt, click.echo))


@baseline.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--baseline", "baseline_file", type=FILE, help="Baseline file (default .keystow-baseline.json).")
@click.option("--config", "config_file", type=FILE)
def baseline_import(source, baseline_file, config_file):
    """Import a detect-secrets .secrets.baseline or a .gitleaksignore."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.baseline import import_baseline

    sys.exit(import_baseline(_options((), baseline_file, config_file), source))

"""Command-line parsing only: each command parses, calls one function, and returns its exit code.

Only this module knows click. Expected errors (`FatalError`) become one line on stderr and their
exit code; anything else is a bug and becomes a redacted crash report with exit code 3.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from keystow import __version__
from keystow.errors import EXIT_USAGE
from keystow.report import FORMATS

SEVERITY_CHOICE = click.Choice(["critical", "high", "medium", "low"])


def _size(value: str | None) -> int | None:
    from keystow.config import parse_size

    return None if value is None else parse_size(value, "--max-file-size")


def _config(config_file: Path | None):
    from keystow.config import load_config
    from keystow.output import notice

    config = load_config(Path.cwd(), config_file)
    for warning in config.warnings:
        notice(warning)
    return config


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="keystow")
def cli() -> None:
    """Find hardcoded credentials in Git repositories, and move them into AWS."""


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--staged", is_flag=True, help="Scan staged content (the pre-commit path).")
@click.option("--history", is_flag=True, help="Scan every unique blob reachable from any ref.")
@click.option("--range", "range_", metavar="BASE..HEAD", help="Scan blobs introduced by commits in a range.")
@click.option("--since", metavar="REV", help="Scan blobs introduced by commits since REV.")
@click.option("--pre-push", is_flag=True, help="Read pre-push ref lines on stdin; scan the commits being pushed.")
@click.option("--remote", "push_remote", metavar="NAME",
              help="With --pre-push: the remote pushed to; only its branches count as already pushed.")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
@click.option("--show-secrets", is_flag=True, help="Print secrets in full (default: redacted).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--max-file-size", metavar="SIZE", help="Skip files larger than SIZE (default 10MiB).")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), help="Baseline file (default .keystow-baseline.json).")
@click.option("--no-baseline", is_flag=True, help="Report baselined findings too.")
@click.option("--no-inline-allow", is_flag=True, help="Ignore keystow:allow and similar comments (audits).")
@click.option("--fail-on", type=SEVERITY_CHOICE, default="low", show_default=True, help="Lowest severity that fails the run.")
@click.option("--no-cache", is_flag=True, help="History: rescan every blob.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: usable cores).")
@click.option("--engine", type=click.Choice(["auto", "hyperscan", "re"]), default="auto", hidden=True)
@click.option("--color/--no-color", default=None)
@click.option("--verbose", "-v", is_flag=True, help="Also list skipped binary and oversized files.")
@click.option("--recurse-submodules", is_flag=True, help="Path scans: also scan checked-out submodules.")
def scan(paths, staged, history, range_, since, pre_push, push_remote, format_, output, show_secrets, config_file,
         max_file_size, baseline, no_baseline, no_inline_allow, fail_on, no_cache, jobs, engine, color, verbose,
         recurse_submodules):
    """Scan files, staged changes, a commit range or all of history for secrets.

    Exit codes: 0 nothing found, 1 findings, 2 usage or configuration error, 3 internal error.
    """
    from keystow.commands.scan import ScanOptions, run_scan

    options = ScanOptions(
        paths=tuple(paths) or (".",), format=format_, output=output, show_secrets=show_secrets,
        config_file=config_file, max_file_size=_size(max_file_size), engine=engine,
        inline_allow=not no_inline_allow, fail_on=fail_on, color=color, verbose=verbose,
        staged=staged, history=history, range=range_, since=since, pre_push=pre_push,
        push_remote=push_remote or None,
        use_cache=not no_cache, jobs=jobs, baseline=baseline, use_baseline=not no_baseline,
        recurse_submodules=recurse_submodules,
    )
    sys.exit(run_scan(options))


@cli.group()
def rules() -> None:
    """List and self-test the detection rules."""


@rules.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
def rules_list(as_json, config_file):
    """List the enabled rules."""
    from keystow.commands.rules import list_rules

    sys.exit(list_rules(_config(config_file), as_json))


@rules.command("check")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--engine", "engines", multiple=True, type=click.Choice(["hyperscan", "re"]),
              help="Engine(s) to check (default: both where Hyperscan is installed).")
def rules_check(config_file, engines):
    """Run every rule's examples and negative examples through the full pipeline."""
    from keystow.commands.rules import check_rules
    from keystow.detect.matcher import hyperscan_available

    if not engines:
        engines = ("hyperscan", "re") if hyperscan_available() else ("re",)
    sys.exit(check_rules(_config(config_file), tuple(engines)))


def _register_optional_commands() -> None:
    """Command groups that live in their own modules (hook, baseline, migrate, purge, ...)."""
    import importlib

    for module_name in ("keystow.cli_workflow", "keystow.cli_migrate", "keystow.cli_purge", "keystow.cli_scale"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(cli)


def main(argv: list[str] | None = None) -> int:
    from keystow.guard import guarded

    _register_optional_commands()
    return guarded(lambda: _run_click(argv))


def _run_click(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="keystow", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE
    return 0

"""`keystow purge`: command-line parsing only (see keystow.commands.purge)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("path", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--history", is_flag=True, help="Purge every secret a history scan finds.")
@click.option("--from-report", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Purge the findings of a keystow JSON report (matched by fingerprint).")
@click.option("--replacement", metavar="TEXT",
              help="Replace every secret with TEXT (default: its reference name if migrated, else a marker).")
@click.option("--dry-run", is_flag=True, help="Show which commits and files would change; change nothing.")
@click.option("--include-head", is_flag=True,
              help="Also replace secrets still in a branch tip's current tree (default: refuse).")
@click.option("--verify", is_flag=True,
              help="Ask each provider which secrets are still live (network); they lead the rotation list.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation (required without a terminal).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="keystow config file (default: .keystow.toml or [tool.keystow] in pyproject.toml).")
@click.option("--quiet", "-q", is_flag=True, help="No progress display on stderr.")
def purge(path, history, from_report, replacement, dry_run, include_head, verify, yes, config_file, quiet):
    """Rewrite history so that no commit, branch or tag holds the selected secrets.

    Backs up every ref to a git bundle first, verifies with a fresh history scan afterwards and
    writes keystow-purge-report.md (rotate, force-push, re-clone). Rotate the secrets anyway.

    Branch tips are left as they are: a secret still in a current tree is refused (exit 2) unless
    --include-head; migrate it first.

    Exit codes: 0 purged and verified (or dry run), 1 secrets remain, 2 refused or usage error.
    """
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.purge import PurgeOptions, run_purge

    options = PurgeOptions(
        path=path,
        from_report=from_report,
        history=history,
        replacement=replacement,
        dry_run=dry_run,
        include_head=include_head,
        verify=verify,
        yes=yes,
        interactive=sys.stdin.isatty(),
        config_file=config_file,
        quiet=quiet,
    )
    sys.exit(run_purge(options, lambda question: click.confirm(question, default=False)))

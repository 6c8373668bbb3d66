"""The `keystow` command group: every command, imported statically, and the error policy.

Each command module parses its options, calls one function of keystow.commands, and exits with
the code it returns. Only keystow.cli knows click. Expected errors (`FatalError`) become one line on stderr and their
exit code; anything else is a bug and becomes a redacted crash report with exit code 3.
"""

from __future__ import annotations

import click

from keystow import __version__
from keystow.cli.guard import guarded
from keystow.cli.migrate import migrate
from keystow.cli.purge import purge
from keystow.cli.rules import rules
from keystow.cli.run import run_command
from keystow.cli.scan import scan
from keystow.cli.scan_repos import scan_repos
from keystow.cli.workflow import baseline, hook
from keystow.errors import EXIT_USAGE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="keystow")
def cli() -> None:
    """Find hardcoded credentials in Git repositories, and move them into AWS."""


for _command in (scan, rules, hook, baseline, migrate, run_command, purge, scan_repos):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> int:
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

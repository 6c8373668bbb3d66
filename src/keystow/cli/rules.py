"""Click wiring for `keystow rules list|check` (the logic is keystow.commands.rules)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from keystow.cli.options import load_cli_config


@click.group()
def rules() -> None:
    """List and self-test the detection rules."""


@rules.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
def rules_list(as_json, config_file):
    """List the enabled rules."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.rules import list_rules

    sys.exit(list_rules(load_cli_config(config_file), as_json))


@rules.command("check")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--engine", "engines", multiple=True, type=click.Choice(["hyperscan", "re", "tiny"]),
              help="Engine(s) to check (default: all; tiny is the hook's small-input path: keywords, then re).")
def rules_check(config_file, engines):
    """Run every rule's examples and negative examples through the full pipeline."""
    # late: click callback: `keystow <other command>` and the hook do not load this command's modules
    from keystow.commands.rules import check_rules
    from keystow.detect.matcher import hyperscan_available

    if not engines:
        engines = ("hyperscan", "re", "tiny") if hyperscan_available() else ("re", "tiny")
    sys.exit(check_rules(load_cli_config(config_file), tuple(engines)))

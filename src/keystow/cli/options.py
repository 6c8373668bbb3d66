"""Option types and helpers shared by the click commands."""

from __future__ import annotations

from pathlib import Path

import click

from keystow.commands.output import notice
from keystow.config import Config, load_config, parse_size

SEVERITY_CHOICE = click.Choice(["critical", "high", "medium", "low"])


def parse_size_option(value: str | None) -> int | None:
    return None if value is None else parse_size(value, "--max-file-size")


def load_cli_config(config_file: Path | None) -> Config:
    """The config for commands that do not scan a path of their own (rules list/check)."""
    config = load_config(Path.cwd(), config_file)
    for warning in config.warnings:
        notice(warning)
    return config

"""Reports: each format is a `render(result, options) -> str` function; nothing else prints."""

from __future__ import annotations

import importlib
from typing import NamedTuple

FORMATS = ("text", "json", "jsonl", "sarif", "junit", "gitlab", "github")


class ReportOptions(NamedTuple):
    show_secrets: bool = False
    color: bool = False
    verbose: bool = False
    hint: str | None = None  # how to unblock, for the scan's situation (keystow.commands.unblock)
    list_skipped: bool = False  # a gate scan: every skipped file is part of the report


def render(format_name: str, result, options: ReportOptions) -> str:
    """Render `result` in `format_name` (one of FORMATS); modules load only when used."""
    module = importlib.import_module(f"keystow.report.{format_name}_report")
    return module.render(result, options)

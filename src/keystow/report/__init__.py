"""Reports: each format is a `render(result, options) -> str` function; nothing else prints."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

FORMATS = ("text", "json", "sarif", "junit", "gitlab", "github")


@dataclass(frozen=True)
class ReportOptions:
    show_secrets: bool = False
    color: bool = False
    verbose: bool = False


def render(format_name: str, result, options: ReportOptions) -> str:
    """Render `result` in `format_name` (one of FORMATS); modules load only when used."""
    module = importlib.import_module(f"keystow.report.{format_name}_report")
    return module.render(result, options)

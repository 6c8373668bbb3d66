"""GitHub Actions workflow commands: one `::error` (or `::warning`/`::notice`) annotation per
location, shown on the pull request's diff.

Values are escaped as GitHub's runner expects: in the message `%`, CR and LF; in properties also
`:` and `,` (https://github.com/actions/toolkit, `command.ts`).
"""

from __future__ import annotations

from keystow.findings import Finding, sort_findings, visible
from keystow.report.verification import verdict_label

COMMANDS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice"}


def escape_data(text: str) -> str:
    """The runner's escapes, after other control characters (terminal escapes) are made visible."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result, options) -> str:
    lines = [
        line
        for f in sort_findings(result.findings)
        for line in _annotations(f, options.show_secrets, verdict_label(result, f), getattr(options, "hint", None))
    ]
    count = len(result.findings)
    lines.append(f"keystow: {count} secret{'s' if count != 1 else ''} found" if count else "keystow: no secrets found")
    return "\n".join(lines) + "\n"


def _annotations(finding: Finding, show_secrets: bool, verdict: str = "", hint: str | None = None) -> list[str]:
    command = COMMANDS.get(finding.severity, "warning")
    message = f"{finding.rule_name} ({finding.severity}): {finding.shown_secret(show_secrets)}{verdict}. " + (
        hint
        or "To allow a false positive add `keystow:allow` in a comment on the line, "
        "or record it with `keystow baseline update`."
    )
    title = escape_property(f"keystow: {finding.rule_id}")
    lines = []
    for loc in finding.locations:
        props = (
            f"file={escape_property(loc.path)},line={loc.line},endLine={loc.end_line},col={loc.column},title={title}"
        )
        lines.append(f"::{command} {props}::{escape_data(message)}")
    return lines

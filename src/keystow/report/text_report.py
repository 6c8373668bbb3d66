"""The terminal report: findings grouped by file, coloured on a TTY, with how to allow each."""

from __future__ import annotations

from itertools import groupby

from keystow.findings import Finding, is_leak, sort_findings, visible
from keystow.pipeline.quick_staged import scanned_counts
from keystow.report.verification import verdict_counts, verdict_label

COLORS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"
DEFAULT_HINT = ("To allow a false positive: add `keystow:allow` in a comment on its line, "
                "or record it with `keystow baseline update`.")
# Locations listed per finding without -v: a secret copied into a hundred commits should not
# bury the rest of the report, and the count of the others is still said.
LOCATION_LIMIT = 5


def render(result, options) -> str:
    paint = _painter(options.color)
    lines: list[str] = []
    findings = sort_findings(result.findings)
    for path, group in groupby(findings, key=lambda f: f.path):
        lines.append(paint(BOLD, visible(path)))
        for finding in group:
            lines.extend(_finding_lines(finding, options, paint, verdict_label(result, finding)))
        lines.append("")
    if getattr(options, "list_skipped", False):
        lines.extend(visible(f"skipped {item.path}: {item.reason}") for item in result.skipped)
    if findings:
        lines.append(paint(DIM, getattr(options, "hint", None) or DEFAULT_HINT))
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def _finding_lines(finding: Finding, options, paint, verdict: str = "") -> list[str]:
    loc = finding.location
    where = f"{loc.line}:{loc.column}"
    severity = paint(COLORS.get(finding.severity, ""), finding.severity)
    secret = visible(finding.shown_secret(options.show_secrets))
    lines = [f"  {where:>8}  {severity:<8} {visible(finding.rule_id)}  {visible(finding.rule_name)}  {secret}{verdict}"]
    if getattr(finding, "public_example", None):
        lines.append(paint(DIM, "            " + visible(f"public documentation example ({finding.public_example}): "
                                                         "not a leak")))
    if loc.provenance:
        p = loc.provenance
        introduced = f"introduced in {p.commit[:12]} by {p.author_name} <{p.author_email}> on {p.date}"
        lines.append(paint(DIM, "            " + visible(introduced)))
    if len(finding.locations) > 1:
        lines.extend(paint(DIM, visible(line)) for line in location_lines(finding.locations, options.verbose))
    return lines


def location_lines(locations, verbose: bool) -> list[str]:
    """Each place the secret is, as `path:line (commit)`: all with -v, else the first few."""
    shown = locations if verbose else locations[:LOCATION_LIMIT]
    lines = [f"            at {_place(loc)}" for loc in shown]
    hidden = len(locations) - len(shown)
    if hidden:
        lines.append(f"            and {hidden} more location{'s' if hidden > 1 else ''} (use -v)")
    return lines


def _place(location) -> str:
    commit = f" (commit {location.provenance.commit[:12]})" if location.provenance else ""
    return f"{location.path}:{location.line}{commit}"


def summary_line(result) -> str:
    files = len({f.path for f in result.findings})
    count = len(result.findings)
    head = (f"Found {count} secret{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}"
            if count else "No secrets found")
    published = sum(1 for f in result.findings if not is_leak(f))
    if published:
        head += f", {published} of them public documentation example{'s' if published != 1 else ''}"
    tail = f" ({scanned_counts(result.scanned_blobs, result.scanned_bytes)}"
    skipped = result.skipped_counts()
    if skipped:
        tail += "; skipped " + ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items()))
    verified = verdict_counts(result)
    checked = (" Verified: " + ", ".join(f"{n} {status}" for status, n in sorted(verified.items())) + "."
               if verified else "")
    return head + tail + ")." + checked + suppressed_text(getattr(result, "suppressed", {}))


def suppressed_text(counts: dict[str, int]) -> str:
    """` Suppressed: 2 baselined, 1 inline-allowed; 1 audited true positive still open.`"""
    hidden = [
        f"{counts[key]} {label}"
        for key, label in (("baselined", "baselined"), ("inline_allowed", "inline-allowed"))
        if counts.get(key)
    ]
    text = f" Suppressed: {', '.join(hidden)}." if hidden else ""
    still_open = counts.get("true_positives_open")
    if still_open:
        text += (
            f" {still_open} audited true positive{'s' if still_open != 1 else ''} still open: "
            "remove the secret from the code, then `keystow baseline prune`."
        )
    return text


def _painter(color: bool):
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if color and code else text

    return paint

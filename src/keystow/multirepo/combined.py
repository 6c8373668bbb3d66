"""One report over many repositories: a section per repository, in list order, then totals.

Findings render through the single-repository reports (`finding_dict`, the text report), fed with
redacted findings, so a finding reads the same in `scan` and `scan-repos` output.
"""

from __future__ import annotations

import json

from keystow import __version__
from keystow.findings import visible
from keystow.multirepo.model import RepoReport
from keystow.report import ReportOptions, json_report, text_report

SCHEMA_VERSION = "1"


def render(format_name: str, reports: list[RepoReport], color: bool = False) -> str:
    if format_name == "json":
        return json.dumps(to_document(reports), indent=2) + "\n"
    return render_text(reports, color)


def to_document(reports: list[RepoReport]) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "keystow", "version": __version__},
        "repositories": [repository_dict(r) for r in reports],
        "summary": totals(reports),
    }


def repository_dict(report: RepoReport) -> dict:
    return {
        "repo": report.spec.display,
        "status": report.status,
        "error": report.error,
        "findings": [json_report.finding_dict(f, False) for f in report.findings],
        "skipped": [{"path": s.path, "reason": s.reason, "kind": s.kind} for s in report.skipped],
        "notices": list(report.notices),
        "summary": {
            "findings": len(report.findings),
            "scanned_blobs": report.scanned_blobs,
            "scanned_bytes": report.scanned_bytes,
            "skipped": report.skipped_counts(),
        },
    }


def totals(reports: list[RepoReport]) -> dict:
    return {
        "repositories": len(reports),
        "ok": sum(r.ok for r in reports),
        "failed": [r.spec.display for r in reports if not r.ok],
        "repositories_with_findings": sum(bool(r.findings) for r in reports),
        "findings": sum(len(r.findings) for r in reports),
        "scanned_blobs": sum(r.scanned_blobs for r in reports),
        "scanned_bytes": sum(r.scanned_bytes for r in reports),
    }


def render_text(reports: list[RepoReport], color: bool) -> str:
    options = ReportOptions(show_secrets=False, color=color)
    parts = []
    for report in reports:
        if report.ok:
            parts.append(f"== {visible(report.spec.display)}\n" + text_report.render(report, options))
        else:
            parts.append(f"== {visible(report.spec.display)}\nFAILED: {visible(report.error or '')}\n")
    parts.append(summary_line(totals(reports)))
    return "\n".join(parts)


def summary_line(total: dict) -> str:
    failed = total["failed"]
    line = (f"Scanned {total['ok']} of {total['repositories']} repositories: "
            f"{total['findings']} finding{'s' if total['findings'] != 1 else ''} "
            f"in {total['repositories_with_findings']} "
            f"repositor{'ies' if total['repositories_with_findings'] != 1 else 'y'}")
    if failed:
        line += f"; {len(failed)} failed: " + ", ".join(failed)
    return line + ".\n"

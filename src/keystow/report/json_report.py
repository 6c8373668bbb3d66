"""The JSON report: a documented, stable schema (docs/json-schema.md, docs/report.schema.json)."""

from __future__ import annotations

import json
from typing import Protocol

from keystow import __version__
from keystow.findings import Location, sort_findings
from keystow.report.verification import verdict_counts, verdict_json

SCHEMA_VERSION = "1"


class ReportedFinding(Protocol):
    """What a finding's JSON is made of: a `Finding`, or scan-repos' RedactedFinding (no secret)."""

    @property
    def rule_id(self) -> str: ...
    @property
    def rule_name(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def confidence(self) -> str: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def location(self) -> Location: ...
    @property
    def locations(self) -> tuple[Location, ...]: ...
    def shown_secret(self, show_secrets: bool) -> str: ...


def render(result, options) -> str:
    return json.dumps(to_document(result, options.show_secrets), indent=2) + "\n"


def to_document(result, show_secrets: bool) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "keystow", "version": __version__},
        "findings": [_with_verification(finding_dict(f, show_secrets), verdict_json(result, f))
                     for f in sort_findings(result.findings)],
        "skipped": [{"path": s.path, "reason": s.reason, "kind": s.kind} for s in result.skipped],
        "notices": list(result.notices),
        "summary": {
            "findings": len(result.findings),
            "scanned_blobs": result.scanned_blobs,
            "scanned_bytes": result.scanned_bytes,
            "skipped": result.skipped_counts(),
            "suppressed": dict(getattr(result, "suppressed", {})),
            **({"verified": verdict_counts(result)} if getattr(result, "verifications", None) else {}),
        },
    }


def _with_verification(document: dict, verification: dict | None) -> dict:
    return {**document, "verification": verification} if verification is not None else document


def finding_dict(finding: ReportedFinding, show_secrets: bool) -> dict:
    first = location_dict(finding.location)
    return {
        "rule_id": finding.rule_id,
        "rule_name": finding.rule_name,
        "severity": finding.severity,
        "confidence": finding.confidence,
        **first,
        "secret": finding.shown_secret(show_secrets),
        "redacted": not show_secrets,
        "fingerprint": finding.fingerprint,
        "tags": list(finding.tags),
        "locations": [location_dict(loc) for loc in finding.locations],
        **_public_example(finding),
    }


def _public_example(finding: object) -> dict:
    """`public_example`: where the secret is published as a documentation example (informational)."""
    source = getattr(finding, "public_example", None)
    return {"public_example": source} if source else {}


def location_dict(location: Location) -> dict:
    data: dict = {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
    }
    if location.blob:
        data["blob"] = location.blob
    if location.provenance:
        p = location.provenance
        data.update(commit=p.commit, author_name=p.author_name, author_email=p.author_email, date=p.date)
    return data

"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from keystow import PROJECT_URL, __version__
from keystow.findings import Finding, Location, sort_findings
from keystow.report.verification import verdict_json

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub code scanning reads `security-severity` (0.0-10.0) to rank security alerts.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def render(result, options) -> str:
    document = to_document(result, options.show_secrets)
    if getattr(options, "list_skipped", False) and result.skipped:
        document["runs"][0]["invocations"] = [_skipped_invocation(result.skipped)]
    return json.dumps(document, indent=2) + "\n"


def _skipped_invocation(skipped) -> dict:
    """A gate lists what it could not scan: one error notification per skipped file."""
    return {
        "executionSuccessful": True,
        "toolExecutionNotifications": [{
            "level": "error",
            "descriptor": {"id": f"keystow-skipped-{item.kind}"},
            "message": {"text": f"not scanned: {item.reason}"},
            "locations": [{"physicalLocation": {"artifactLocation": {
                "uri": quote(item.path.replace("\\", "/"), safe="/", errors="surrogateescape")}}}],
        } for item in skipped],
    }


def to_document(result, show_secrets: bool) -> dict:
    findings = sort_findings(result.findings)
    rules = _rules(findings)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "keystow",
                "version": __version__,
                "informationUri": PROJECT_URL,
                "rules": rules,
            }},
            "results": [_verified(r, verdict_json(result, f)) for f in findings
                        for r in _results(f, index[f.rule_id], show_secrets)],
            "columnKind": "unicodeCodePoints",
        }],
    }


def _rules(findings: list[Finding]) -> list[dict]:
    seen: dict[str, dict] = {}
    for finding in findings:
        seen.setdefault(finding.rule_id, {
            "id": finding.rule_id,
            "name": "".join(part.capitalize() for part in finding.rule_id.split("-")),
            "shortDescription": {"text": finding.rule_name},
            "defaultConfiguration": {"level": LEVELS.get(finding.severity, "warning")},
            "properties": {
                "tags": ["security", "secret", *finding.tags],
                "security-severity": SECURITY_SEVERITY.get(finding.severity, "5.0"),
            },
        })
    return [seen[key] for key in sorted(seen)]


def _results(finding: Finding, rule_index: int, show_secrets: bool) -> list[dict]:
    """One result per location: GitHub code scanning shows only a result's first location, so a
    secret committed in three files is three alerts, each with its own fingerprint."""
    occurrences: dict[str, int] = {}
    results = []
    for location in finding.locations:
        nth = occurrences[location.path] = occurrences.get(location.path, 0) + 1
        results.append(_result(finding, location, rule_index, show_secrets, nth))
    return results


def _result(finding: Finding, location: Location, rule_index: int, show_secrets: bool, nth: int) -> dict:
    secret = finding.shown_secret(show_secrets)
    others = len(finding.locations) - 1
    also = f" (and {others} other location{'s' if others != 1 else ''})" if others else ""
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": f"{finding.rule_name} found: {secret}{also}"},
        "locations": [_location(location)],
        "partialFingerprints": {
            # the secret's identity (shared by its locations) and this place's: path and the
            # how-manieth time it occurs in that file, not the line, so an alert survives edits above it
            "keystowSecret/v1": finding.fingerprint,
            "keystowFingerprint/v1": location_fingerprint(finding.fingerprint, location.path, nth),
        },
    }
    commit = location.provenance
    properties: dict = {"commit": commit.commit, "author": commit.author_email, "date": commit.date} if commit else {}
    published = getattr(finding, "public_example", None)
    if published:  # a documentation example: a note, never an error
        result["level"] = "note"
        properties["public_example"] = published
    if properties:
        result["properties"] = properties
    return result


def _verified(result: dict, verification: dict | None) -> dict:
    if verification is not None:
        result["properties"] = {**result.get("properties", {}), "verification": verification}
    return result


def location_fingerprint(secret_fingerprint: str, path: str, nth: int) -> str:
    data = f"{secret_fingerprint}\0{path}\0{nth}".encode("utf-8", errors="surrogateescape")
    return hashlib.sha256(data).hexdigest()[:32]


def _location(location: Location) -> dict:
    return {"physicalLocation": {
        "artifactLocation": {"uri": quote(location.path.replace("\\", "/"), safe="/", errors="surrogateescape")},
        "region": {
            "startLine": location.line,
            "startColumn": location.column,
            "endLine": location.end_line,
            "endColumn": max(location.end_column, 1),
        },
    }}

"""GitLab's secret-detection report (`artifacts: reports: secret_detection:`), schema 15.x.

Each location of a finding is one vulnerability. Its id is stable for the same secret at the same
place (a UUID derived from the fingerprint, path and line), so GitLab tracks it across pipelines.
A worktree scan has no commit: GitLab's own analyzer writes `0000000` then, and so do we.
"""

from __future__ import annotations

import datetime
import json
import uuid

from keystow import PROJECT_URL, __version__
from keystow.findings import Finding, Location, sort_findings
from keystow.report.verification import verdict_label

SCHEMA_VERSION = "15.0.7"
SEVERITIES = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}
NO_COMMIT = "0000000"
ID_NAMESPACE = uuid.UUID("5d1a8f6c-6f4e-4f7e-9b8a-6b6579737477")
TOOL = {"id": "keystow", "name": "keystow", "version": __version__, "vendor": {"name": "keystow"}}


def render(result, options) -> str:
    return json.dumps(to_document(result, options.show_secrets), indent=2) + "\n"


def to_document(result, show_secrets: bool) -> dict:
    now = _timestamp(datetime.datetime.now(datetime.timezone.utc))
    started = getattr(result, "started_at", None)
    return {
        "version": SCHEMA_VERSION,
        "vulnerabilities": [_vulnerability(f, loc, show_secrets, verdict_label(result, f))
                            for f in sort_findings(result.findings) for loc in f.locations],
        "scan": {
            "analyzer": TOOL,
            "scanner": {**TOOL, "url": PROJECT_URL},
            "type": "secret_detection",
            "start_time": _timestamp(started) if started else now,
            "end_time": now,
            "status": "success",
        },
    }


def _timestamp(moment: datetime.datetime) -> str:
    """The schema's format: `YYYY-MM-DDTHH:MM:SS`, UTC, no zone suffix."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def _vulnerability(finding: Finding, loc: Location, show_secrets: bool, verdict: str = "") -> dict:
    commit = loc.provenance.commit if loc.provenance else NO_COMMIT
    return {
        "id": str(uuid.uuid5(ID_NAMESPACE, _utf8_safe(f"{finding.fingerprint}:{loc.path}:{loc.line}"))),
        "category": "secret_detection",
        "name": finding.rule_name,
        "description": (f"{finding.rule_name} ({finding.shown_secret(show_secrets)}){verdict} in {loc.path} "
                        f"line {loc.line}. Move it to a secret store and rotate it, or allow a false "
                        "positive with a `keystow:allow` comment or `keystow baseline update`."),
        "severity": SEVERITIES.get(finding.severity, "Unknown"),
        "location": {"file": loc.path, "start_line": loc.line, "end_line": loc.end_line, "commit": {"sha": commit}},
        "identifiers": [{
            "type": "keystow_rule_id", "name": f"keystow rule {finding.rule_id}", "value": finding.rule_id,
        }],
    }


def _utf8_safe(text: str) -> str:
    """A path from a non-UTF-8 file name holds surrogates uuid5 cannot encode; others are unchanged."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")

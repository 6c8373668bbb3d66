"""Which secrets to purge and what replaces each one.

A target is one grouped finding (rule + secret, every location) and its replacement: the
reference name where the secret was migrated, else a marker naming the rule. A report passed
with --from-report carries only fingerprints (its secrets are redacted), so the secrets come
from an in-process history scan matched by fingerprint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from keystow.errors import ConfigError
from keystow.findings import Finding

MARKER = "***REMOVED-BY-KEYSTOW:{rule_id}***"


@dataclass(frozen=True)
class Target:
    finding: Finding
    replacement: str

    @property
    def fingerprint(self) -> str:
        return self.finding.fingerprint


@dataclass
class PurgePlan:
    targets: list[Target] = field(default_factory=list)
    # fingerprints the report named that no commit contains (already purged, or another repo)
    not_found: list[str] = field(default_factory=list)

    @property
    def fingerprints(self) -> set[str]:
        return {t.fingerprint for t in self.targets}


def report_fingerprints(path: Path) -> set[str]:
    """Fingerprints of the findings in a keystow JSON report."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read report: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ConfigError(f"{path}: not a keystow JSON report (invalid JSON)") from None
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list):
        raise ConfigError(f"{path}: not a keystow JSON report (no 'findings' list)")
    return {f["fingerprint"] for f in findings if isinstance(f, dict) and isinstance(f.get("fingerprint"), str)}


def build_plan(findings: list[Finding], wanted: set[str] | None, migrated: dict[str, str],
               replacement: str | None = None) -> PurgePlan:
    """Targets for `findings` (all of them, or those whose fingerprint is in `wanted`)."""
    chosen = [f for f in findings if wanted is None or f.fingerprint in wanted]
    targets = [Target(f, replacement_for(f, migrated, replacement)) for f in chosen]
    found = {f.fingerprint for f in findings}
    not_found = sorted(wanted - found) if wanted is not None else []
    return PurgePlan(targets, not_found)


def replacement_for(finding: Finding, migrated: dict[str, str], override: str | None) -> str:
    if override is not None:
        return override
    return migrated.get(finding.fingerprint) or MARKER.format(rule_id=finding.rule_id)


def check_replacement(text: str) -> str:
    """A replacement must fit on one replace-text line and not end the expression early."""
    if "\n" in text or "\r" in text or "==>" in text:
        raise ConfigError("--replacement must be one line and must not contain '==>'")
    return text

"""Which secrets to purge and what replaces each one.

A target is one grouped finding (rule + secret, every location) and its replacement: the
marker naming where the secret was migrated to, else a marker naming the rule. A report passed
with --from-report carries only fingerprints (its secrets are redacted), so the secrets come
from an in-process history scan matched by fingerprint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from keystow.detect.keystores import is_whole_file
from keystow.errors import ConfigError
from keystow.findings import Finding

MARKER = "***REMOVED-BY-KEYSTOW:{rule_id}***"
# never the bare reference: `password = "ssm:/db/pw"` would deploy the reference as the password
MOVED_MARKER = "***REMOVED-BY-KEYSTOW:moved-to-{reference}***"
FILE_REMOVED = "(the whole file, removed from history)"


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
    shared = _one_replacement_per_secret(chosen, migrated, replacement)
    targets = [Target(f, shared[f.secret]) for f in chosen]
    found = {f.fingerprint for f in findings}
    not_found = sorted(wanted - found) if wanted is not None else []
    return PurgePlan(targets, not_found)


def replacement_for(finding: Finding, migrated: dict[str, str], override: str | None) -> str:
    if is_whole_file(finding.rule_id):  # a keystore: its blobs are stripped (rewrite.py), nothing replaces them
        return FILE_REMOVED
    if override is not None:
        return override
    if finding.fingerprint in migrated:
        return MOVED_MARKER.format(reference=migrated[finding.fingerprint])
    return MARKER.format(rule_id=finding.rule_id)


def _one_replacement_per_secret(findings: list[Finding], migrated: dict[str, str],
                                override: str | None) -> dict[str, str]:
    """Two rules can find the same secret; one text replaces it, so both must name the same:
    a migrated reference if either was migrated, else the marker of the first rule id."""
    chosen: dict[str, str] = {}
    for finding in sorted(findings, key=lambda f: (f.fingerprint not in migrated, f.rule_id)):
        chosen.setdefault(finding.secret, replacement_for(finding, migrated, override))
    return chosen


def check_replacement(text: str) -> str:
    """A replacement must fit on one replace-text line and not end the expression early."""
    if "\n" in text or "\r" in text or "==>" in text:
        raise ConfigError("--replacement must be one line and must not contain '==>'")
    return text

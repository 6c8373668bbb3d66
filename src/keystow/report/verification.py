"""`scan --verify` verdicts as the reports show them (absent when the scan did not verify)."""

from __future__ import annotations


def verdict_of(result, finding):
    """The finding's keystow.verify.Verdict, or None."""
    return getattr(result, "verifications", {}).get(finding.fingerprint)


def verdict_json(result, finding) -> dict | None:
    verdict = verdict_of(result, finding)
    return verdict.to_json() if verdict is not None else None


def verdict_label(result, finding) -> str:
    """` [verified: active]`, or "" when not verified."""
    verdict = verdict_of(result, finding)
    return f" [verified: {verdict.label()}]" if verdict is not None else ""


def verdict_counts(result) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in result.findings:
        verdict = verdict_of(result, finding)
        if verdict is not None:
            counts[verdict.status] = counts.get(verdict.status, 0) + 1
    return counts

"""One secret, one finding: a generic rule gives way where a provider rule found the same value.

`GITHUB_TOKEN = "ghp_..."` matches the GitHub rule and a generic `token = "..."` rule; the
provider's finding says more (its name, its severity, its checksum was checked), so the generic
finding whose secret overlaps it is dropped. Findings of one blob only, compared by position.
"""

from __future__ import annotations

from keystow.findings import Finding, severity_rank


def _span(finding: Finding) -> tuple[tuple[int, int], tuple[int, int]]:
    location = finding.location
    return (location.line, location.column), (location.end_line, location.end_column)


def _overlaps(a: Finding, b: Finding) -> bool:
    (a_start, a_end), (b_start, b_end) = _span(a), _span(b)
    return a_start < b_end and b_start < a_end


def drop_shadowed_generic(findings: list[Finding], generic_rule_ids: frozenset[str]) -> list[Finding]:
    """`findings` of one blob without the generic ones (by the rule's kind: `generic_rule_ids`)
    a provider finding overlaps."""
    specific = [f for f in findings if f.rule_id not in generic_rule_ids]
    if len(specific) == len(findings) or not specific:
        return findings
    return [f for f in findings
            if f.rule_id not in generic_rule_ids or not any(_overlaps(f, other) for other in specific)]


def not_overlapping_specific(candidates: list[Finding], findings: list[Finding],
                             generic_rule_ids: frozenset[str]) -> list[Finding]:
    """`candidates` that no provider finding among `findings` overlaps: a value a file's structure
    names as a secret (Terraform state) is reported by the provider rule that also recognised it."""
    specific = [f for f in findings if f.rule_id not in generic_rule_ids]
    return [f for f in candidates if not any(_overlaps(f, other) for other in specific)]


def drop_same_span_duplicates(findings: list[Finding]) -> list[Finding]:
    """One finding per exact secret position: where two provider rules read the same characters
    (`aws-secret-access-key` and `aws-secret-access-key-near-id` on one line), keep the most
    severe, and of equals the rule listed first."""
    kept: dict[tuple, Finding] = {}
    for finding in findings:
        key = (finding.path, _span(finding))
        held = kept.get(key)
        if held is None or severity_rank(finding.severity) > severity_rank(held.severity):
            kept[key] = finding
    return [f for f in findings if kept[(f.path, _span(f))] is f]

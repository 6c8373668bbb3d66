"""What a scan produces: findings, their locations and provenance, fingerprints and redaction.

The identity of a finding is its content, not its line: the fingerprint hashes the rule and the
secret, so it survives line moves, rebases and squashes. The secret itself lives only in memory.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

FINGERPRINT_SALT = b"keystow-v1"
SEVERITIES = ("critical", "high", "medium", "low")


def severity_rank(severity: str) -> int:
    """Higher is worse; unknown severities rank lowest."""
    return len(SEVERITIES) - SEVERITIES.index(severity) if severity in SEVERITIES else 0


def fingerprint(rule_id: str, secret: str) -> str:
    """Salted hash of rule and secret: stable across paths, lines and commits."""
    digest = hashlib.sha256(FINGERPRINT_SALT + b"\0" + rule_id.encode() + b"\0" + secret.encode())
    return digest.hexdigest()[:32]


def redact(secret: str) -> str:
    """The first few characters and an ellipsis: enough to recognise, never enough to use.

    Four characters for ordinary secrets; fewer for short ones so that at most a quarter shows.
    """
    shown = min(4, len(secret) // 4)
    return secret[:shown] + "…"


@dataclass(frozen=True)
class Provenance:
    """The commit that first introduced a blob at a path."""

    commit: str
    author_name: str
    author_email: str
    date: str


@dataclass(frozen=True)
class Location:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    blob: str | None = None
    provenance: Provenance | None = None


class Located:
    """The first of `locations` and its parts: what reports sort and group by."""

    locations: tuple[Location, ...]

    @property
    def location(self) -> Location:
        return self.locations[0]

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column


@dataclass(frozen=True)
class Finding(Located):
    rule_id: str
    rule_name: str
    severity: str
    secret: str = field(repr=False)
    locations: tuple[Location, ...]
    tags: tuple[str, ...] = ()
    confidence: str = "high"
    # Set when the finding comes from a cache that never stores the secret (history scans):
    # then `secret` is "" and these stand in for the values derived from it.
    known_fingerprint: str | None = field(default=None, compare=False)
    known_redacted: str | None = field(default=None, compare=False)

    @property
    def fingerprint(self) -> str:
        return self.known_fingerprint or fingerprint(self.rule_id, self.secret)

    @property
    def redacted(self) -> str:
        return self.known_redacted or redact(self.secret)

    def shown_secret(self, show_secrets: bool) -> str:
        return self.secret if show_secrets else self.redacted

    def with_locations(self, locations: tuple[Location, ...]) -> Finding:
        return replace(self, locations=locations)


def group_by_secret(findings: list[Finding]) -> list[Finding]:
    """One finding per (rule, secret), carrying every location in first-seen order."""
    grouped: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        key = (finding.rule_id, finding.secret)
        seen = grouped.get(key)
        if seen is None:
            grouped[key] = finding
        else:
            new = tuple(loc for loc in finding.locations if loc not in seen.locations)
            grouped[key] = seen.with_locations(seen.locations + new)
    return list(grouped.values())


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule_id))

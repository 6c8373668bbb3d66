"""What scanning one blob yields, in a form that can be cached without the secret.

A `Hit` is a finding inside a blob, before it has a path or commit: rule, position, fingerprint,
redacted form, and (in memory only) the secret. `to_finding` places it at one location.
"""

from __future__ import annotations

from dataclasses import dataclass

from keystow.detect.ruleset import Rule
from keystow.detect.scanner import Blob, Scanner
from keystow.findings import Finding, Location, Provenance
from keystow.git.catfile import BINARY, ReadProblem


@dataclass(frozen=True)
class Hit:
    rule_id: str
    line: int
    column: int
    end_line: int
    end_column: int
    fingerprint: str
    redacted: str
    confidence: str
    secret: str = ""  # "" when the hit came from the cache
    public_example: str = ""  # where the secret is published as a documentation example, or ""
    # the finding's own: the scanner lowers the rule's for an encrypted key or a public example
    severity: str = ""
    # the finding's own name where it says more than the rule's: a value read by a document's
    # structure carries its place (`... (random_password.db $.resources[0]...)`); "" for the rule's
    name: str = ""

    def cacheable(self) -> list:
        return [getattr(self, name) for name in CACHED_FIELDS]


# What the blob cache stores of a hit, in order: everything but the secret.
CACHED_FIELDS = ("rule_id", "line", "column", "end_line", "end_column", "fingerprint", "redacted", "confidence",
                 "public_example", "severity", "name")


@dataclass(frozen=True)
class Outcome:
    """One blob's result: hits, or why it was not scanned."""

    hits: tuple[Hit, ...] = ()
    skip: ReadProblem | None = None
    scanned_bytes: int = 0


def scan_blob(scanner: Scanner, data: bytes, path: str = "") -> Outcome:
    """One blob's content, read as a file at `path` (a history blob: the first path it had; a
    message: none). A blob may sit at many paths: a keystore at a later one is found by
    history.named_keystores."""
    scanned = scanner.scan_bytes(Blob(path, data))
    if scanned is None:
        return Outcome(skip=ReadProblem(BINARY))
    findings, size = scanned
    return Outcome(tuple(hit_from_finding(f) for f in findings), scanned_bytes=size)


def hit_from_finding(finding: Finding) -> Hit:
    loc = finding.location
    return Hit(finding.rule_id, loc.line, loc.column, loc.end_line, loc.end_column,
               finding.fingerprint, finding.redacted, finding.confidence, finding.secret,
               finding.public_example or "", finding.severity, finding.rule_name)


def hit_from_cache(entry: list) -> Hit:
    return Hit(**dict(zip(CACHED_FIELDS, entry, strict=True)))  # the cache keeps no secret


def to_finding(hit: Hit, rules: dict[str, Rule], path: str, blob: str, provenance: Provenance | None) -> Finding:
    rule = rules[hit.rule_id]
    location = Location(path, hit.line, hit.column, hit.end_line, hit.end_column, blob, provenance)
    severity = hit.severity or rule.severity
    return Finding(rule.id, hit.name or rule.name, severity, hit.secret, (location,), rule.tags, hit.confidence,
                   known_fingerprint=None if hit.secret else hit.fingerprint,
                   known_redacted=None if hit.secret else hit.redacted, public_example=hit.public_example or None)

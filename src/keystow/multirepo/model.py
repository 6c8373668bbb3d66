"""What travels between the parent and the workers of `scan-repos`: plain, picklable dataclasses.

Inputs name a repository and how to scan it; the output carries findings in redacted form only
(fingerprint, redacted prefix, locations), so secret values never leave the worker process or
cross the network to a Dask scheduler.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from keystow.config import Config
from keystow.detect.entropy import charset_size
from keystow.findings import Finding, Located, Location
from keystow.sources import Skipped

MODES = ("history", "worktree")


@dataclass(frozen=True)
class RepoSpec:
    """One line of the repository list: a local path (made absolute) or a clone URL."""

    index: int
    source: str
    is_url: bool
    display: str  # what reports show: the URL without credentials, or the path as written


@dataclass(frozen=True)
class RepoScanSettings:
    mode: str = "history"
    config: Config = field(default_factory=Config)
    engine: str = "auto"
    inline_allow: bool = False  # an audit: the scanned repository's allow comments are its own say-so
    use_cache: bool = True
    clone_timeout: float = 1800.0  # seconds a clone may take before it is killed


# scan-repos reports leave this process (a Dask cluster, a shared file) without a repository salt
# to hash with, and a constant-salt fingerprint of a weak secret is recovered by hashing guesses
# next to its redacted prefix. A secret with fewer bits than this gets no fingerprint at all.
UNGUESSABLE_BITS = 96


def guessable_bits(secret: str) -> float:
    """log2 of the search space a guesser faces: length times the bits of its character set."""
    return len(secret) * math.log2(charset_size(secret)) if secret else 0.0


@dataclass(frozen=True)
class RedactedFinding(Located):
    """A finding without its secret; duck-types `Finding` for the JSON and text reports."""

    rule_id: str
    rule_name: str
    severity: str
    fingerprint: str
    redacted: str
    locations: tuple[Location, ...]
    tags: tuple[str, ...] = ()
    confidence: str = "high"
    public_example: str | None = None

    @classmethod
    def of(cls, finding: Finding) -> RedactedFinding:
        fingerprint = finding.fingerprint if guessable_bits(finding.secret) >= UNGUESSABLE_BITS else ""
        return cls(finding.rule_id, finding.rule_name, finding.severity, fingerprint,
                   finding.redacted, finding.locations, finding.tags, finding.confidence, finding.public_example)

    def shown_secret(self, show_secrets: bool) -> str:
        return self.redacted  # the value never travels, whatever the flag


@dataclass(frozen=True)
class RepoReport:
    """One repository's result: `status` "ok", or "error" with a one-line `error`."""

    spec: RepoSpec
    status: str
    error: str | None = None
    findings: tuple[RedactedFinding, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    notices: tuple[str, ...] = ()
    scanned_blobs: int = 0
    scanned_bytes: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def skipped_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.skipped:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        return counts


def failed(spec: RepoSpec, message: str) -> RepoReport:
    return RepoReport(spec, "error", error=message)

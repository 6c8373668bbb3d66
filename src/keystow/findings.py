"""What a scan produces: findings, their locations and provenance, fingerprints and redaction.

The identity of a finding is its content, not its line: the fingerprint hashes the rule and the
secret, so it survives line moves, rebases and squashes. The secret itself lives only in memory.
"""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

FINGERPRINT_SALT = b"keystow-v1"
SEVERITIES = ("critical", "high", "medium", "low")


def severity_rank(severity: str) -> int:
    """Higher is worse; unknown severities rank lowest."""
    return len(SEVERITIES) - SEVERITIES.index(severity) if severity in SEVERITIES else 0


def fingerprint(rule_id: str, secret: str) -> str:
    """Salted hash of rule and secret: stable across paths, lines and commits."""
    digest = hashlib.sha256(FINGERPRINT_SALT + b"\0" + rule_id.encode() + b"\0" + secret.encode())
    return digest.hexdigest()[:32]


# What a repository controls (file names, author names, rule names of extra rules, secrets) must
# not reach a terminal or a CI log as control characters: ANSI escapes repaint the screen, and a
# newline lets a path start a line of its own (`::add-mask::`, `::set-output` in GitHub Actions).
# C0/C1 controls, DEL, line/paragraph separators, bidi overrides, lone surrogates (undecodable
# bytes of a file name, which would be written back raw).
UNSAFE_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


_RUN_SALT: list[str] = []


def report_fingerprint(fingerprint: str, salt: str | None) -> str:
    """The fingerprint a report prints: `fingerprint` hashed again with the repository's salt
    (keystow.baseline.fingerprints), or with a random one per run when there is none. The
    constant-salt fingerprint never leaves the process: with a redacted prefix, it let a weak
    password be recovered offline."""
    if salt is None:
        if not _RUN_SALT:
            import os

            _RUN_SALT.append(os.urandom(16).hex())
        salt = _RUN_SALT[0]
    return hashlib.sha256(f"{salt}\0{fingerprint}".encode()).hexdigest()[:32]


def visible(text: str) -> str:
    """`text` with every control character shown as a Python-style escape (`\\x1b`, `\\n`)."""
    if text.isascii() and text.isprintable():
        return text
    return UNSAFE_CHARACTERS.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


REDACT_KEEP = 4  # characters shown by default (`scan --redact N` changes it)
# A secret at least this long also shows a 4-hex tag of its hash, so two tokens with the same
# prefix (every `ghp_...`) do not look alike. Shorter ones do not: 16 bits of the hash of a short
# password would narrow a brute force too much.
REDACT_TAG_FROM = 16
_REDACT_SALT = b"keystow-redact-v1\0"


def redact(secret: str, keep: int = REDACT_KEEP) -> str:
    """`ghp_…#3fa9`: the first `keep` characters (never more than a quarter of the secret), an
    ellipsis, and for long secrets a short tag of their hash: enough to recognise and tell apart,
    never enough to use."""
    shown = min(keep, len(secret) // 4)
    if len(secret) < REDACT_TAG_FROM:
        return secret[:shown] + "…"
    tag = hashlib.sha256(_REDACT_SALT + secret.encode("utf-8", "surrogateescape")).hexdigest()[:4]
    return f"{secret[:shown]}…#{tag}"


# Value types on the pre-commit hook's path are NamedTuples or plain classes, not dataclasses:
# importing `dataclasses` (which imports `inspect`) and building each class cost the hook ~30 ms
# of its ~130 ms (bench/RESULTS.md, hook latency).


class Provenance(NamedTuple):
    """The commit that first introduced a blob at a path."""

    commit: str
    author_name: str
    author_email: str
    date: str


class Location(NamedTuple):
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    blob: str | None = None
    provenance: Provenance | None = None


class Located:
    """The first of `locations` and its parts: what reports sort and group by."""

    __slots__ = ()
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


class Finding(Located):
    """One secret found by one rule, at one or more locations.

    Equality and hashing cover what was found (rule, secret, where); `known_fingerprint` and
    `known_redacted` stand in for the secret when it comes from a cache that never stores it
    (history scans: `secret` is then ""), and take no part in equality. The repr leaves the
    secret out, so a finding in a log or a traceback does not leak it.
    """

    __slots__ = ("rule_id", "rule_name", "severity", "secret", "locations", "tags", "confidence",
                 "known_fingerprint", "known_redacted", "public_example")

    def __init__(self, rule_id: str, rule_name: str, severity: str, secret: str,
                 locations: tuple[Location, ...], tags: tuple[str, ...] = (), confidence: str = "high",
                 known_fingerprint: str | None = None, known_redacted: str | None = None,
                 public_example: str | None = None) -> None:
        self.rule_id = rule_id
        self.rule_name = rule_name
        self.severity = severity
        self.secret = secret
        self.locations = locations
        self.tags = tags
        self.confidence = confidence
        self.known_fingerprint = known_fingerprint
        self.known_redacted = known_redacted
        # Where the secret is published as a documentation example (data/public-examples.yaml):
        # such a finding is informational and never fails a run.
        self.public_example = public_example

    def _identity(self) -> tuple:
        return (self.rule_id, self.rule_name, self.severity, self.secret, self.locations, self.tags, self.confidence)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        return (f"Finding(rule_id={self.rule_id!r}, severity={self.severity!r}, redacted={self.redacted!r}, "
                f"locations={self.locations!r}, confidence={self.confidence!r})")

    def replace(self, **changes: object) -> Finding:
        """A copy with some fields changed (findings are treated as immutable values)."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        fields.update(changes)
        return Finding(**fields)

    @property
    def fingerprint(self) -> str:
        return self.known_fingerprint or fingerprint(self.rule_id, self.secret)

    @property
    def redacted(self) -> str:
        return self.known_redacted or redact(self.secret)

    def shown_secret(self, show_secrets: bool) -> str:
        return self.secret if show_secrets else self.redacted

    def with_locations(self, locations: tuple[Location, ...]) -> Finding:
        return self.replace(locations=locations)


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


def is_leak(finding: object) -> bool:
    """Whether a finding can fail a run: not a provider's published example credential."""
    return not getattr(finding, "public_example", None)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule_id))

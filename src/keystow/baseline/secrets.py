"""Secrets for findings that arrive without one, so the baseline can hash them.

History and range scans answer blobs they scanned before from a cache that never stores a secret:
those findings carry their fingerprint and location but `secret == ""`. The baseline's salted
hashes need the value, so it is read again from the blob at the finding's location (only in
memory) and checked against the fingerprint before use.
"""

from __future__ import annotations

from pathlib import Path

from keystow import git
from keystow.detect.keystores import is_whole_file, secret_of
from keystow.detect.text import to_scannable
from keystow.findings import Finding, Location, fingerprint

MAX_BLOB = 64 << 20


def with_secrets(findings: list[Finding], repo: Path) -> list[Finding]:
    """`findings`, each secret-less one given its secret when its blob can be read."""
    wanted = {loc.blob for f in findings if not f.secret for loc in f.locations[:1] if loc.blob}
    if not wanted:
        return findings
    texts, binaries = {}, {}
    for blob_id, data, _problem in git.CatFile(repo, MAX_BLOB).read(sorted(wanted)):
        scannable = to_scannable(data) if data is not None else None
        if scannable is not None:
            texts[blob_id] = scannable.decode("utf-8", errors="replace").split("\n")
        elif data is not None:
            binaries[blob_id] = data
    return [_filled(f, texts, binaries) if not f.secret else f for f in findings]


def _filled(finding: Finding, texts: dict[str, list[str]], binaries: dict[str, bytes]) -> Finding:
    blob = finding.location.blob or ""
    if is_whole_file(finding.rule_id):  # a keystore: its secret is the whole file, not a span of lines
        secret = secret_of(binaries[blob]) if blob in binaries else None
    else:
        lines = texts.get(blob)
        secret = secret_at(lines, finding.location) if lines else None
    if secret is None or fingerprint(finding.rule_id, secret) != finding.fingerprint:
        return finding
    return finding.replace(secret=secret)


def secret_at(lines: list[str], loc: Location) -> str | None:
    """The text from (line, column) to (end_line, end_column), 1-based, end exclusive."""
    if not 1 <= loc.line <= loc.end_line <= len(lines):
        return None
    if loc.line == loc.end_line:
        return lines[loc.line - 1][loc.column - 1:loc.end_column - 1]
    parts = [lines[loc.line - 1][loc.column - 1:], *lines[loc.line:loc.end_line - 1],
             lines[loc.end_line - 1][:loc.end_column - 1]]
    return "\n".join(parts)

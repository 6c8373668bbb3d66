"""Fingerprints as reports print them: salted per repository.

A finding's own fingerprint (`keystow.findings.fingerprint`) uses one constant salt, so anyone
holding a report could test guesses offline: a weak password, its first characters shown
redacted, fell out of its fingerprint in milliseconds. Reports print
`sha256(repository salt, fingerprint)` instead. The salt is the baseline's (committed, so every
CI clone of the repository prints the same fingerprints and can dedupe), else a random one kept
in the repository's git config (`keystow.reportsalt`); outside a repository, a random one per
run. Whoever holds the salt holds the repository, and with it the secret.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from keystow import git
from keystow.baseline.model import load
from keystow.errors import FatalError
from keystow.findings import Finding, report_fingerprint

SALT_KEY = "keystow.reportsalt"  # in .git/config: not a cache, so clearing caches keeps it
SALT_SHAPE = re.compile(r"^[0-9a-f]{32}$")


def repository_salt(root: Path | None, baseline_file: Path | None = None) -> str | None:
    """The salt reports of this repository use (None: a random one per run)."""
    if baseline_file is not None and baseline_file.is_file():
        try:
            return load(baseline_file).salt
        except FatalError:
            pass  # an unreadable baseline is reported where it is applied
    if root is None or not root.is_dir():
        return None
    kept = [value for _, value in git.config_entries(root, f"^{SALT_KEY}$") if SALT_SHAPE.match(value)]
    if kept:
        return kept[-1]
    salt = os.urandom(16).hex()
    try:
        git.config_add(root, SALT_KEY, salt)
    except FatalError:
        return None  # not a repository, or a read-only one: this run's fingerprints are its own
    return salt


def salted(findings: list[Finding], salt: str | None) -> list[Finding]:
    """The findings as a report shows them: each fingerprint salted for the repository."""
    return [f.replace(known_fingerprint=report_fingerprint(f.fingerprint, salt)) for f in findings]

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
import time
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
    kept = _kept_salts(root)
    if not kept:
        try:
            git.config_add(root, SALT_KEY, os.urandom(16).hex())
        except FatalError:
            pass  # a concurrent run holds the config lock (its salt is read back below), or read-only
        kept = _kept_salts(root, wait_for_one=True)
    # The first salt ever written wins: runs that raced to add one all read back the same value.
    return kept[0] if kept else None


def _kept_salts(root: Path, wait_for_one: bool = False) -> list[str]:
    for _ in range(20 if wait_for_one else 1):
        kept = [value for _, value in git.config_entries(root, f"^{SALT_KEY}$") if SALT_SHAPE.match(value)]
        if kept:
            return kept
        if wait_for_one:
            time.sleep(0.05)  # another run's write may still hold config.lock
    return []


def salted(findings: list[Finding], salt: str | None) -> list[Finding]:
    """The findings as a report shows them: each fingerprint salted for the repository."""
    return [f.replace(known_fingerprint=report_fingerprint(f.fingerprint, salt)) for f in findings]

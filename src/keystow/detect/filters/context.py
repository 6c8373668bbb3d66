"""Context over shape: what the name a value is assigned to, and the file it is in, say about it.

A 64-hex value is a SHA-256 by its shape, and `secrets.token_hex(32)` by its name: under
`SECRET_KEY` it is a key, under `sha256`, `checksum` or `commit` (or in a lock file, whatever the
key is called) a digest. The shape alone decides only when there is no name to read.
"""

from __future__ import annotations

import posixpath
import re

# Names for digests, content hashes and revisions (`file_sha256`, `etag`, `git_rev`, `commitId`).
DIGEST_NAME = re.compile(rb"sha(?:1|224|256|384|512)?(?![a-z])|md5|checksum|digest|integrity|hash|etag"
                         rb"|commit|(?<![a-z])rev(?:ision)?(?![a-z])|fingerprint|(?<![a-z])oid(?![a-z])",
                         re.I)
# A test's expected value (`expected_password`, `EXPECTED_TOKEN`, `expectedApiKey`): what the code
# under test should produce from fixtures, not a credential anyone uses.
EXPECTATION_NAME = re.compile(rb"^[$@:]?(?:self\.|this\.)?expected(?:[_.-]|[A-Z])", re.I)
# Dependency lock files: every hex string in them is a digest or a pinned revision.
LOCK_FILES = frozenset((
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "poetry.lock",
    "pipfile.lock", "pdm.lock", "uv.lock", "cargo.lock", "go.sum", "gemfile.lock", "composer.lock",
    "packages.lock.json", "podfile.lock", "package.resolved", "mix.lock", "pubspec.lock", "flake.lock",
    "gradle.lockfile", "conan.lock", "requirements.lock", ".terraform.lock.hcl",
))


def is_lock_file(path: str) -> bool:
    """`package-lock.json`, `go.sum`, `Cargo.lock`, ... anywhere in the tree (case-insensitive)."""
    return posixpath.basename(path.replace("\\", "/")).lower() in LOCK_FILES


def names_a_digest(name: bytes) -> bool:
    """The text before a value (its key or variable name) calls it a digest or a revision."""
    return bool(DIGEST_NAME.search(name))


def names_an_expectation(name: bytes) -> bool:
    return bool(EXPECTATION_NAME.match(name.lstrip()))


def digest_by_context(name: bytes, path: str) -> bool:
    """Whether a value shaped like a hex digest should be taken for one: no name to read (the
    shape is all there is), a digest's name, or a lock file."""
    return not name.strip() or names_a_digest(name) or is_lock_file(path)

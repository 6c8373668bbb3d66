"""git-filter-repo `--replace-text` expressions, and the private file that carries them.

One line per secret: `literal:SECRET==>REPLACEMENT`. A literal cannot span lines, and a secret
with `==>` or control characters would be cut or mangled, so those secrets become
`regex:` lines in which every byte that is not an ASCII letter or digit is written as `\\xHH`:
nothing in the secret can then act as regex syntax, a line break or the `==>` separator.

The file holds real secrets, so it lives only inside a 0700 temporary directory, is created
0600, and is deleted when the rewrite ends, however it ends.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from keystow.purge.plan import Target

SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def needs_regex(secret: str) -> bool:
    return "==>" in secret or any(ord(c) < 0x20 or ord(c) == 0x7F for c in secret)


def escape_bytes(data: bytes) -> bytes:
    return b"".join(bytes([b]) if b in SAFE else b"\\x%02x" % b for b in data)


def expression_line(secret: str, replacement: str, force_regex: bool = False) -> bytes:
    raw = secret.encode("utf-8", "surrogateescape")
    if force_regex or needs_regex(secret):
        # re.sub treats backslashes in the replacement as group references
        escaped = replacement.replace("\\", "\\\\").encode("utf-8")
        return b"regex:" + escape_bytes(raw) + b"==>" + escaped
    return b"literal:" + raw + b"==>" + replacement.encode("utf-8")


def replace_text(targets: list[Target]) -> bytes:
    """All expressions, longest secret first, so a secret that contains another (a URL holding
    a password) is replaced whole before the shorter one breaks its match."""
    ordered = sorted(targets, key=lambda t: (-len(t.finding.secret), t.fingerprint))
    # one secret found by two rules: the first expression replaces it, a second would never match
    ordered = list({t.finding.secret: t for t in reversed(ordered)}.values())[::-1]
    all_regex = _literal_inside_regex([t.finding.secret for t in ordered])
    return b"".join(expression_line(t.finding.secret, t.replacement, all_regex) + b"\n" for t in ordered)


def _literal_inside_regex(secrets: list[str]) -> bool:
    """filter-repo applies every literal before any regex; a literal inside a regex-form secret
    would break that secret's match, so then all expressions take the regex form (kept in order)."""
    regex_form = [s for s in secrets if needs_regex(s)]
    return any(other != secret and other in secret for secret in regex_form for other in secrets)


@contextmanager
def private_file(content: bytes) -> Iterator[Path]:
    """A 0600 file in a 0700 directory, removed on exit."""
    directory = Path(tempfile.mkdtemp(prefix="keystow-purge-"))  # mkdtemp creates it 0700
    try:
        path = directory / "replace-text"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        yield path
    finally:
        shutil.rmtree(directory, ignore_errors=True)

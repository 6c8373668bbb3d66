"""Values that look like a secret's slot rather than a secret: placeholders, references, dummies."""

from __future__ import annotations

import re

PLACEHOLDER_WORDS = (
    "changeme", "change_me", "change-me", "replaceme", "replace_me", "your_", "your-", "yourkey",
    "placeholder", "dummy", "redacted", "example", "sample", "insert", "<", ">", "xxxx", "****",
    "....", "…", "todo", "fixme", "notreal", "not_real", "not-a-", "secret_here", "password_here",
)
TEMPLATE = re.compile(
    r"""\$\{|\{\{|\}\}|%\([^)]*\)s|^\$[A-Za-z_]|^%[A-Za-z_]+%$|^@@|^<%|^\#\{"""
    r"""|os\.environ|os\.getenv|getenv\(|process\.env|System\.getenv|ENV\[|secretKeyRef"""
    r"""|^(?:var|local|module|data)\.[a-z_]|\{\{resolve:|^!Ref\b|^arn:aws:"""
)
ENCRYPTED = re.compile(r"^\$ANSIBLE_VAULT|^ENC\[|^AgA[A-Za-z0-9+/]{100}|^vault:v\d+:")
PASSWORD_HASH = re.compile(r"^\$(?:2[abxy]?|argon2(?:id|i|d)|[156]|y|scrypt|pbkdf2[-_a-z0-9]*)\$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
HEX_DIGEST = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$", re.I)
INTEGRITY = re.compile(r"^(?:sha1|sha256|sha384|sha512)-[A-Za-z0-9+/=]{20,}$")
SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm")


def is_placeholder(secret: str) -> bool:
    """`changeme`, `<YOUR_KEY>`, `xxxx`, AWS's documentation keys ending in EXAMPLE, …"""
    lowered = secret.lower()
    return any(word in lowered for word in PLACEHOLDER_WORDS) or secret.endswith("EXAMPLE")


def is_templated(secret: str) -> bool:
    """A reference to a value kept elsewhere: `${VAR}`, `{{ var }}`, `os.environ[...]`, …"""
    return bool(TEMPLATE.search(secret))


def is_encrypted_or_hashed(secret: str) -> bool:
    """Ansible vault and sops blobs, and password hashes (bcrypt, argon2, crypt): not secrets."""
    return bool(ENCRYPTED.search(secret) or PASSWORD_HASH.search(secret))


def is_repetitive(secret: str) -> bool:
    """Mostly one or two repeated characters, or an alphabet/digit/keyboard run."""
    core = re.sub(r"[^A-Za-z0-9]", "", secret).lower()
    if len(core) < 4:
        return False
    if len(set(core)) <= 2:
        return True
    return _longest_sequence(core) >= max(6, len(core) // 2)


def _longest_sequence(text: str) -> int:
    """Length of the longest run of neighbours from an alphabet, digit or keyboard row."""
    best = run = 1
    for pair in zip(text, text[1:]):
        run = run + 1 if any("".join(pair) in seq for seq in SEQUENCES) else 1
        best = max(best, run)
    return best


def is_uuid(secret: str) -> bool:
    return bool(UUID.match(secret))


def is_hex_digest(secret: str) -> bool:
    """Git SHAs and content hashes, and lock-file `integrity` values."""
    return bool(HEX_DIGEST.match(secret) or INTEGRITY.match(secret))

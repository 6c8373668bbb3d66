"""Values that are not secrets by what they are: public material, encodings, digests and words.

Some predicates need the line the value sits on (`line`, bytes): a lock file's `integrity` field
or a `data:image/png;base64,` URI is recognised by its surroundings, never by the file's path.
"""

from __future__ import annotations

import base64
import binascii
import re

from keystow.detect import checksums
from keystow.detect.filters import placeholders, words

PUBLIC_MARKERS = ("PUBLIC KEY", "CERTIFICATE", "ssh-rsa AAAA", "ssh-ed25519 AAAA", "ssh-dss AAAA",
                  "ecdsa-sha2-nistp", "sk-ssh-ed25519@")
PUBLIC_LINE = re.compile(rb"-----BEGIN (?:[A-Z0-9 ]* )?(?:PUBLIC KEY|CERTIFICATE)|\bssh-(?:rsa|ed25519|dss) AAAA"
                         rb"|\becdsa-sha2-nistp\d+ AAAA|public[_-]?key|\bpubkey\b",
                         re.I)
# Base64 of common image headers: PNG, JPEG, GIF, WebP (RIFF), SVG (`<svg`), ICO.
IMAGE_MAGIC = ("iVBORw0KGgo", "/9j/", "R0lGOD", "UklGR", "PHN2Zy", "AAABAA")
DATA_URI = re.compile(rb"data:(?:image|font|application/(?:font|x-font|octet-stream))[^;,\s]*;base64,", re.I)
LOCK_LINE = re.compile(rb"""["']?(?:integrity|checksum|resolved|shasum|content-hash|hash)["']?\s*[:=]"""
                       rb"""|--hash=|\bh1:|"sha(?:1|256|384|512)[:-]""", re.I)
DIGESTISH = re.compile(r"^(?:(?:sha1|sha256|sha384|sha512|md5|h1)[:-])?[A-Za-z0-9+/=_-]{16,}$")
DEMO_PASSWORDS = frozenset(("open sesame", "password", "passw0rd", "secret", "test", "changeit", "admin"))
BASE64_TEXT = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")
# Prefixes whose tokens carry a checksum: a generic rule must not report what the provider's own
# rule rejected (`github_token = "ghp_..."` with a wrong CRC32 is a made-up value).
CHECKSUMMED_PREFIXES = (("ghp_", "github-crc32"), ("gho_", "github-crc32"), ("ghu_", "github-crc32"),
                        ("ghs_", "github-crc32"), ("ghr_", "github-crc32"), ("npm_", "npm-crc32"),
                        ("glsa_", "grafana-crc32"))
# Absolute or relative file paths, and slash-separated lowercase names (SSM parameters, Secrets
# Manager names: `prod/orders/db-password`): where a secret lives, not the secret.
FILE_PATH = re.compile(
    r"^(?:~|\.{1,2})?/[\w.@*-]+(?:/[\w.@*-]*)+$|^[A-Za-z]:\\|^[a-z][a-z0-9_.-]*(?:/[a-z0-9_.-]+)+/?$"
)
# A call, an attribute or an index: `request.headers.get('Authorization')`, `config['api_key']`.
CODE_EXPRESSION = re.compile(
    r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:\([^()]*\)?|\[[^\[\]]*\])(?:\.[\w$]+(?:\([^()]*\))?)*;?$"
    r"|^[A-Za-z_$][\w$]*(?:(?:->|::)[A-Za-z_$][\w$]*)+(?:\([^()]*\))?;?$"  # PHP/C++ members: `$cfg->db->password`
)
URL = re.compile(r"^[a-z][a-z0-9+.-]*://(?P<authority>[^/?#\s]*)(?P<rest>[/?#]\S*)?$", re.I)
SECRET_QUERY = re.compile(r"[?&;][\w-]*(?:token|key|secret|password|passwd|pwd|sig|signature|auth|code)[\w-]*=", re.I)
REGEX_PATTERN = re.compile(r"^\^.*\$$|\(\?[=!:<]|\[[^\]]*\w-\w[^\]]*\]|\{\d+,\d*\}|\\[dwsS]")


def is_public_key_or_certificate(secret: str, line: bytes = b"") -> bool:
    """Public keys and certificates are meant to be shared; the private half is what leaks."""
    if "PRIVATE" in secret:
        return False
    if any(marker in secret for marker in PUBLIC_MARKERS) or secret.startswith("age1"):
        return True
    return bool(line) and b"private" not in line.lower() and bool(PUBLIC_LINE.search(line))


# An element or attribute that says its value is ciphertext: FileZilla with a master password
# (`<Pass encoding="crypt">`), `encrypted="true"` in XML configs.
ENCRYPTED_MARK = re.compile(rb"""encoding=["']crypt["']|encrypted=["']true["']""", re.I)


def is_marked_encrypted(secret: str, line: bytes = b"") -> bool:
    return bool(line) and bool(ENCRYPTED_MARK.search(line))


def is_base64_image(secret: str, line: bytes = b"") -> bool:
    """Inline images and fonts: `data:image/png;base64,iVBOR...`, or an image's base64 header."""
    if secret.startswith(IMAGE_MAGIC) and len(secret) >= 64:
        return True
    return bool(line) and bool(DATA_URI.search(line))


def is_lockfile_integrity(secret: str, line: bytes = b"") -> bool:
    """`integrity: sha512-...`, `"checksum": ...`, pip `--hash=sha256:...`, go.sum `h1:...`."""
    return bool(line) and bool(DIGESTISH.match(secret)) and bool(LOCK_LINE.search(line))


def is_file_path(secret: str) -> bool:
    """`/run/secrets/db_password`, `./certs/key.pem`, `C:\\keys\\app.key`: where a secret lives."""
    return bool(FILE_PATH.match(secret))


def is_token_with_bad_checksum(secret: str) -> bool:
    """A provider-prefixed token whose checksum does not hold."""
    for prefix, validator in CHECKSUMMED_PREFIXES:
        if secret.startswith(prefix):
            return not checksums.is_valid(validator, secret)
    return False


def is_code_expression(secret: str) -> bool:
    """A call, attribute or index expression (`get_secret(name)`, `self._token()`): code, not a value."""
    return bool(CODE_EXPRESSION.match(secret))


def is_url_without_credentials(secret: str) -> bool:
    """`https://oauth2.googleapis.com/token`: an address, with no `user:password@` and no token in
    its query string."""
    match = URL.match(secret)
    if not match or "@" in match.group("authority"):
        return False
    return not SECRET_QUERY.search(match.group("rest") or "")


def is_regex_pattern(secret: str) -> bool:
    """`^(?=.*[A-Z]).{12,}$`, `[A-Za-z0-9]{8,64}`: a validation pattern for a secret."""
    return bool(REGEX_PATTERN.search(secret))


def is_encoded_dummy(secret: str) -> bool:
    """Base64 of a made-up value: `Zm9vOmJhcg==` is `foo:bar`, the basic-auth header of a test;
    `enhjdg==|MTIzNA==` (a signed-cookie pair, tornado's tests) is `zxcv` and `1234`. A decoded
    password that is one word (`hunter`, `Passwort`, a Unicode test's `sécrèt`) is dropped as the
    generic rules drop the same word written plain (filters.words.is_prose)."""
    if "|" in secret:
        return all(is_encoded_dummy(part) for part in secret.split("|"))
    if not 8 <= len(secret) <= 256 or not BASE64_TEXT.match(secret):
        return False
    try:
        decoded = base64.b64decode(secret + "=" * (-len(secret) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    if not decoded.isprintable():
        return False
    password = decoded.rpartition(":")[2]  # `user:password` in basic auth; the whole text otherwise
    return (placeholders.is_placeholder(decoded) or len(password) <= 4 or password.lower() in DEMO_PASSWORDS
            or placeholders.is_repetitive(password) or words.is_prose(password))

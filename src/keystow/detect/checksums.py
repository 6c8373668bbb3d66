"""Offline validators for token formats that carry a checksum or a verifiable structure.

A rule names one of these in its ``validator:`` key; a candidate whose secret fails its
validator is dropped. Every validator is a pure predicate ``(secret: str) -> bool`` that never
raises and never does I/O: it only re-computes what the issuer embedded in the token.

Registered names (``VALIDATORS``):

- ``github-crc32``     GitHub ``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_`` tokens (CRC32, base62)
- ``npm-crc32``        npm ``npm_`` access tokens (same scheme as GitHub)
- ``grafana-crc32``    Grafana service-account tokens ``glsa_<32>_<8 hex>`` (CRC32, hex LE)
- ``cloudflare-crc32`` Cloudflare scannable credentials ``cfut_``/``cfat_``/``cfk_`` + 40 + 8 hex (CRC32, hex BE)
- ``age-bech32``       age identities ``AGE-SECRET-KEY-1...`` / ``AGE-SECRET-KEY-PQ-1...`` (Bech32 checksum)
- ``pypi-macaroon``    PyPI API tokens ``pypi-...`` (macaroon v2 binary for pypi.org)
- ``jwt``              JSON Web Tokens (header and payload are base64url JSON objects, ``alg`` set)
- ``discord-bot-token`` Discord bot tokens (first segment is the base64 of a numeric snowflake)
- ``basic-auth``       HTTP Basic credentials (base64 of printable ``user:password``, RFC 7617)
- ``cisco-type7``      Cisco IOS type 7 passwords (2-digit seed + hex that decodes to printable text)
- ``atlassian-dc-pat`` Atlassian Data Center personal access tokens (base64 of ``<digits>:<random>``)

GitHub fine-grained tokens (``github_pat_<22>_<59>``) are deliberately *not* validated: GitHub
has not published a checksum for that format, so rules for them rely on length and entropy.
"""

from __future__ import annotations

import binascii
import zlib
from typing import Callable

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BASE62_SET = frozenset(BASE62)


def base62(number: int, width: int = 6) -> str:
    """``number`` in base62 (digits, then A-Z, then a-z), left-padded with ``0`` to ``width``."""
    digits = ""
    while number:
        number, rem = divmod(number, 62)
        digits = BASE62[rem] + digits
    return digits.rjust(width, "0")


def _base62_crc32_ok(body: str, random_len: int) -> bool:
    if len(body) != random_len + 6 or not set(body) <= _BASE62_SET:
        return False
    random_part, checksum = body[:random_len], body[random_len:]
    return base62(zlib.crc32(random_part.encode("ascii"))) == checksum


GITHUB_PREFIXES = ("ghp", "gho", "ghu", "ghs", "ghr")


def github_crc32(secret: str) -> bool:
    """GitHub classic tokens: ``<prefix>_`` + 30 random base62 chars + 6-char checksum.

    Format (GitHub blog, "Behind GitHub's new authentication token formats", 2021-04-05): the
    prefix is ``ghp`` (personal access token), ``gho`` (OAuth), ``ghu`` (user-to-server),
    ``ghs`` (server-to-server) or ``ghr`` (refresh); the last 6 characters are the CRC32
    (IEEE, as ``zlib.crc32``) of the 30 random characters, written in base62 with the alphabet
    ``0-9A-Za-z`` and left-padded with ``0``. The prefix is not part of the checksummed data.
    """
    prefix, sep, body = secret.partition("_")
    return bool(sep) and prefix in GITHUB_PREFIXES and _base62_crc32_ok(body, 30)


def npm_crc32(secret: str) -> bool:
    """npm access tokens: ``npm_`` + 30 random base62 chars + 6-char base62 CRC32.

    Format (GitHub blog, "Announcing npm's new access token format", 2021-09-23): the same
    scheme as GitHub's tokens — CRC32 of the random part, base62 ``0-9A-Za-z``, zero-padded.
    """
    prefix, sep, body = secret.partition("_")
    return bool(sep) and prefix == "npm" and _base62_crc32_ok(body, 30)


def grafana_crc32(secret: str) -> bool:
    """Grafana service-account tokens: ``glsa_`` + 32 alphanumerics + ``_`` + 8 hex chars.

    Format (grafana/grafana ``pkg/components/satokengen``): the key is ``"gl" + "sa" + "_" +
    secret`` and the suffix is the CRC32 (IEEE) of that key, as 4 little-endian bytes in
    lowercase hex. Grafana itself rejects a token whose checksum does not recompute.
    """
    key, sep, checksum = secret.rpartition("_")
    if not sep or not key.startswith("glsa_") or len(checksum) != 8:
        return False
    try:
        expected = zlib.crc32(key.encode("ascii")).to_bytes(4, "little").hex()
    except UnicodeEncodeError:
        return False
    return checksum == expected


CLOUDFLARE_PREFIXES = ("cfut_", "cfat_", "cfk_")


def cloudflare_crc32(secret: str) -> bool:
    """Cloudflare scannable API credentials: ``cfut_``/``cfat_``/``cfk_`` + 40 alphanumerics + 8 hex.

    Cloudflare documents "a distinct prefix followed by 40 characters and a checksum"; the
    checksum is the CRC32 (IEEE) of the 40-character body, in big-endian lowercase hex (it
    recomputes on every token of this format we have seen), so a typo or a made-up filler fails.
    """
    prefix = next((p for p in CLOUDFLARE_PREFIXES if secret.startswith(p)), None)
    if prefix is None or len(secret) != len(prefix) + 48:
        return False
    body, checksum = secret[len(prefix):-8], secret[-8:]
    if not all(c in _BASE62_SET for c in body):
        return False
    return checksum == f"{zlib.crc32(body.encode('ascii')):08x}"


BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def bech32_polymod(values: list[int]) -> int:
    """BIP-173 checksum polynomial over 5-bit values."""
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(_BECH32_GEN):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def bech32_hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


AGE_IDENTITY_HRPS = ("age-secret-key-", "age-secret-key-pq-")


def age_bech32(secret: str) -> bool:
    """age identities: ``AGE-SECRET-KEY-1`` + 58 Bech32 characters (52 data + 6 checksum).

    Format (age-encryption.org/v1, C2SP age spec): the X25519 private key (32 bytes) is encoded
    with Bech32 (BIP-173, constant 1 — not Bech32m) under the human-readable part
    ``age-secret-key-`` and written in upper case. The last 6 characters are the BCH checksum.
    age 1.3's post-quantum (ML-KEM-768 + X25519) identities encode their 32-byte seed the same way
    under ``age-secret-key-pq-``.
    """
    if secret != secret.upper() and secret != secret.lower():
        return False
    text = secret.lower()
    hrp, sep, data = text.rpartition("1")
    if not sep or hrp not in AGE_IDENTITY_HRPS or len(data) != 58:
        return False
    try:
        values = [BECH32_CHARSET.index(c) for c in data]
    except ValueError:
        return False
    return bech32_polymod(bech32_hrp_expand(hrp) + values) == 1


PYPI_LOCATIONS = (b"pypi.org", b"test.pypi.org")


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 28:
            raise ValueError("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _read_field(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """One macaroon v2 field: (type, payload, next position); type 0 (EOS) has no payload."""
    if pos >= len(data):
        raise ValueError("truncated field")
    kind = data[pos]
    if kind == 0:
        return 0, b"", pos + 1
    length, pos = _read_varint(data, pos + 1)
    if pos + length > len(data):
        raise ValueError("truncated payload")
    return kind, data[pos:pos + length], pos + length


def _macaroon_v2_ok(raw: bytes) -> bool:
    # libmacaroons v2 binary: version 2, [location 1], identifier 2, EOS, caveats*, EOS, signature 6
    if not raw or raw[0] != 2:
        return False
    pos = 1
    kind, location, pos = _read_field(raw, pos)
    if kind != 1 or location not in PYPI_LOCATIONS:
        return False
    kind, identifier, pos = _read_field(raw, pos)
    if kind != 2 or not identifier:
        return False
    kind, _, pos = _read_field(raw, pos)
    if kind != 0:
        return False
    for _ in range(64):  # caveats, each terminated by EOS; a bare EOS ends the list
        kind, payload, pos = _read_field(raw, pos)
        if kind == 0:
            break
        while kind != 0:
            if kind not in (1, 2, 4):
                return False
            kind, payload, pos = _read_field(raw, pos)
    else:
        return False
    kind, signature, pos = _read_field(raw, pos)
    return kind == 6 and len(signature) == 32 and pos == len(raw)


def pypi_macaroon(secret: str) -> bool:
    """PyPI API tokens: ``pypi-`` + unpadded URL-safe base64 of a v2 binary macaroon.

    Format (PyPI "API tokens" help; warehouse ``macaroons`` service, libmacaroons v2 binary
    serialization): version byte ``0x02``, a location field (type 1) equal to ``pypi.org`` (or
    ``test.pypi.org``) — hence every token starts ``pypi-AgEIcHlwaS5vcmc`` — an identifier field
    (type 2), EOS, caveats (fields 1/2/4, each closed by EOS), EOS, and a 32-byte HMAC-SHA256
    signature field (type 6) ending the data. The signature cannot be checked offline, but the
    whole structure must parse exactly.
    """
    if not secret.startswith("pypi-"):
        return False
    # late: the hook imports this module; base64 is on its no-import list
    import base64

    body = secret[5:]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return _macaroon_v2_ok(raw)
    except (ValueError, binascii.Error):
        return False


def _b64url_json(segment: str) -> object:
    # late: the hook imports this module; base64 and json are on its no-import list
    import base64
    import json

    raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    return json.loads(raw.decode("utf-8"))


def jwt(secret: str) -> bool:
    """JSON Web Tokens (RFC 7519 / JWS compact serialization, RFC 7515).

    ``header.payload.signature``: the header must base64url-decode to a JSON object with a
    string ``alg``, and the payload to a JSON object; the signature must be non-empty unless
    ``alg`` is ``none``. No signature check (that needs the key) — this only rejects strings that
    merely look like ``eyJ...``.
    """
    parts = secret.split(".")
    if len(parts) != 3:
        return False
    try:
        header = _b64url_json(parts[0])
        payload = _b64url_json(parts[1])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return False
    alg = header.get("alg")
    if not isinstance(alg, str):
        return False
    return bool(parts[2]) or alg.lower() == "none"


def discord_bot_token(secret: str) -> bool:
    """Discord bot tokens: ``base64(user id) . timestamp . HMAC``.

    Format (Discord developer docs, "Authentication"; widely documented token anatomy): the first
    dot-separated segment is the unpadded base64 of the bot's user id, a decimal snowflake of
    17-20 digits. Strings with the right shape but another first segment are rejected.
    """
    # late: the hook imports this module; base64 is on its no-import list
    import base64

    first = secret.split(".", 1)[0]
    try:
        raw = base64.b64decode(first + "=" * (-len(first) % 4), validate=True)
    except (ValueError, binascii.Error):
        return False
    return raw.isdigit() and 17 <= len(raw) <= 20 and raw[:1] != b"0"


def basic_auth(secret: str) -> bool:
    """HTTP Basic credentials (RFC 7617): ``base64(user-id ":" password)``.

    Not a checksum, but a structure only real credentials have: the value must be canonical
    base64 (length a multiple of 4, correct padding) that decodes to printable UTF-8 text with a
    colon after a non-empty user id and a non-empty password. Words that merely follow "Basic"
    (``Basic realm``, ``Basic usage``) fail.
    """
    # late: the hook imports this module; base64 is on its no-import list
    import base64

    if len(secret) < 8 or len(secret) % 4:
        return False
    try:
        text = base64.b64decode(secret, validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    user, sep, password = text.partition(":")
    return bool(sep and user and password) and text.isprintable()


# The fixed key Cisco IOS XORs type 7 passwords with (the seed picks the starting offset).
_CISCO_TYPE7_KEY = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"


def cisco_type7(secret: str) -> bool:
    """Cisco IOS type 7 passwords (`service password-encryption`): reversible, not a hash.

    Format: a two-digit decimal seed (00-15) and one hex pair a character, each the password's
    byte XOR the fixed key at (seed + position) mod its length. A real one decodes to printable
    ASCII; a hex run that only looks like one (a digest, a MAC address) almost never does.
    """
    if len(secret) < 4 or len(secret) % 2 or not secret[:2].isdigit() or int(secret[:2]) > 15:
        return False
    try:
        cipher = bytes.fromhex(secret[2:])
    except ValueError:
        return False
    seed = int(secret[:2])
    plain = bytes(byte ^ _CISCO_TYPE7_KEY[(seed + i) % len(_CISCO_TYPE7_KEY)] for i, byte in enumerate(cipher))
    return all(0x20 <= byte < 0x7F for byte in plain)


def atlassian_dc_pat(secret: str) -> bool:
    """Atlassian Data Center / Server personal access tokens (Jira, Confluence, Bitbucket).

    Structure: the base64 of ``<token id>:<random bytes>``, a decimal id (12 digits as issued)
    and 20 random bytes: 44 characters, no padding. Base64 words that merely have the length fail.
    """
    # late: the hook imports this module; base64 is on its no-import list
    import base64

    try:
        raw = base64.b64decode(secret, validate=True)
    except (ValueError, binascii.Error):
        return False
    token_id, sep, random_part = raw.partition(b":")
    return bool(sep) and token_id.isdigit() and 6 <= len(token_id) <= 20 and len(random_part) >= 16


VALIDATORS: dict[str, Callable[[str], bool]] = {
    "github-crc32": github_crc32,
    "npm-crc32": npm_crc32,
    "grafana-crc32": grafana_crc32,
    "cloudflare-crc32": cloudflare_crc32,
    "age-bech32": age_bech32,
    "pypi-macaroon": pypi_macaroon,
    "jwt": jwt,
    "discord-bot-token": discord_bot_token,
    "basic-auth": basic_auth,
    "cisco-type7": cisco_type7,
    "atlassian-dc-pat": atlassian_dc_pat,
}


def is_valid(name: str, secret: str) -> bool:
    """Run validator ``name`` on ``secret``; ``KeyError`` for an unknown name."""
    return VALIDATORS[name](secret)

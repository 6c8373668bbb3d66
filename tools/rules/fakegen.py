"""Deterministic FAKE credential generator for rule examples (never real values).

Usage:  python tools/rules/fakegen.py github ghp LABEL
        python tools/rules/fakegen.py rand ALPHABET LENGTH LABEL

Every value is derived from SHA-256 of a label, so re-running gives the same literals; the
checksummed ones are valid for keystow's validators (src/keystow/detect/checksums.py) but were
never issued by anyone.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from keystow.detect.checksums import (  # noqa: E402
    BECH32_CHARSET,
    base62,
    bech32_hrp_expand,
    bech32_polymod,
)

ALPHABETS = {
    "alnum": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "upperonly": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "lower": "abcdefghijklmnopqrstuvwxyz0123456789",
    "loweronly": "abcdefghijklmnopqrstuvwxyz",
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "digits": "0123456789",
    "b64": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "b64url": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    "b32": "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
    "b32lower": "abcdefghijklmnopqrstuvwxyz234567",
    "pw": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%+-_@^~",
}
# Substrings the placeholder filter treats as "not a real secret"; generated values avoid them.
AVOID = ("example", "sample", "dummy", "todo", "xxxx", "test", "fixme", "your", "insert", "redact",
         "abcd", "1234", "qwer", "aaaa", "0000", "fake", "mock", "foobar", "lorem", "hunter2", "s3cr3t",
         "passw0rd")


def _stream(label: str):
    counter = 0
    while True:
        yield from hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1


def rand(alphabet: str, length: int, label: str) -> str:
    chars = ALPHABETS.get(alphabet, alphabet)
    attempt = 0
    while True:
        out = []
        limit = 256 - 256 % len(chars)
        for byte in _stream(f"{label}#{attempt}"):
            if byte < limit:
                out.append(chars[byte % len(chars)])
                if len(out) == length:
                    break
        value = "".join(out)
        if not any(word in value.lower() for word in AVOID):
            return value
        attempt += 1


def github(prefix: str, label: str) -> str:
    body = rand("alnum", 30, label)
    return f"{prefix}_{body}{base62(zlib.crc32(body.encode()))}"


def npm(label: str) -> str:
    body = rand("alnum", 30, label)
    return f"npm_{body}{base62(zlib.crc32(body.encode()))}"


def grafana_sa(label: str) -> str:
    key = "glsa_" + rand("alnum", 32, label)
    return f"{key}_{zlib.crc32(key.encode()).to_bytes(4, 'little').hex()}"


def _convertbits(data: bytes, frombits: int, tobits: int) -> list[int]:
    acc = bits = 0
    out = []
    for value in data:
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & ((1 << tobits) - 1))
    if bits:
        out.append((acc << (tobits - bits)) & ((1 << tobits) - 1))
    return out


def age(label: str) -> str:
    hrp = "age-secret-key-"
    data = _convertbits(hashlib.sha256(label.encode()).digest(), 8, 5)
    polymod = bech32_polymod(bech32_hrp_expand(hrp) + data + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return (hrp + "1" + "".join(BECH32_CHARSET[d] for d in data + checksum)).upper()


def _field(kind: int, payload: bytes) -> bytes:
    assert len(payload) < 128
    return bytes([kind, len(payload)]) + payload


def pypi(label: str) -> str:
    ident = json.dumps({"version": 1, "uid": rand("hex", 32, label + "uid")}).encode()[:120]
    caveat = json.dumps([1, [rand("loweronly", 8, label + "proj")]]).encode()
    sig = hashlib.sha256(label.encode() + b"sig").digest()
    raw = (b"\x02" + _field(1, b"pypi.org") + _field(2, ident) + b"\x00"
           + _field(2, caveat) + b"\x00" + b"\x00" + _field(6, sig))
    return "pypi-" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _b64url(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def jwt(label: str) -> str:
    header = _b64url({"alg": "HS256", "typ": "JWT"})
    payload = _b64url({"sub": rand("digits", 10, label), "name": "Fake User", "iat": 1700000000})
    return f"{header}.{payload}.{rand('b64url', 43, label + 'sig')}"


def discord(label: str) -> str:
    user_id = "1" + rand("digits", 17, label)
    first = base64.b64encode(user_id.encode()).decode().rstrip("=")
    return f"{first}.{rand('b64url', 6, label + 't')}.{rand('b64url', 38, label + 'h')}"


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    if kind == "rand":
        print(rand(args[0], int(args[1]), args[2]))
    else:
        print(globals()[kind](*args))

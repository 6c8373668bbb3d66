"""Fake credentials for the demo, the tests and the quality benchmark.

Each value has the shape of a real credential (prefix, length, alphabet, checksum) and is made
from a seeded generator, so runs are reproducible. None is, or was ever, a real credential. The
literals are assembled at run time so keystow's own sources never contain a credential-shaped
string.
"""

from __future__ import annotations

import base64
import random
import string
import zlib

from keystow.detect.checksums import base62  # the encoding the validators check

ALNUM = string.ascii_letters + string.digits
UPPER_B32 = string.ascii_uppercase + "234567"


class Fakes:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)

    def chars(self, alphabet: str, length: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def aws_access_key_id(self) -> str:
        return "AK" + "IA" + self.chars(UPPER_B32, 16)

    def aws_secret_access_key(self) -> str:
        return self.chars(ALNUM + "+/", 40)

    def github_token(self, prefix: str = "ghp") -> str:
        body = self.chars(ALNUM, 30)
        return f"{prefix}_{body}{base62(zlib.crc32(body.encode()), 6)}"

    def slack_bot_token(self) -> str:
        return (
            "xo"
            + "xb-"
            + self.chars(string.digits, 12)
            + "-"
            + self.chars(string.digits, 13)
            + "-"
            + self.chars(ALNUM, 24)
        )

    def stripe_live_key(self) -> str:
        return "sk" + "_live_" + self.chars(ALNUM, 24)

    def password(self, length: int = 16) -> str:
        return self.chars(ALNUM + "!#%&*+-=?@^_", length)

    def postgres_url(self, user: str = "app", host: str = "db.internal", dbname: str = "orders") -> str:
        return f"postgres://{user}:{self.password(18)}@{host}:5432/{dbname}"

    def rsa_private_key_pem(self) -> str:
        """A PEM block of the right shape; the body is random bytes, not a usable key."""
        body = base64.b64encode(self.rng.randbytes(1190)).decode()
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        kind = "RSA PRIVATE" + " KEY"
        return "\n".join([f"-----BEGIN {kind}-----", *lines, f"-----END {kind}-----"]) + "\n"

    # --- more shapes for the quality benchmark (bench/quality) -----------------------------

    def token(self, prefix: str, alphabet: str, length: int, suffix: str = "") -> str:
        """`prefix` + `length` random characters from `alphabet` + `suffix`."""
        return prefix + self.chars(alphabet, length) + suffix

    def crc32_token(self, prefix: str) -> str:
        """npm-style: `prefix_` + 30 base62 characters + their CRC32 in 6 base62 digits."""
        body = self.chars(ALNUM, 30)
        return f"{prefix}_{body}{base62(zlib.crc32(body.encode()), 6)}"

    def jwt(self) -> str:
        def segment(raw: bytes) -> str:
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")

        payload = '{"sub":"%s","iat":%d}' % (self.chars(string.digits, 10), 1700000000 + self.rng.randrange(10**7))
        return ".".join([segment(b'{"alg":"HS256","typ":"JWT"}'), segment(payload.encode()),
                         segment(self.rng.randbytes(32))])

    def pem_private_key(self, kind: str = "RSA", size: int = 1190) -> str:
        """A PEM private-key block (`kind` "RSA", "EC", "OPENSSH", "" for PKCS#8) of random bytes."""
        body = base64.b64encode(self.rng.randbytes(size)).decode()
        label = (kind + " " if kind else "") + "PRIVATE" + " KEY"
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        return "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + "\n"


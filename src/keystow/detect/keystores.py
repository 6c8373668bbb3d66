"""Binary keystores: a Java or PKCS#12 key store committed to the repository is a secret file.

The matcher reads text, and a binary blob is skipped; a keystore is the one kind of binary blob
that is a credential, so it is recognised here before the skip, by its structure where its
format has one and by its file name where it has none:

- JKS: magic 0xFEEDFEED, version 1 or 2, then entries tagged 1 (private key) or 2 (trusted
  certificate) in the clear (sun.security.provider.JavaKeyStore);
- JCEKS: magic 0xCECECECE, the same layout plus tag 3 (secret key) (com.sun.crypto.provider.JceKeyStore);
- PKCS#12 (RFC 7292): DER `PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo, ... }`
  whose ContentInfo is PKCS#7 data (password integrity) or signedData (public-key integrity);
- by name only: BouncyCastle BKS/UBER/BCFKS and any other binary file named `*.jks`, `*.jceks`,
  `*.keystore`, `*.p12`, `*.pfx`, `*.bks`, `*.uber`, `*.bcfks` that matches no structure.

A finding is the whole file: its secret is the file's bytes in base64 (what migrate stores and
`keystow run --file PATH` writes back), so its fingerprint is the content's, whatever the path,
and it is placed at line 1, column 1 (a binary file has no lines). No byte of the file is ever
printed: reports show the redacted base64.

Severity and confidence: a keystore's keys are encrypted with its password, yet unlike an
encrypted PEM key (reported low) a keystore with a visible key entry is high: keystore
passwords are notoriously defaults (`changeit`, `android`, `password`) or committed beside the
store (`server.ssl.key-store-password`), and both JKS's integrity check and PKCS#12's MAC let
anyone test guesses offline at full speed. A store whose key entries cannot be seen (a PKCS#12
with encrypted contents, a format read by name only) is medium: it may hold a key or only
certificates.

Truststores are not reported: a JKS/JCEKS whose every entry is a trusted certificate, or a
PKCS#12 showing only certificate bags and nothing encrypted, holds public certificates only.
The name decides only where the content cannot: an unreadable store named like a truststore
(`cacerts`, `*trust*`, e.g. Android's `res/raw/truststore.bks` for certificate pinning) is not
reported; a file called `cacerts` holding a private key entry is.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from keystow.detect.ruleset import Rule

JKS_MAGIC, JCEKS_MAGIC = b"\xfe\xed\xfe\xed", b"\xce\xce\xce\xce"
KEY_ENTRY, TRUSTED_CERT_ENTRY, SECRET_KEY_ENTRY = 1, 2, 3
# DER object identifiers, tag and length included.
PKCS7_DATA = bytes.fromhex("06092a864886f70d010701")
PKCS7_SIGNED_DATA = bytes.fromhex("06092a864886f70d010702")
PKCS7_ENCRYPTED_DATA = bytes.fromhex("06092a864886f70d010706")
PKCS7_ENVELOPED_DATA = bytes.fromhex("06092a864886f70d010703")
_BAG = "060b2a864886f70d010c0a01"  # 1.2.840.113549.1.12.10.1.N: the PKCS#12 bag types
KEY_BAGS = tuple(bytes.fromhex(_BAG + n) for n in ("01", "02", "05"))  # key, shrouded key, secret
KEYSTORE_SUFFIXES = (".jks", ".jceks", ".keystore", ".p12", ".pfx", ".bks", ".uber", ".bcfks")
TRUSTSTORE_NAME = re.compile(r"^cacerts(?:\.\w+)?$|trust", re.IGNORECASE)


def _rule(rule_id: str, name: str, description: str, severity: str = "high") -> Rule:
    """A keystore "rule": no regex (the matcher never sees binary blobs), the rest as any rule's,
    so history, baselines and reports treat its findings as any other."""
    return Rule(rule_id, name, description, severity, "", (), None, None, 0, ("keystore", "private-key", "binary"),
                (), (), __name__, "provider", severity)


RULES = {rule.id: rule for rule in (
    _rule("keystore-pkcs12", "PKCS#12 keystore (.p12/.pfx)",
          "A PKCS#12 file holding private keys and certificates, protected by a password anyone can test offline."),
    _rule("keystore-jks", "Java KeyStore (JKS)",
          "A Java KeyStore with a private key entry, protected by a password anyone can test offline."),
    _rule("keystore-jceks", "Java JCEKS keystore",
          "A JCEKS keystore with a private or secret key entry, protected by a password anyone can test offline."),
    _rule("keystore-file", "Keystore file (by name)",
          "A binary file named as a keystore (BKS, UBER, BCFKS, .jks, .p12, ...) whose contents keystow cannot read.",
          "medium"),
)}


class Keystore(NamedTuple):
    """What a binary blob was recognised as: the rule, and whether a key entry can be seen."""

    rule_id: str
    key_seen: bool

    @property
    def severity(self) -> str:
        """Also the confidence: a key entry seen is a secret for sure; otherwise maybe."""
        return "high" if self.key_seen else "medium"


def recognise(data: bytes, path: str) -> Keystore | None:
    """The keystore `data` is (its structure first, then `path`'s name), or None: not a
    keystore, or a truststore (public certificates only)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if data[:4] in (JKS_MAGIC, JCEKS_MAGIC):
        holds = java_keystore_holds_key(data)
        rule_id = "keystore-jks" if data[:4] == JKS_MAGIC else "keystore-jceks"
        return _unless_truststore(Keystore(rule_id, bool(holds)), name, holds is None)
    if is_pkcs12(data):
        # A key bag in the clear (keys are shrouded inside it) is a key; encrypted contents may
        # hide one; neither: certificates only, a truststore.
        hidden = PKCS7_ENCRYPTED_DATA in data or PKCS7_ENVELOPED_DATA in data
        return _unless_truststore(Keystore("keystore-pkcs12", any(bag in data for bag in KEY_BAGS)), name, hidden)
    if named_like_keystore(name):
        return _unless_truststore(Keystore("keystore-file", False), name, True)
    return None


def named_like_keystore(path: str) -> bool:
    return path.lower().endswith(KEYSTORE_SUFFIXES)


def _unless_truststore(found: Keystore, name: str, unreadable: bool) -> Keystore | None:
    """`found`, or None for a store that shows no key and either shows only certificates
    (`unreadable` False: nothing in it keystow could not read) or is named like a truststore."""
    if found.key_seen:
        return found
    if not unreadable or TRUSTSTORE_NAME.search(name):
        return None
    return found


def secret_of(data: bytes) -> str:
    """What a keystore finding holds as its secret: the whole file, base64-encoded."""
    # late: the hook's warm path imports this module (its rule ids) and must stay free of base64
    import base64

    return base64.b64encode(data).decode("ascii")


def is_whole_file(rule_id: str) -> bool:
    """A finding that is a whole binary file (placed at 1:1, no lines of its own)."""
    return rule_id in RULES


def java_keystore_holds_key(data: bytes) -> bool | None:
    """Whether a JKS/JCEKS has a private or secret key entry: True, False (trusted certificates
    only, or empty), None (a structure keystow cannot follow to the end)."""
    reader = _Reader(data, 4)
    version = reader.integer(4)
    count = reader.integer(4)
    if version not in (1, 2) or count is None:
        return None
    for _ in range(count):
        tag = reader.integer(4)
        if tag in (KEY_ENTRY, SECRET_KEY_ENTRY):
            return True
        if tag != TRUSTED_CERT_ENTRY or not (reader.utf() and reader.skip(8) and _certificate(reader, version)):
            return None
    return False


def _certificate(reader: _Reader, version: int) -> bool:
    """Past one certificate: its type name (version 2) and its length-prefixed encoding."""
    if version == 2 and not reader.utf():
        return False
    length = reader.integer(4)
    return length is not None and reader.skip(length)


class _Reader:
    """Big-endian fields read forward through a byte string; a read past its end fails (None/False)."""

    def __init__(self, data: bytes, offset: int) -> None:
        self.data, self.offset = data, offset

    def integer(self, size: int) -> int | None:
        end = self.offset + size
        if end > len(self.data):
            return None
        value = int.from_bytes(self.data[self.offset:end], "big")
        self.offset = end
        return value

    def skip(self, size: int) -> bool:
        if self.offset + size > len(self.data):
            return False
        self.offset += size
        return True

    def utf(self) -> bool:
        """Past a Java modified-UTF-8 string (2-byte length, then the bytes)."""
        length = self.integer(2)
        return length is not None and self.skip(length)


def is_pkcs12(data: bytes) -> bool:
    """A DER (or BER, indefinite outer length) SEQUENCE spanning the file, starting with
    INTEGER 3 and a ContentInfo whose type is PKCS#7 data or signedData."""
    outer = _header(data, 0, 0x30)
    if outer is None:
        return False
    start, length = outer
    if length is not None and start + length != len(data):
        return False
    if data[start:start + 3] != b"\x02\x01\x03":
        return False
    content_info = _header(data, start + 3, 0x30)
    if content_info is None:
        return False
    oid = data[content_info[0]:content_info[0] + len(PKCS7_DATA)]
    return oid in (PKCS7_DATA, PKCS7_SIGNED_DATA)


def _header(data: bytes, offset: int, tag: int) -> tuple[int, int | None] | None:
    """(where the contents start, their length or None for an indefinite length) of the
    element at `offset` when it has this tag."""
    if len(data) < offset + 2 or data[offset] != tag:
        return None
    first = data[offset + 1]
    if first < 0x80:
        return offset + 2, first
    if first == 0x80:
        return offset + 2, None
    size = first & 0x7F
    if size > 4 or len(data) < offset + 2 + size:
        return None
    return offset + 2 + size, int.from_bytes(data[offset + 2:offset + 2 + size], "big")

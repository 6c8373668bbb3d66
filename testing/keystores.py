"""Real keystores made on the spot for tests (no binary fixture with a key is committed): PKCS#12
through the `cryptography` package, JKS and JCEKS built from their documented layout
(sun.security.provider.JavaKeyStore: magic, version 2, entries, SHA-1 integrity trailer), which
`keytool -list` accepts. Keys are fresh P-256 keys, certificates self-signed and short-lived.
"""

from __future__ import annotations

import datetime
import hashlib
import struct

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "changeit"
JKS_MAGIC, JCEKS_MAGIC = 0xFEEDFEED, 0xCECECECE
PRIVATE_KEY_ENTRY, TRUSTED_CERT_ENTRY = 1, 2
TIMESTAMP_MS = 1_700_000_000_000


def key_and_certificate(name: str = "keystow-test") -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    return key, certificate


def pkcs12_with_key(password: str = PASSWORD) -> bytes:
    key, certificate = key_and_certificate()
    return pkcs12.serialize_key_and_certificates(b"server", key, certificate, None,
                                                 serialization.BestAvailableEncryption(password.encode()))


def pkcs12_certificates_only(encrypted: bool) -> bytes:
    """A truststore: CA certificates, in the clear or (as Java writes them) encrypted."""
    _, certificate = key_and_certificate("keystow-test-ca")
    protection = (serialization.BestAvailableEncryption(PASSWORD.encode()) if encrypted
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(None, None, None, [certificate], protection)


def java_keystore(private_keys: int = 1, trusted: int = 0, magic: int = JKS_MAGIC, password: str = PASSWORD) -> bytes:
    """A JKS (or, with JCEKS_MAGIC, a JCEKS) holding `private_keys` key entries (each with its
    certificate chain) and `trusted` trusted-certificate entries."""
    body = struct.pack(">III", magic, 2, private_keys + trusted)
    for number in range(private_keys):
        key, certificate = key_and_certificate()
        protected = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                      serialization.BestAvailableEncryption(password.encode()))
        body += _entry_head(PRIVATE_KEY_ENTRY, f"key{number}") + _bytes(protected) + struct.pack(">I", 1)
        body += _certificate(certificate)
    for number in range(trusted):
        body += _entry_head(TRUSTED_CERT_ENTRY, f"ca{number}") + _certificate(key_and_certificate("ca")[1])
    # the integrity check keytool verifies: SHA-1 over the password (UTF-16BE), a fixed phrase and the body
    return body + hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + body).digest()


def _entry_head(tag: int, alias: str) -> bytes:
    return struct.pack(">I", tag) + _utf(alias) + struct.pack(">Q", TIMESTAMP_MS)


def _certificate(certificate: x509.Certificate) -> bytes:
    return _utf("X.509") + _bytes(certificate.public_bytes(serialization.Encoding.DER))


def _utf(text: str) -> bytes:
    encoded = text.encode("utf-8")
    return struct.pack(">H", len(encoded)) + encoded


def _bytes(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data

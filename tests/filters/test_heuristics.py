"""Public material, encodings, digests and words: each heuristic with a case it drops and keeps."""

from __future__ import annotations

import base64

import pytest

from keystow.detect.filters import heuristics as h
from keystow.detect.filters import words as w
from testing.fakes import Fakes

REAL = Fakes(12).password(24)


def test_public_key_and_certificate():
    assert h.is_public_key_or_certificate("-----BEGIN PUBLIC KEY-----\nMIIBIjAN")
    assert h.is_public_key_or_certificate("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG")
    assert h.is_public_key_or_certificate(REAL, b'ssh_public_key = "' + REAL.encode() + b'"')
    assert h.is_public_key_or_certificate(REAL, b"-----BEGIN CERTIFICATE-----")


def test_private_material_is_never_public():
    assert not h.is_public_key_or_certificate("-----BEGIN RSA PRIVATE KEY-----\nMIIE")
    assert not h.is_public_key_or_certificate(REAL, b'{"public_key": "x", "private_key": "y"}')
    assert not h.is_public_key_or_certificate(REAL, b'password = "' + REAL.encode() + b'"')


def test_base64_image():
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(60)).decode()
    assert h.is_base64_image(png)
    assert h.is_base64_image(REAL, b'src="data:image/png;base64,' + REAL.encode() + b'"')
    assert not h.is_base64_image(REAL, b'token: "' + REAL.encode() + b'"')


@pytest.mark.parametrize("line", [
    b'"integrity": "sha512-VALUE=="', b"  checksum: VALUE", b"requests==2.31 --hash=sha256:VALUE",
    b"golang.org/x/net v0.1.0 h1:VALUE=", b'"sha256:VALUE"',
])
def test_lockfile_integrity(line):
    digest = base64.b64encode(bytes(range(48))).decode()
    assert h.is_lockfile_integrity(digest, line.replace(b"VALUE", digest.encode()))


def test_lockfile_integrity_needs_the_context():
    digest = base64.b64encode(bytes(range(48))).decode()
    assert not h.is_lockfile_integrity(digest, b'api_key = "' + digest.encode() + b'"')
    assert not h.is_lockfile_integrity(digest)


@pytest.mark.parametrize(
    "value", ["/run/secrets/db_password", "./certs/key.pem", "~/.ssh/id_rsa", "/properties/Endpoints/*/Url"]
)
def test_file_path(value):
    assert h.is_file_path(value)


@pytest.mark.parametrize("predicate", [w.is_prose, w.is_identifier, h.is_file_path,
                                       h.is_public_key_or_certificate, h.is_base64_image])
def test_a_random_password_passes(predicate):
    assert not predicate(REAL)


def test_token_with_bad_checksum():
    token = Fakes(14).github_token()
    assert not h.is_token_with_bad_checksum(token)
    assert h.is_token_with_bad_checksum(token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not h.is_token_with_bad_checksum(REAL)


@pytest.mark.parametrize("value", ["request.headers.get('Authorization')", "get_secret(name)", "self._load_token()",
                                   "config['api_key']", "request.headers.get(", "data->token->value",
                                   "Config::get('db.password')"])
def test_code_expression(value):
    assert h.is_code_expression(value)


def test_url_without_credentials():
    assert h.is_url_without_credentials("https://oauth2.googleapis.com/token")
    assert not h.is_url_without_credentials("https://deploy:" + REAL + "@registry.internal/v2/")
    assert not h.is_url_without_credentials("https://hooks.acme.internal/notify?token=" + REAL)


@pytest.mark.parametrize("value", ["^(?=.*[A-Z])(?=.*\\d).{12,}$", "[A-Za-z0-9]{8,64}", "^ghp_[A-Za-z0-9]{36}$"])
def test_regex_pattern(value):
    assert h.is_regex_pattern(value)


def test_names_of_stored_secrets_and_headers():
    assert h.is_file_path("prod/orders/db-password")
    assert w.is_identifier("X-API-Key")


@pytest.mark.parametrize("predicate", [h.is_code_expression, h.is_url_without_credentials, h.is_regex_pattern,
                                       h.is_token_with_bad_checksum])
def test_random_passwords_pass_the_code_heuristics(predicate):
    fakes = Fakes(15)
    assert not any(predicate(fakes.password(20)) for _ in range(200))


def test_encoded_dummy():
    assert h.is_encoded_dummy(base64.b64encode(b"test:123").decode())
    assert h.is_encoded_dummy(base64.b64encode(b"Aladdin:open sesame").decode())
    assert not h.is_encoded_dummy(base64.b64encode(("deploy:" + REAL).encode()).decode())


@pytest.mark.parametrize("pair", ["renée:mötley", "jürgen:Kennwort", "ana:contraseña", "josé:sécrèt"])
def test_an_encoded_one_word_password_is_a_dummy(pair):
    """Seen on real code (tornado's tests): a Basic header for `josé:<secret with a schwa>`, a
    Unicode test's word, is dropped as the same word written plain is."""
    assert h.is_encoded_dummy(base64.b64encode(pair.encode()).decode())


def test_an_encoded_random_password_beside_a_unicode_user_is_kept():
    assert not h.is_encoded_dummy(base64.b64encode(("renée:" + REAL).encode()).decode())
    letters = Fakes(13).chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 14)  # letters, no word
    assert not h.is_encoded_dummy(base64.b64encode(("renée:" + letters).encode()).decode())

"""Values a filter used to take for something else by shape alone: a UUID under a key's name (many
providers issue UUID keys), a short random password in a connection string (a fixed entropy bar
drops every password under 8 characters), a `secret_`-prefixed token (the prefix is its kind)."""

from __future__ import annotations

import uuid

import pytest

from keystow.config import Config
from keystow.detect.entropy import shannon_entropy
from keystow.detect.filters.chain import filter_reason
from keystow.detect.filters.placeholders import is_leet_word
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset
from testing.fakes import Fakes

ENGINES = ["re"] + (["hyperscan"] if hyperscan_available() else [])
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_fakes = Fakes(1517)


@pytest.fixture(scope="module", params=ENGINES)
def scanner(request):
    return Scanner(load_ruleset(Config()), FilterPolicy(), request.param)


def secrets_in(scanner: Scanner, text: str, path: str = "settings.env") -> list[str]:
    return [f.secret for f in scanner.scan(Blob(path, text.encode()))]


def fake_uuid() -> str:
    return str(uuid.UUID(int=int(_fakes.chars("0123456789abcdef", 32), 16), version=4))


@pytest.mark.parametrize("line", ["API_KEY={v}", "NPM_TOKEN=\"{v}\"", 'client_secret: "{v}"',
                                  '"_authToken": "{v}"', "SCW_SECRET_KEY={v}", "x-api-key: {v}"])
def test_a_uuid_under_a_credential_name_is_reported(scanner, line):
    value = fake_uuid()
    assert value in secrets_in(scanner, line.format(v=value) + "\n")


@pytest.mark.parametrize("line", ["request_token = \"{v}\"", "ClientToken: {v}", "CSRF_TOKEN={v}",
                                  "idempotency_key = \"{v}\"", "token: {v}", "session_id={v}"])
def test_a_uuid_under_an_id_or_nonce_name_stays_an_id(scanner, line):
    value = fake_uuid()
    assert secrets_in(scanner, line.format(v=value) + "\n") == []


def test_the_uuid_filter_reads_the_name():
    value = fake_uuid()
    assert filter_reason(value, generic=True, name=b'token = "') == "uuid"
    assert filter_reason(value, generic=True, name=b'API_KEY = "') is None


@pytest.mark.parametrize("password", ["k7Qz3w", "x9!mTq", "4fRb7Kzq", "w8xq2mfz9v"])
def test_a_short_random_password_in_a_connection_string_is_reported(scanner, password):
    url = f"DATABASE_URL=postgres://app:{password}@db.acme.internal:5432/app"
    assert password in secrets_in(scanner, url + "\n")
    assert password in secrets_in(scanner, f"amqp://svc:{password}@mq.acme.internal:5672/\n")


@pytest.mark.parametrize("password", ["hunter2", "passw0rd", "P@ssw0rd", "s3cr3t", "Summer2024", "pass"])
def test_a_word_made_password_keeps_the_bar(scanner, password):
    assert is_leet_word(password) or len(password) < 6
    assert secrets_in(scanner, f"DATABASE_URL=postgres://app:{password}@db.acme.internal/app\n") == []


def test_a_secret_prefix_is_a_token_kind_not_a_dummy_word(scanner):
    token = "secret_" + _fakes.chars(ALNUM, 43)
    assert filter_reason(token, generic=True) is None
    assert token in secrets_in(scanner, f'integration_secret: "{token}"\n', "config.yaml")
    assert filter_reason("secret_" + "test" + _fakes.chars(ALNUM, 40), generic=True) == "dummy-word"
    assert filter_reason("my_secret_value", generic=True) == "dummy-word"


def test_a_uuid_key_meets_the_hex_keys_bar_not_the_generic_one(scanner):
    """A random UUID scores under the generic 3.5 now and then (its 32 hex digits average ~3.6)."""
    value = next(v for v in (fake_uuid() for _ in range(2000)) if shannon_entropy(v) < 3.45)
    assert value in secrets_in(scanner, f"service.credentials.secret={value}\n", "app.properties")

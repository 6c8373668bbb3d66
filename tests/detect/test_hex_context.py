"""Context over shape: a hex value under a secret's name is a key (`secrets.token_hex()`), under a
digest's name or in a lock file it is a digest."""

from __future__ import annotations

import pytest

from keystow.config import Config
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset
from testing.fakes import Fakes

ENGINES = ["re"] + (["hyperscan"] if hyperscan_available() else [])
HEX = "0123456789abcdef"
_fakes = Fakes(77)


@pytest.fixture(scope="module", params=ENGINES)
def scanner(request):
    return Scanner(load_ruleset(Config()), FilterPolicy(), request.param)


def secrets_in(scanner: Scanner, text: str, path: str = "settings.py") -> list[str]:
    return [f.secret for f in scanner.scan(Blob(path, text.encode()))]


@pytest.mark.parametrize("length", [32, 40, 48, 56, 64, 96, 128])
@pytest.mark.parametrize("name", ["SECRET_KEY", "JWT_SECRET", "API_KEY", "WEBHOOK_SECRET", "NEW_RELIC_LICENSE_KEY"])
def test_hex_key_under_a_secret_name_is_reported(scanner, name, length):
    value = _fakes.chars(HEX, length)
    assert secrets_in(scanner, f'{name} = "{value}"\n') == [value]


@pytest.mark.parametrize("name", ["sha256", "checksum", "digest", "integrity", "file_hash", "etag",
                                  "commit", "git_rev", "secret_sha256", "token_digest", "api_key_hash"])
def test_hex_under_a_digest_name_is_not_reported(scanner, name):
    value = _fakes.chars(HEX, 64)
    assert secrets_in(scanner, f'{name} = "{value}"\n') == []
    assert secrets_in(scanner, f'{name}: "{value}"\n', "config.yaml") == []


@pytest.mark.parametrize("path", ["package-lock.json", "web/yarn.lock", "poetry.lock", "Cargo.lock", "go.sum",
                                  "Pipfile.lock", "composer.lock", "Gemfile.lock", "pnpm-lock.yaml"])
def test_hex_in_a_lock_file_is_not_reported(scanner, path):
    value = _fakes.chars(HEX, 40)
    assert secrets_in(scanner, f'  "token": "{value}",\n', path) == []
    assert secrets_in(scanner, f'  "token": "{value}",\n', "config.json") == [value]


def test_hex_digest_filter_still_drops_digests_without_a_name():
    from keystow.detect.filters.chain import filter_reason

    value = _fakes.chars(HEX, 64)
    assert filter_reason(value, generic=True) == "hex-digest"
    assert filter_reason(value, generic=True, name=b'SECRET_KEY = "') is None
    assert filter_reason(value, generic=True, name=b'SECRET_SHA256 = "') == "hex-digest"
    assert filter_reason(value, generic=True, name=b'SECRET_KEY = "', path="Cargo.lock") == "hex-digest"

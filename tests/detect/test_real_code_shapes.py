"""Shapes from installed third-party code (bench/quality/realcode.py) that the built-in rules
reported, each with a fresh example that is no secret and a real secret of the same shape that is
still found: a DNS verification token, a multi-host URL, lists of type names and a Basic header
whose password is a Unicode test word."""

from __future__ import annotations

import base64
import string

import pytest

from keystow.config import Config
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset
from testing.fakes import Fakes

FAKES = Fakes(43)
ALNUM = string.ascii_letters + string.digits
SES_TOKEN = base64.b64encode(FAKES.rng.randbytes(32)).decode()  # SES: base64 of 32 bytes
SLACK_VERIFICATION = FAKES.chars(ALNUM, 24)
PASSWORD = FAKES.chars(ALNUM, 20)
MIXED = FAKES.chars(ALNUM + "!#%&*+-=?^_", 20)


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(load_ruleset(Config()), FilterPolicy(inline_allow=False), "re")


def secrets(scanner: Scanner, text: str, path: str = "app/service.py") -> list[str]:
    return [finding.secret for finding in scanner.scan(Blob(path, text.encode()))]


def basic(pair: str) -> str:
    return base64.b64encode(pair.encode()).decode()


@pytest.mark.parametrize("text", [
    f'    return {{"VerificationStatus": "Pending", "VerificationToken": "{SES_TOKEN}"}}\n',
    f'domain_verification_token = "{SES_TOKEN}"\n',
    'hosts = MultiHostUrl("https://db1.acme.io:8443,foo:bar@db2.acme.io/app")\n',
    "KNOWN = {'WebAuthnCredential',\n  'ConstraintViolationError'}\n",
    "NAMES = {'msgQueueRetryToken', 'sfntGlyphEncoding', 'cfgWindowOptions'}\n",
    f'self.assertEqual(header, b"Basic {basic("renée:pässwort")}")\n',
    "    ...     'smb://myuser:mypassword@myserver.com/' 'share/folder/file.csv'\n",  # fsspec's docstring
])
def test_real_code_shapes_are_not_reported(scanner, text):
    assert secrets(scanner, text) == []


@pytest.mark.parametrize(("text", "secret"), [
    (f'    return {{"authToken": "{SES_TOKEN}"}}\n', SES_TOKEN),
    (f'    slackevents.TokenComparator{{VerificationToken: "{SLACK_VERIFICATION}"}}\n', SLACK_VERIFICATION),
    (f'hosts = MultiHostUrl("https://db1.acme.io:8443,ops:{PASSWORD}@db2.acme.io/app")\n', PASSWORD),
    (f'os.Setenv("API_TOKEN", "{MIXED}")\n', MIXED),
    (f'headers = {{"Authorization": "Basic {basic("renée:" + PASSWORD)}"}}\n', basic("renée:" + PASSWORD)),
    (f"BACKUP = 'smb://svc-backup:{PASSWORD}@files01.acme.internal/share'\n", PASSWORD),
])
def test_real_secrets_of_the_same_shapes_are_found(scanner, text, secret):
    assert secret in secrets(scanner, text)


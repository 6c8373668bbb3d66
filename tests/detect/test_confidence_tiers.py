"""Confidence from evidence: a provider format is high, a secret's name with a random value is
medium, a password's name with a weak value is low (reported only by `--min-confidence low`).
Encrypted private keys are low; rules with `paths:` fire only in their own kind of file."""

from __future__ import annotations

import json

import pytest

from keystow.config import Config
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset
from testing.fakes import Fakes
from tests.helpers import run_keystow

ENGINES = ["re"] + (["hyperscan"] if hyperscan_available() else [])
_fakes = Fakes(91)


@pytest.fixture(scope="module", params=ENGINES)
def scanner(request):
    return Scanner(load_ruleset(Config()), FilterPolicy(), request.param)


def findings(scanner: Scanner, text: str, path: str = "settings.py"):
    return scanner.scan(Blob(path, text.encode()))


def test_provider_token_is_high_and_named_random_value_is_medium(scanner):
    token = _fakes.github_token()
    [provider] = findings(scanner, f'github_token = "{token}"\n')
    assert provider.secret == token and provider.confidence == "high"
    password = _fakes.password(18)
    [generic] = findings(scanner, f'db_password = "{password}"\n')
    assert generic.secret == password and generic.confidence == "medium"


@pytest.mark.parametrize("text, value", [
    ("services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: gorilla\n", "gorilla"),
    ("POSTGRES_PASSWORD=hunter22\n", "hunter22"),
    ("password: letmein1\n", "letmein1"),
])
def test_weak_password_is_low_confidence_and_low_severity(scanner, text, value):
    [finding] = findings(scanner, text, "docker-compose.yml")
    assert (finding.secret, finding.confidence, finding.severity) == (value, "low", "low")


def test_strong_password_reports_once_at_medium(scanner):
    password = _fakes.password(18)
    [finding] = findings(scanner, f"DB_PASSWORD={password}\n", ".env")
    assert finding.confidence == "medium" and finding.rule_id == "generic-password-ini-env"


@pytest.mark.parametrize("text", ["password: required\n", "password: ${DB_PASSWORD}\n", "password = self.password\n",
                                  "password: changeme\n"])
def test_weak_tier_still_skips_references_and_schema_words(scanner, text):
    assert findings(scanner, text, "config.yaml") == []


def test_encrypted_pem_key_is_low_not_a_plaintext_key(scanner):
    body = "\n".join(
        _fakes.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 64) for _ in range(8)
    )
    encrypted = (
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
        + _fakes.chars("0123456789ABCDEF", 32)
        + "\n\n"
        + body
        + "\n-----END RSA PRIVATE KEY-----\n"
    )
    [finding] = findings(scanner, encrypted, "id_rsa")
    assert (finding.rule_id, finding.severity, finding.confidence) == ("private-key-rsa", "low", "low")
    plain = "-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----\n"
    [finding] = findings(scanner, plain, "id_rsa")
    assert (finding.severity, finding.confidence) == ("critical", "high")
    pkcs8 = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "\n-----END ENCRYPTED PRIVATE KEY-----\n"
    [finding] = findings(scanner, pkcs8, "key.pem")
    assert (finding.severity, finding.confidence) == ("low", "low")


@pytest.mark.parametrize(
    "path, expected",
    [(".netrc", True), ("home/ci/.netrc", True), ("_netrc", True), ("README.md", False), ("notes.txt", False)],
)
def test_path_scoped_rule_fires_only_in_its_files(scanner, path, expected):
    password = _fakes.chars("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20)
    found = [
        f
        for f in findings(scanner, f"default login anonymous password {password}\n", path)
        if f.rule_id == "netrc-file-password"
    ]
    assert bool(found) is expected


def test_pgpass_file_entry_any_port(scanner):
    password = _fakes.chars("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 20)
    line = f"db.acme.internal:6432:app:app_rw:{password}\n"
    assert [f.secret for f in findings(scanner, line, "home/app/.pgpass")] == [password]
    assert [f for f in findings(scanner, line, "notes.txt") if f.rule_id == "pgpass-file-entry"] == []


def test_min_confidence_low_audit_finds_what_the_default_run_does_not(tmp_path):
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: gorilla\n"
    )
    (tmp_path / ".env").write_text("POSTGRES_PASSWORD=hunter22\n")
    default = run_keystow("scan", ".", "--format", "json", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout)["findings"] == []
    audit = run_keystow("scan", ".", "--format", "json", "--min-confidence", "low", cwd=tmp_path)
    assert audit.returncode == 1, audit.stderr
    reported = json.loads(audit.stdout)["findings"]
    assert sorted(f["path"] for f in reported) == [".env", "docker-compose.yml"]
    assert {f["confidence"] for f in reported} == {"low"}
    strict = run_keystow("scan", ".", "--min-confidence", "high", cwd=tmp_path)
    assert strict.returncode == 0


def test_an_audit_reports_keyboard_runs_padded_placeholders_and_short_words_in_every_file(tmp_path):
    """Issue 15 item 5: `qwerty12`, `changeme1`, `hunter2` are passwords someone set; the default
    run stays quiet on them and on the bare placeholder `changeme`."""
    files = {
        "settings.py": 'DATABASE_PASSWORD = "qwerty12"\n',
        ".env": "ADMIN_PASSWORD=changeme1\nDEFAULT_PASSWORD=changeme\n",
        "deploy.sh": "#!/bin/sh\ncurl -fsS -u ci:hunter2 https://nexus.acme.internal/upload\n",
        "Makefile": "DB_PASSWORD := Changeme123!\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    default = run_keystow("scan", ".", "--format", "json", cwd=tmp_path)
    assert default.returncode == 0 and json.loads(default.stdout)["findings"] == [], default.stdout
    audit = run_keystow("scan", ".", "--format", "json", "--min-confidence", "low", cwd=tmp_path)
    assert audit.returncode == 1, audit.stderr
    reported = json.loads(audit.stdout)["findings"]
    assert sorted((f["path"], f["line"]) for f in reported) == [(".env", 1), ("Makefile", 1), ("deploy.sh", 2),
                                                                 ("settings.py", 1)]
    assert {(f["confidence"], f["severity"]) for f in reported} == {("low", "low")}


def test_min_confidence_high_drops_generic_medium_findings(tmp_path):
    (tmp_path / "settings.py").write_text(f'db_password = "{_fakes.password(18)}"\n')
    assert run_keystow("scan", ".", cwd=tmp_path).returncode == 1
    assert run_keystow("scan", ".", "--min-confidence", "high", cwd=tmp_path).returncode == 0


def test_min_confidence_rejects_an_unknown_level(tmp_path):
    result = run_keystow("scan", ".", "--min-confidence", "maybe", cwd=tmp_path)
    assert result.returncode == 2 and b"Traceback" not in result.stderr

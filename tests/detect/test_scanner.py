"""The scanner pipeline: matcher → rule gates (entropy, checksum) → filters → inline allow → finding."""

from __future__ import annotations

import re

import pytest

from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from testing.fakes import Fakes
from tests.detect.rulekit import DEMO, DEMO_TOKEN, GENERIC, GH, PASSWORD, rule, ruleset

ENGINES = ["re", "hyperscan"]


@pytest.fixture(params=ENGINES)
def engine(request):
    from keystow.detect.matcher import hyperscan_available

    if request.param == "hyperscan" and not hyperscan_available():
        pytest.skip("hyperscan not installed")
    return request.param


def found(text: str, *raws, engine="re", **policy) -> list[str]:
    scanner = Scanner(ruleset(*(raws or (DEMO, GENERIC, GH))), FilterPolicy(**policy), engine)
    return [f.secret for f in scanner.scan(Blob("t.py", text.encode()))]


def test_finding_carries_exact_position_and_provenance(engine):
    scanner = Scanner(ruleset(DEMO), FilterPolicy(), engine)
    [finding] = scanner.scan(Blob("t.py", f"é = 1\nx = '{DEMO_TOKEN}'\n".encode(), blob_id="abc"))
    location = finding.location
    assert (location.path, location.line, location.column, location.end_column) == ("t.py", 2, 6, 30)
    assert finding.rule_id == "demo-token" and location.blob == "abc" and finding.confidence == "high"


def test_binary_blob_has_no_findings(engine):
    assert Scanner(ruleset(DEMO), FilterPolicy(), engine).scan(Blob("b", b"\0" + DEMO_TOKEN.encode())) == []


def test_entropy_gate():
    raw = rule("hexish", r"key=(?P<secret>[a-z0-9]{16})", entropy=3.0)
    assert found("key=aaaaaaaabbbbbbbb", raw) == []
    assert found("key=k3j4h5g6f7d8s9a0", raw) == ["k3j4h5g6f7d8s9a0"]


def test_checksum_failure_is_dropped_or_kept_at_low_confidence():
    token = Fakes(4).github_token()
    broken = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert found(f"t = {token}", GH) == [token]
    assert found(f"t = {broken}", GH) == []
    scanner = Scanner(ruleset(GH), FilterPolicy(invalid_checksum="low"), "re")
    [finding] = scanner.scan(Blob("t", f"t = {broken}".encode()))
    assert finding.confidence == "low"


@pytest.mark.parametrize("value", ["${DB_PASSWORD}", "changeme123", "<password>", "$2b$12$abcdefghijklmnopqrstuv"])
def test_filters_drop_non_secrets(value, engine):
    assert found(f"password = '{value}'", engine=engine) == []


def test_generic_only_filters_follow_the_rule_kind():
    uuid = "123e4567-e89b-12d3-a456-426614174000"
    assert found(f"password = '{uuid}'", GENERIC) == []
    assert found(f"uuid_key: {uuid}", rule("uuid-key", r"uuid_key: (?P<secret>[0-9a-f-]{36})")) == [uuid]


def test_line_context_reaches_the_filters():
    digest = "Vq3" + Fakes(9).chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40)
    generic = rule("generic-hash", r"[:=] ?\"(?P<secret>[A-Za-z0-9+/=-]{40,})\"", kind="generic")
    assert found(f'"integrity": "{digest}"', generic) == []
    assert found(f'token = "{digest}"', generic) == [digest]


def test_inline_allow_and_policy_allowlists():
    secret = PASSWORD
    line = f"password = '{secret}'"
    assert found(line + "  # keystow:allow") == []
    assert found("# keystow:allow-next-line\n" + line) == []
    assert found(line + "  # keystow:allow", inline_allow=False) == [secret]
    assert found(line, stopwords=(PASSWORD[4:8].lower(),)) == []
    assert found(line, allow_regexes=(re.compile("^" + re.escape(PASSWORD[:3])),)) == []
    assert found(line) == [secret]

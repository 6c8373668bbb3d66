"""Every HTTP verifier against a fake provider on 127.0.0.1: a valid credential is `active`, any
other `inactive`; the credential goes only to the configured host, redirects are not followed,
slow providers time out as `unknown`, and the concurrency and per-provider rate limits hold."""

from __future__ import annotations

import time

import pytest

from keystow.errors import ConfigError
from keystow.findings import Finding, Location
from keystow.verify import ACTIVE, INACTIVE, UNKNOWN
from keystow.verify.http import check_base_url
from keystow.verify.providers import PROVIDERS
from keystow.verify.runner import Settings, verify_findings
from testing.fakes import Fakes
from tests.verify.fake_provider import fake_provider

SID = "AC" + "0123456789abcdef" * 2
RULE_FOR = {p.name: sorted(p.rule_ids)[0] for p in PROVIDERS}


def finding(rule_id: str, secret: str, path: str = "app.py") -> Finding:
    return Finding(rule_id, rule_id, "high", secret, (Location(path, 1, 1, 1, 1 + len(secret)),))


def settings_for(url: str, **kwargs) -> Settings:
    return Settings({p.env_name: url for p in PROVIDERS}, **kwargs)


def twilio_line(f: Finding) -> str:
    return f'client = Client("{SID}", "{f.secret}")'


@pytest.mark.parametrize("provider", sorted(RULE_FOR))
def test_each_verifier_tells_active_from_inactive(provider):
    fakes = Fakes(sum(map(ord, provider)))
    good, bad = fakes.password(32), fakes.password(32)
    findings = [finding(RULE_FOR[provider], good), finding(RULE_FOR[provider], bad)]
    with fake_provider({good}) as server:
        verdicts = verify_findings(findings, settings_for(server.url, interval=0), twilio_line)
    assert [verdicts[f.fingerprint].status for f in findings] == [ACTIVE, INACTIVE]
    assert len(server.requests) == 2
    sent = " ".join(str(headers) + path for path, headers in server.requests)
    assert good in sent or good in _decoded(sent)


def _decoded(text: str) -> str:
    import base64
    import re

    return " ".join(base64.b64decode(m).decode(errors="replace") for m in re.findall(r"Basic ([A-Za-z0-9+/=]+)", text))


def test_default_hosts_are_the_official_https_api_hosts():
    hosts = {p.name: p.base_url for p in PROVIDERS}
    assert hosts["github"] == "https://api.github.com" and hosts["slack"] == "https://slack.com"
    assert all(url.startswith("https://") for url in hosts.values())
    assert {p.env_name for p in PROVIDERS} >= {"KEYSTOW_VERIFY_GITHUB_URL", "KEYSTOW_VERIFY_DATADOG_URL"}


@pytest.mark.parametrize("url", ["http://api.github.example", "http://10.0.0.1:8080", "ftp://127.0.0.1", "file:///etc"])
def test_plain_http_is_refused_except_to_loopback(url):
    with pytest.raises(ConfigError, match="must be https"):
        check_base_url(url, "github")
    assert check_base_url("http://127.0.0.1:9/", "github") == "http://127.0.0.1:9"
    assert check_base_url("https://github.example.com/api/v3", "github") == "https://github.example.com/api/v3"


def test_a_bad_url_stops_before_any_credential_is_sent():
    with fake_provider(set()) as server:
        with pytest.raises(ConfigError):
            verify_findings([finding("github-classic-pat", "x" * 40)],
                            Settings({"KEYSTOW_VERIFY_GITHUB_URL": "http://example.invalid"}), twilio_line)
        assert server.requests == []


def test_redirects_are_not_followed(tmp_path):
    secret = Fakes(5).password(32)
    with fake_provider({secret}) as elsewhere:
        with fake_provider(set(), redirect_to=elsewhere.url) as server:
            verdicts = verify_findings([finding("github-classic-pat", secret)], settings_for(server.url), twilio_line)
    assert elsewhere.requests == []  # the credential never reached the redirect target
    assert list(verdicts.values())[0].status == UNKNOWN and "302" in list(verdicts.values())[0].reason


def test_a_slow_provider_times_out_as_unknown():
    secret = Fakes(6).password(32)
    with fake_provider({secret}, delay=1.5) as server:
        start = time.monotonic()
        verdicts = verify_findings(
            [finding("npm-access-token", secret)], settings_for(server.url, timeout=0.3), twilio_line
        )
    assert time.monotonic() - start < 1.4
    verdict = list(verdicts.values())[0]
    assert verdict.status == UNKNOWN and "npm" in verdict.reason


def test_concurrency_and_per_provider_rate_limits_hold():
    secrets = [Fakes(100 + i).password(32) for i in range(6)]
    with fake_provider(set(secrets), delay=0.2) as server:
        findings = [finding("openai-api-key", s) for s in secrets[:3]] + [
            finding("npm-access-token", s) for s in secrets[3:]
        ]
        start = time.monotonic()
        verdicts = verify_findings(findings, settings_for(server.url, workers=2, interval=0.25), twilio_line)
        elapsed = time.monotonic() - start
    assert {v.status for v in verdicts.values()} == {ACTIVE}
    assert server.max_in_flight <= 2
    assert elapsed >= 0.5  # three openai calls, at least 0.25 s apart


def test_findings_without_a_verifier_or_partner_are_unknown_with_a_reason():
    verdicts = verify_findings(
        [
            finding("generic-password-assignment", "hunter2hunter2"),
            finding("aws-access-key-id", Fakes(7).aws_access_key_id()),
            finding("twilio-auth-token", "0" * 32),
        ],
        Settings({}),
        lambda f: "",
    )
    reasons = sorted(v.reason for v in verdicts.values())
    assert all(v.status == UNKNOWN for v in verdicts.values())
    assert reasons == [
        "no matching secret access key in the same file",
        "no verifier for this rule",
        "the account SID is not on the token's line",
    ]

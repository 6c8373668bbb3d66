"""Keys that providers mark as test/sandbox keys (sk_test_, FLWSECK_TEST, access-sandbox-, EZTK,
shippo_test_, duffel_test_, access_token$sandbox$) are still found, with the rule's confidence,
but at a lower severity than the same provider's live keys: `--fail-on medium` lets them through."""

from __future__ import annotations

import json

from keystow.config import Config
from keystow.findings import severity_rank
from keystow.pipeline.scanning import load_ruleset
from tests.helpers import commit_file, run_keystow

TEST_MODE = "test-mode"
# each test-mode rule and the live rule of the same provider
LIVE_SIBLING = {
    "stripe-test-secret-key": "stripe-live-secret-key",
    "braintree-sandbox-access-token": "braintree-access-token",
    "flutterwave-test-secret-key": "flutterwave-secret-key",
    "flutterwave-test-encryption-key": "flutterwave-encryption-key",
    "plaid-sandbox-access-token": "plaid-access-token",
    "shippo-test-api-token": "shippo-api-token",
    "easypost-test-api-key": "easypost-api-key",
    "duffel-test-api-token": "duffel-api-token",
}


def test_test_mode_rules_rank_below_their_live_siblings():
    rules = {rule.id: rule for rule in load_ruleset(Config()).rules}
    tagged = {rule_id for rule_id, rule in rules.items() if TEST_MODE in rule.tags}
    assert tagged == set(LIVE_SIBLING)
    for test_id, live_id in LIVE_SIBLING.items():
        test, live = rules[test_id], rules[live_id]
        assert test.severity in ("low", "medium"), test_id
        assert severity_rank(test.severity) < severity_rank(live.severity), (test_id, live_id)
        assert test.confidence == live.confidence, test_id  # the format vouches for it as much


def _scan(repo, *args: str):
    return run_keystow("scan", ".", "--format", "json", *args, cwd=repo)


def test_a_stripe_test_key_is_low_and_passes_fail_on_medium_a_live_key_does_not(repo):
    # generated fakes (never issued by Stripe)
    commit_file(repo, "settings.py", 'STRIPE_KEY = "sk_test_mI9RYh1eZripKJ8aeAZm125v"\n')  # keystow:allow
    result = _scan(repo, "--fail-on", "medium")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule_id"], f["severity"], f["confidence"]) for f in findings] == [
        ("stripe-test-secret-key", "low", "high")]
    assert result.returncode == 0
    assert _scan(repo).returncode == 1  # still a finding: the default --fail-on low reports it

    commit_file(repo, "prod.py", 'STRIPE_KEY = "sk_live_ziQYYJuhuOLY1MLoi9t4t8i5"\n')  # keystow:allow
    result = _scan(repo, "--fail-on", "medium")
    severities = {f["rule_id"]: f["severity"] for f in json.loads(result.stdout)["findings"]}
    assert severities == {"stripe-test-secret-key": "low", "stripe-live-secret-key": "critical"}
    assert result.returncode == 1


def test_sandbox_and_live_tokens_of_one_provider_get_their_own_severity(repo):
    commit_file(repo, "plaid.env", "PLAID_TOKEN=access-sandbox-625dfdb5-b8eb-2dd3-e314-f7c33b9ac1b7\n"  # keystow:allow
                "PLAID_PROD_TOKEN=access-production-2e9071dd-ec0d-1cef-71be-63312fcdcc37\n")  # keystow:allow
    findings = json.loads(_scan(repo).stdout)["findings"]
    assert {(f["rule_id"], f["severity"]) for f in findings} == {
        ("plaid-sandbox-access-token", "low"), ("plaid-access-token", "critical")}

"""Every built-in provider rule cites the provider's documentation of its format (`references:`);
`keystow rules check` fails a built-in rule without one and only notes a user's rule without one."""

from __future__ import annotations

from keystow.commands.rules import reference_failures, unreferenced
from keystow.config import Config
from keystow.detect.ruleset import RuleSet
from keystow.pipeline.scanning import load_ruleset
from tests.helpers import run_keystow

USER_RULE = """rules:
  - id: acme-deploy-token
    name: ACME deploy token
    severity: high
{references}    keywords: [acme_tok_]
    regex: '\\b(?P<secret>acme_tok_[A-Za-z0-9]{{20}})\\b'
    examples: ['ACME_TOKEN=acme_tok_Q7vX2mRk9LpT4wZs8NbC']
    negative_examples: ['ACME_TOKEN=acme_tok_none']
"""
REFERENCES = "    references: ['https://docs.acme.example/tokens']\n"


def test_every_builtin_provider_rule_has_a_reference():
    ruleset = load_ruleset(Config())
    assert unreferenced(ruleset) == []
    for rule in ruleset.rules:
        assert all(url.startswith("https://") for url in rule.references), rule.id


def test_a_builtin_provider_rule_without_a_reference_is_a_failure():
    rules = load_ruleset(Config()).rules
    stripped = next(r for r in rules if r.id == "stripe-live-secret-key")._replace(references=())
    failures = reference_failures(RuleSet(tuple(r if r.id != stripped.id else stripped for r in rules)))
    assert failures == ["stripe-live-secret-key: provider rule without a reference"]


def _check_with_user_rule(tmp_path, references: str):
    (tmp_path / "rules.yaml").write_text(USER_RULE.format(references=references))
    (tmp_path / ".keystow.toml").write_text("extra_rules = ['rules.yaml']\n")
    return run_keystow("rules", "check", "--engine", "re", "--config", str(tmp_path / ".keystow.toml"), cwd=tmp_path)


def test_a_user_provider_rule_without_a_reference_gets_a_notice_not_a_failure(tmp_path):
    result = _check_with_user_rule(tmp_path, references="")
    out = result.stdout.decode()
    assert result.returncode == 0, out[-2000:]
    assert "notice: 1 of your provider rules without a reference" in out and "acme-deploy-token" in out
    assert "0 failures" in out


def test_a_user_provider_rule_with_a_reference_passes_quietly(tmp_path):
    result = _check_with_user_rule(tmp_path, references=REFERENCES)
    out = result.stdout.decode()
    assert result.returncode == 0, out[-2000:]
    assert "notice" not in out and "0 failures" in out


def test_rules_list_shows_each_rules_references(tmp_path):
    import json

    listed = json.loads(run_keystow("rules", "list", "--json", cwd=tmp_path).stdout)["rules"]
    by_id = {rule["id"]: rule for rule in listed}
    assert by_id["aws-access-key-id"]["references"][0].startswith("https://docs.aws.amazon.com/")
    assert all(rule["references"] for rule in listed if rule["id"].startswith("stripe-"))

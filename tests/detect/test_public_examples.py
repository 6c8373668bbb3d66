"""Credentials providers publish in their documentation (data/public-examples.yaml) are reported
as informational: confidence low, a `public_example` marker with the publishing address, never a
failing exit, hidden at the default --min-confidence; in the working tree, in history and in a gate."""

from __future__ import annotations

import json

import pytest

from keystow.detect.public_examples import published
from tests.helpers import commit_file, git, run_keystow


def examples() -> list[dict]:
    import yaml

    from keystow.detect.public_examples import DATA_FILE

    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["examples"]


def test_every_entry_names_its_provider_source_and_usage():
    for entry in examples():
        assert entry["provider"] and entry["description"], entry
        assert entry["source"].startswith("https://"), entry
        assert ("value" in entry) != ("pattern" in entry), entry
        assert entry["usage"].strip(), entry


def test_every_listed_value_is_recognised_with_its_source():
    for entry in examples():
        if "value" in entry:
            assert entry["value"] in entry["usage"], entry["value"]
            assert published().source_of(entry["value"]) == entry["source"]


def test_the_aws_pattern_takes_documentation_keys_only():
    assert published().source_of("AKIAI44QH8DHBEXAMPLE")
    assert published().source_of("ASIAJEXAMPLEXEG2JICA")  # EXAMPLE inside, 20 characters
    assert published().source_of("AKIAWYX4OXWRQJTED3F2") is None  # keystow:allow (a fake)
    assert published().source_of("AKIAIOSFODNN7EXAMPLEX") is None  # 21 characters: not an access key ID
    assert published().source_of("4Nfa/WEMDdpZhzEZa4FnxV7FBS16LpKXpSqjmPKq") is None


@pytest.fixture
def examples_repo(repo):
    text = "\n".join(entry["usage"].rstrip("\n") for entry in examples()) + "\n"
    commit_file(repo, "docs/quickstart.md", text, "documentation examples")
    return repo


def _findings(result) -> list[dict]:
    assert result.returncode == 0, (result.stdout.decode()[-3000:], result.stderr.decode()[-2000:])
    return json.loads(result.stdout)["findings"]


def test_a_scan_of_every_published_example_passes_and_marks_each(examples_repo):
    result = run_keystow("scan", ".", "--min-confidence", "low", "--format", "json", "--show-secrets",
                         cwd=examples_repo)
    findings = _findings(result)
    assert findings, "the examples are reported as informational, not dropped"
    for finding in findings:
        assert finding["confidence"] == "low" and finding["severity"] == "low", finding["rule_id"]
        assert finding["public_example"].startswith("https://"), finding["rule_id"]
    found = {finding["secret"] for finding in findings}
    for entry in examples():
        # every usage line yields a marked finding: a value some rule matches is never silently dropped
        assert any(secret in entry["usage"] for secret in found), entry["usage"]


def test_published_examples_are_hidden_at_the_default_confidence(examples_repo):
    assert _findings(run_keystow("scan", ".", "--format", "json", cwd=examples_repo)) == []


def test_reports_with_the_marker_match_their_schemas(examples_repo):
    from tests.report.test_schemas import REPORT_SCHEMA, SARIF_SCHEMA, _validate

    for fmt, schema in (("json", REPORT_SCHEMA), ("sarif", SARIF_SCHEMA)):
        result = run_keystow("scan", ".", "--min-confidence", "low", "--format", fmt, cwd=examples_repo)
        assert result.returncode == 0
        _validate(json.loads(result.stdout), schema)


def test_text_and_sarif_say_it_is_an_example(examples_repo):
    text = run_keystow("scan", ".", "--min-confidence", "low", cwd=examples_repo)
    assert text.returncode == 0
    assert b"public documentation example (https://docs.aws.amazon.com/" in text.stdout
    sarif = run_keystow("scan", ".", "--min-confidence", "low", "--format", "sarif", cwd=examples_repo)
    assert sarif.returncode == 0
    results = json.loads(sarif.stdout)["runs"][0]["results"]
    assert results and all(r["level"] == "note" and r["properties"]["public_example"] for r in results)


def test_history_and_gate_scans_pass_too(examples_repo):
    history = _findings(run_keystow("scan", ".", "--history", "--min-confidence", "low", "--format", "json",
                                    cwd=examples_repo))
    assert history and all(f.get("public_example") for f in history)
    base = git(examples_repo, "rev-list", "--max-parents=0", "HEAD").strip()
    commit_file(examples_repo, "more.md", examples()[-1]["usage"], "more")
    gate = run_keystow("scan", ".", "--range", f"{base}..HEAD", "--min-confidence", "low", cwd=examples_repo)
    assert gate.returncode == 0, gate.stdout.decode()[-2000:]
    assert b"public documentation example" in gate.stdout


def test_a_key_that_is_not_published_still_fails(repo):
    # fake, generated: shaped like Stripe's sample key, but not it
    commit_file(repo, "config.py", 'stripe.api_key = "sk_test_9qV2mXk7LpR4tZw8NbC3jHd6"\n')  # keystow:allow
    result = run_keystow("scan", ".", "--format", "json", cwd=repo)
    assert result.returncode == 1
    assert [f.get("public_example") for f in json.loads(result.stdout)["findings"]] == [None]


def test_migrate_and_purge_leave_published_examples_alone(examples_repo):
    from keystow.config import load_config
    from keystow.migrate.workflow import find_secrets
    from keystow.pipeline.scanning import build_scanner
    from keystow.purge.history import history_findings

    # the same scan reports them (informational), but nothing moves them to a store or rewrites history
    assert find_secrets(examples_repo, examples_repo) == []
    config = load_config(examples_repo)
    assert history_findings(examples_repo, build_scanner(config), config, use_cache=False) == []
    commit_file(examples_repo, "app.py", 'stripe.api_key = "sk_test_9qV2mXk7LpR4tZw8NbC3jHd6"\n')  # keystow:allow
    assert [f.rule_id for f in find_secrets(examples_repo, examples_repo)] == ["stripe-test-secret-key"]


def test_history_scans_keep_the_lowered_severity_through_the_blob_cache(examples_repo):
    # twice: the second run answers from the blob cache, which must keep the finding's own severity
    for _ in range(2):
        history = _findings(run_keystow("scan", ".", "--history", "--min-confidence", "low", "--format", "json",
                                        cwd=examples_repo))
        assert history and {f["severity"] for f in history} == {"low"}, {f["rule_id"]: f["severity"] for f in history}

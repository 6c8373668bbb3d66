"""Selection and replacements (pure), and the confirmation step of an interactive run."""

from __future__ import annotations

import json
import re

import pytest

from keystow.commands.purge import PurgeOptions, run_purge
from keystow.errors import ConfigError, FatalError
from keystow.findings import Finding, Location
from keystow.purge.plan import build_plan, check_replacement, report_fingerprints
from tests.purge.gitstate import ref_state

LOCATION = (Location("settings.py", 1, 1, 1, 9),)


def finding(rule_id: str, secret: str) -> Finding:
    return Finding(rule_id, rule_id, "high", secret, LOCATION)


def test_every_finding_without_a_report_each_with_its_marker():
    plan = build_plan([finding("a", "s1"), finding("b", "s2")], None, {})
    assert [t.replacement for t in plan.targets] == ["***REMOVED-BY-KEYSTOW:a***", "***REMOVED-BY-KEYSTOW:b***"]


def test_report_selects_by_fingerprint_and_names_the_missing():
    wanted = finding("a", "s1")
    plan = build_plan([wanted, finding("b", "s2")], {wanted.fingerprint, "f" * 32}, {})
    assert [t.finding for t in plan.targets] == [wanted] and plan.not_found == ["f" * 32]


def test_one_secret_found_by_two_rules_gets_one_replacement():
    a, b = finding("rule-b", "same"), finding("rule-a", "same")
    assert {t.replacement for t in build_plan([a, b], None, {}).targets} == {"***REMOVED-BY-KEYSTOW:rule-a***"}
    migrated = {a.fingerprint: "ssm:/x"}
    assert {t.replacement for t in build_plan([a, b], None, migrated).targets} == {
        "***REMOVED-BY-KEYSTOW:moved-to-ssm:/x***"
    }
    assert {t.replacement for t in build_plan([a, b], None, migrated, "X").targets} == {"X"}


@pytest.mark.parametrize("text", ["a\nb", "a==>b", "x\r"])
def test_replacement_must_be_one_expression_line(text):
    with pytest.raises(ConfigError):
        check_replacement(text)


def test_report_must_be_a_keystow_json_report(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="not a keystow JSON report"):
        report_fingerprints(bad)
    bad.write_text("{")
    with pytest.raises(ConfigError, match="invalid JSON"):
        report_fingerprints(bad)
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"findings": [{"fingerprint": "ab"}, {"rule_id": "x"}]}))
    assert report_fingerprints(good) == {"ab"}


def test_interactive_run_asks_and_a_no_changes_nothing(history_repo, monkeypatch):
    monkeypatch.chdir(history_repo)
    refs = ref_state(history_repo)
    questions = []
    options = PurgeOptions(path=history_repo, history=True, include_head=True, interactive=True)
    with pytest.raises(FatalError, match="cancelled"):
        run_purge(options, lambda question: questions.append(question) or False)
    assert len(questions) == 1 and re.search(r"purge \d+ secret\(s\)\?$", questions[0])
    assert ref_state(history_repo) == refs
    assert not (history_repo / ".git" / "keystow" / "backups").exists()

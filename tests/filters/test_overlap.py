"""A generic rule's finding gives way to a provider rule's finding of the same value."""

from __future__ import annotations

from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from tests.detect.rulekit import DEMO, DEMO_TOKEN, PASSWORD, rule, ruleset

GENERIC_TOKEN = rule("generic-token", r"""token\s*=\s*["'](?P<secret>[^"'\s]{8,})["']""", kind="generic")
TOKEN = DEMO_TOKEN


def rule_ids(text: str) -> list[str]:
    scanner = Scanner(ruleset(DEMO, GENERIC_TOKEN), FilterPolicy(), "re")
    return sorted(f.rule_id for f in scanner.scan(Blob("t.py", text.encode())))


def test_provider_finding_shadows_the_generic_one():
    assert rule_ids(f'token = "{TOKEN}"') == ["demo-token"]


def test_generic_findings_elsewhere_stay():
    assert rule_ids(f'token = "{PASSWORD}"\nother = "{TOKEN}"') == ["demo-token", "generic-token"]


TWIN = rule("demo-token-twin", r"""(?P<secret>dmo_[a-z0-9]{20})""", tags=["demo"])


def test_two_provider_rules_on_the_same_characters_report_once():
    scanner = Scanner(ruleset(DEMO, TWIN), FilterPolicy(), "re")
    assert [f.rule_id for f in scanner.scan(Blob("t.py", f'token = "{TOKEN}"'.encode()))] == ["demo-token"]


def test_rules_check_policy_keeps_both():
    scanner = Scanner(ruleset(DEMO, TWIN), FilterPolicy(one_finding_per_position=False), "re")
    found = sorted(f.rule_id for f in scanner.scan(Blob("t.py", f'token = "{TOKEN}"'.encode())))
    assert found == ["demo-token", "demo-token-twin"]

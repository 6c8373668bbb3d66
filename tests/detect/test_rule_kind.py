"""`kind: provider | generic` switches the entropy bar, the generic-only filters and shadowing;
tags are labels and switch nothing."""

from __future__ import annotations

import pytest

from keystow.detect.ruleset import load_rules, parse_rule
from keystow.detect.scanner import Blob, FilterPolicy, Scanner, rule_gate
from keystow.errors import RuleError
from tests.detect.rulekit import DEMO, DEMO_TOKEN, rule, ruleset

UUID = "123e4567-e89b-12d3-a456-426614174000"
# 14 characters with symbols scoring 3.38 bits: under a flat 3.5, over the generic relaxed bar.
SHORT_PUNCTUATED = "K=+dR_uo" + "KhWd_%"
TOKEN = r"""token\s*=\s*["'](?P<secret>[^"'\s]{8,})["']"""


def token_rule(**extra) -> dict:
    return rule("token-rule", TOKEN, **extra)


def secrets(raw: dict, text: str, *others: dict) -> list[str]:
    scanner = Scanner(ruleset(raw, *others), FilterPolicy(), "re")
    return [f.secret for f in scanner.scan(Blob("t.py", text.encode())) if f.rule_id == raw["id"]]


@pytest.mark.parametrize("tags", [[], ["generic"]])
def test_a_provider_rule_is_a_provider_rule_whatever_its_tags(tags):
    provider = token_rule(kind="provider", tags=tags, entropy=3.5)
    assert secrets(provider, f'token = "{UUID}"') == [UUID]  # no generic-only filters
    assert rule_gate(parse_rule(provider, "<test>"), SHORT_PUNCTUATED, FilterPolicy()) is None  # its own bar
    assert secrets(provider, f'token = "{DEMO_TOKEN}"', DEMO) == [DEMO_TOKEN]  # not shadowed


@pytest.mark.parametrize("tags", [[], ["anything"]])
def test_a_generic_rule_gets_the_generic_handling_without_the_tag(tags):
    generic = token_rule(kind="generic", tags=tags, entropy=3.5)
    assert secrets(generic, f'token = "{UUID}"') == []  # the uuid filter applies
    assert rule_gate(parse_rule(generic, "<test>"), SHORT_PUNCTUATED, FilterPolicy()) == "high"  # relaxed bar
    assert secrets(generic, f'token = "{DEMO_TOKEN}"', DEMO) == []  # the provider finding wins


def test_kind_defaults_to_provider():
    assert parse_rule(token_rule(), "<test>").kind == "provider"


def test_the_old_generic_tag_alone_is_an_error_not_a_silent_change():
    with pytest.raises(RuleError, match=r"^<test>: rule 'token-rule': tag 'generic' no longer selects .*kind: generic"):
        parse_rule(token_rule(tags=["generic"]), "<test>")


def test_the_builtin_generic_rules_are_exactly_the_ones_tagged_generic():
    """The switch moved from the tag to the kind without changing which built-in rules it covers."""
    rules = load_rules().rules
    generic = {r.id for r in rules if r.kind == "generic"}
    assert generic == {r.id for r in rules if "generic" in r.tags}
    assert generic == {r.id for r in rules if r.source.endswith("generic.yaml")}
    assert len(generic) == 31  # 24, the weak-password, header, credential-constructor, annotation, httpie, symbol,
    # OpenSSL pass: rules

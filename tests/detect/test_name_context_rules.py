"""The name-context rules of apis-data / apis-business / apis-devtools (a provider whose key is a bare
alphanumeric value, found only by the provider's name next to it): the name must end at a separator or
a credential word, a credential word must follow it, and nothing without the name fires, so a longer
word that starts with the name (`happiness`, `checkout`) or a hash elsewhere is not taken for a key."""

from __future__ import annotations

import pytest

from keystow.config import Config
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset
from testing.fakes import Fakes

ENGINES = ["re"] + (["hyperscan"] if hyperscan_available() else [])
ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
_fakes = Fakes(83)

# (rule id, the name as it is written before a key, a longer word that starts with the name)
CASES = [
    ("happi-api-key", "HAPPI", "HAPPINESS"),
    ("checio-api-key", "CHEC", "CHECKOUT"),
    ("lemlist-api-key", "LEMLIST", "LEMLISTS"),
    ("wrike-api-key", "WRIKE", "WRIKED"),
    ("pipedream-api-key", "PIPEDREAM", "PIPEDREAMS"),
]


@pytest.fixture(scope="module", params=ENGINES)
def scanner(request):
    policy = FilterPolicy(inline_allow=False, one_finding_per_position=False)
    return Scanner(load_ruleset(Config()), policy, request.param)


def rule_ids(scanner, text: str) -> set[str]:
    return {finding.rule_id for finding in scanner.scan(Blob("config.env", text.encode()))}


@pytest.mark.parametrize(("rule_id", "name", "longer"), CASES)
def test_the_name_then_a_credential_word_finds_the_key(scanner, rule_id, name, longer):
    value = _fakes.chars(ALNUM, 32)
    assert rule_id in rule_ids(scanner, f"{name}_API_KEY={value}")
    assert rule_id in rule_ids(scanner, f'{name.lower()}Token := "{value}"')


@pytest.mark.parametrize(("rule_id", "name", "longer"), CASES)
def test_a_longer_word_that_starts_with_the_name_is_not_the_provider(scanner, rule_id, name, longer):
    assert rule_id not in rule_ids(scanner, f"{longer}_API_KEY={_fakes.chars(ALNUM, 32)}")


@pytest.mark.parametrize(("rule_id", "name", "longer"), CASES)
def test_the_name_without_a_credential_word_is_not_a_key(scanner, rule_id, name, longer):
    assert rule_id not in rule_ids(scanner, f"{name}_BUILD_ID={_fakes.chars(ALNUM, 32)}")


def test_a_hash_without_a_provider_name_fires_no_name_context_rule(scanner):
    name_context = {rule_id for rule_id, _, _ in CASES}
    text = f"API_KEY={_fakes.chars('0123456789abcdef', 32)}\nchecksum: {_fakes.chars('0123456789abcdef', 40)}"
    assert not rule_ids(scanner, text) & name_context

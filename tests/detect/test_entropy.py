"""Entropy: the random expectation per length and character set, and the bar a generic value meets."""

from __future__ import annotations

import random
import string

import pytest

from keystow.detect.entropy import (
    MIN_RELAXED_LENGTH,
    RANDOM_MARGIN,
    charset_size,
    entropy_threshold,
    random_entropy,
    shannon_entropy,
)
from keystow.detect.ruleset import parse_rule
from keystow.detect.scanner import FilterPolicy, rule_gate
from tests.detect.rulekit import rule

PRINTABLE = "".join(chr(c) for c in range(33, 127))
# 14 characters, 3.38 bits (three letters repeat): under a flat 3.5. Built at run time so that
# keystow's scan of its own repository does not report this file.
SHORT_PUNCTUATED = "K=+dR_uo" + "KhWd_%"


def test_charset_is_the_smallest_standard_set_holding_the_value():
    assert charset_size("deadbeef0123") == 16
    assert charset_size("sourceName42") == 62
    assert charset_size("abc+/def_-==") == 64
    assert charset_size("p@ss!w0rd%") == 95


@pytest.mark.parametrize("alphabet", [string.hexdigits[:16], string.ascii_letters + string.digits, PRINTABLE])
@pytest.mark.parametrize("length", [8, 14, 24, 40])
def test_the_expectation_matches_sampled_random_strings(alphabet, length):
    rng = random.Random(length * len(alphabet))
    samples = sorted(shannon_entropy("".join(rng.choice(alphabet) for _ in range(length))) for _ in range(3000))
    mean = sum(samples) / len(samples)
    assert abs(mean - random_entropy(length, len(alphabet))) < 0.02
    # the margin keeps at least ~95% of random strings above the bar
    assert samples[len(samples) // 20] >= random_entropy(length, len(alphabet)) - RANDOM_MARGIN - 0.05


def test_long_values_need_no_overflowing_arithmetic():
    assert 5.9 < random_entropy(1000, 64) < 6.0


def test_only_punctuated_values_get_a_length_aware_bar():
    assert shannon_entropy(SHORT_PUNCTUATED) < 3.5
    assert entropy_threshold(3.5, SHORT_PUNCTUATED) < shannon_entropy(SHORT_PUNCTUATED)
    for value in ("tokenstring", "sourceName", "b899a0d240b53d9d", "abc_/def-==x"):  # identifiers, hex ids
        assert entropy_threshold(3.5, value) == 3.5
    assert entropy_threshold(3.5, "{values[") == 3.5  # short: 8 distinct characters score 3.0 anyway
    assert entropy_threshold(2.5, SHORT_PUNCTUATED) == 2.5  # never above the rule's own bar
    lowest = min(entropy_threshold(3.5, "!" * length) for length in range(MIN_RELAXED_LENGTH, 200))
    assert lowest > 3.0  # a relaxed bar still drops words: `password` scores 2.75


def test_provider_rules_keep_their_own_bar_and_generic_rules_get_the_relaxed_one():
    value = SHORT_PUNCTUATED
    provider = parse_rule(rule("provider", r"k=(?P<secret>\S+)", entropy=3.5), "<test>")
    generic = parse_rule(rule("generic", r"k=(?P<secret>\S+)", entropy=3.5, kind="generic"), "<test>")
    assert rule_gate(provider, value, FilterPolicy()) is None
    assert rule_gate(generic, value, FilterPolicy()) == "high"


def test_a_plus_relaxes_a_base64_value_to_the_base64_expectation():
    """A password whose only symbol is a `+` (14 characters, 3.24 bits) is held to random base64 of
    its length, as its siblings with `%` or `!` are held to random printable text."""
    value = "5HHaE+ws" + "6QsO5E"  # built at run time: keystow's own scan must not report this file
    assert charset_size(value) == 64 and shannon_entropy(value) < 3.5
    assert entropy_threshold(3.5, value) == pytest.approx(random_entropy(14, 64) - RANDOM_MARGIN)
    assert entropy_threshold(3.5, value) < shannon_entropy(value)
    assert entropy_threshold(3.5, value.replace("+", "_")) == 3.5


def test_a_provider_rules_hex_value_is_held_to_random_hex_of_its_length():
    """A 3.5 bar written for base62 tokens drops most random 20-hex keys (they score 3.36 on
    average); hex under a provider's rule meets what random hex of its length scores, less a margin."""
    provider = parse_rule(rule("provider", r"k=(?P<secret>\S+)", entropy=3.5), "<test>")
    value = "4be19a" + "07c3b4e1d9a07c"  # 20 hex digits scoring 3.42 (split: keystow scans its own tree)
    assert shannon_entropy(value) < 3.5
    assert rule_gate(provider, value, FilterPolicy()) == "high"
    assert rule_gate(provider, "abcdefabcd12" * 3 + "abcd", FilterPolicy()) is None  # a fill stays out
    assert rule_gate(provider, "0a1b" * 3, FilterPolicy()) is None  # short hex keeps the rule's bar
    not_hex = parse_rule(rule("not-hex", r"k=(?P<secret>\S+)", entropy=4.3), "<test>")  # AWS's secret key bar
    assert rule_gate(not_hex, "".join(random.Random(5).choice("0123456789abcdef") for _ in range(40)),
                     FilterPolicy()) is None

"""What Hyperscan compiles for a rule: name gaps widened over the secret word, never narrowed."""

from __future__ import annotations

import re

import pytest

from keystow.detect.hyperscan_form import MOST_FOLDED, hyperscan_expression
from keystow.detect.matcher import HyperscanMatcher, ReMatcher, hyperscan_available
from keystow.detect.ruleset import load_rules
from tests.detect.rulekit import rule, ruleset

needs_hyperscan = pytest.mark.skipif(not hyperscan_available(), reason="hyperscan not installed")
# The shape of a contextual provider rule: the provider's name, a lazy gap, a secret word, an
# assignment and a value.
CONTEXT = (r"(?i:acme|\bacm)[\w .-]{0,20}?(?i:key|secret|token|pass(?:word)?)"
           r"[ \t]{0,4}[:=][ \t]{0,4}(?P<secret>[a-f0-9]{32})\b")
VALUE = "0123456789abcdef" * 2


@pytest.mark.parametrize("regex, expected", [
    (CONTEXT, CONTEXT.replace(r"[\w .-]{0,20}?(?i:key|secret|token|pass(?:word)?)", r"[\w .-]{0,28}")),
    # inside a case-insensitive group, an optional part and the word
    (r"(?i:okta[\w.-]{0,20}?(?:api[_.-]?)?token)=(?P<secret>\w{8})", r"(?i:okta[\w.-]{0,29})=(?P<secret>\w{8})"),
    # a word boundary is dropped with the word: the expression only widens
    (r"acme[\w.-]{0,16}?\bkey=(?P<secret>\w{8})", r"acme[\w.-]{0,19}=(?P<secret>\w{8})"),
    # the secret's group is never folded, even when it is made of name characters
    (r"acme[\w.-]{0,16}?key(?P<secret>\w{8})", r"acme[\w.-]{0,19}(?P<secret>\w{8})"),
])
def test_the_words_after_a_lazy_gap_fold_into_it(regex, expected):
    assert hyperscan_expression(regex) == expected


@pytest.mark.parametrize("regex", [
    r"(?i)password\s*=\s*(?P<secret>\S{8,})",  # no lazy gap
    r"acme[\w.-]{0,20}?\s*=(?P<secret>\w{8})",  # `\s` after the gap is not a name character
    r"acme[^\r\n]{0,16}?key=(?P<secret>\w{8})",  # a gap broader than a name: would fold the value too
    r"acme[\w.-]{0,20}?(?:key|se cret)=(?P<secret>\w{8})",  # a space: not in `[\w.-]`
    r"acme\[[\w.-]{0,20}=(?P<secret>\w{8})",  # greedy, not a lazy gap
    r"acme\[^\]]{0,4}?key=(?P<secret>\w{8})",  # `\[`: an escaped bracket, not a class
    rf"acme[\w.-]{{0,20}}?(?:{'k' * (MOST_FOLDED + 1)})=(?P<secret>\w{{8}})",  # too long to fold
    r"acme[\w.-]{0,20}?(?:key|token)+=(?P<secret>\w{8})",  # unbounded: no width to fold into
])
def test_what_is_not_a_name_run_after_a_lazy_gap_is_left_alone(regex):
    assert hyperscan_expression(regex) == regex


def test_every_built_in_rule_still_parses_after_the_rewrite():
    for built_in in load_rules().rules:
        re.compile(hyperscan_expression(built_in.regex).encode())


@needs_hyperscan
def test_a_match_is_still_reported_and_an_extra_hit_is_confirmed_away(tmp_path):
    rules = ruleset(rule("acme-context", CONTEXT, keywords=["acme", "acm"]))
    matcher = HyperscanMatcher(rules, cache_dir=tmp_path)
    lines = [f"ACME_API_KEY = {VALUE}", f"acme.client.secret: {VALUE}", f"acm_password={VALUE}"]
    data = "\n".join(lines).encode()
    found = [(m.start, m.end) for m in matcher.matches(data)]
    assert found == [(m.start, m.end) for m in ReMatcher(rules).matches(data)]
    assert len(found) == 3
    # the widened expression also hits a name with no secret word; the confirm drops it
    hits: list[int] = []
    matcher.database.scan(f"acme_region = {VALUE}".encode(), match_event_handler=lambda *hit: hits.append(hit[2]))
    assert hits
    assert list(matcher.matches(f"acme_region = {VALUE}".encode())) == []

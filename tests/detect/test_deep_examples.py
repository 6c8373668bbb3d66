"""`keystow rules check` also looks for each example after a few lines of other text: Hyperscan
answers a short input on another path than a long one, and on that path it missed three rules'
matches (that `re` found) deep in a file while each example alone was found. The built-in rules
are held to it by tests/detect/test_builtin_rules.py, which runs `keystow rules check`."""

from __future__ import annotations

from keystow.commands.rules import DEEP_PREFIX, checking_scanner, deep_failures
from tests.detect.rulekit import rule, ruleset

TOKEN = "dmo_k3j4h5g6f7d8s9a0q1w2"  # keystow:allow (a made-up rule's example)


def test_an_example_found_only_at_the_start_of_a_file_is_a_failure():
    anywhere = rule("demo-anywhere", r"\bdmo_(?P<secret>[a-z0-9]{20})\b", examples=[f"t = {TOKEN}"])
    at_start = rule("demo-at-start", r"\Admo_(?P<secret>[a-z0-9]{20})\b", examples=[TOKEN])
    failures = deep_failures(ruleset(anywhere, at_start), checking_scanner(ruleset(anywhere, at_start), "re"))
    assert failures == [f"demo-at-start: example 1 not found after {len(DEEP_PREFIX)} bytes of other lines"]


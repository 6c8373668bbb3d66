"""Which user regexes are rejected for exponential backtracking, and which common shapes pass."""

from __future__ import annotations

import pytest

from keystow.detect.backtracking import AMBIGUOUS, NESTED, backtracking_risk
from keystow.detect.ruleset import load_rules


@pytest.mark.parametrize("regex, risk", [
    (r"(a+)+b", NESTED),
    (r"(?:\w+\s?)*x", NESTED),
    (r"(a|a)*b", AMBIGUOUS),                 # parsed as a(?:|)*: two empty readings
    (r"(?:aa|a)*b", AMBIGUOUS),              # a(?:a|): the empty reading, then the next iteration's a
    (r"(?i)(?:ab|AB)+x", AMBIGUOUS),         # the same text once case is ignored
    (r"(?:[ab]c|bc)*x", AMBIGUOUS),
    (r'"(?:[^"]|\\")*"', AMBIGUOUS),          # the textbook quoted-string mistake
    (r"(?s)(?:.|\n)*x", AMBIGUOUS),          # with DOTALL, . takes the newline too
])
def test_risky_shapes_are_named(regex, risk):
    assert backtracking_risk(regex) == risk


@pytest.mark.parametrize("regex", [
    r"(\w|\d)+!",            # the parser makes it the class [\w\d]
    r"(?:ab|ac)+",           # a(?:b|c)
    r"(a|ab)*c",             # a(?:|b): b never starts an iteration
    r"x(?:ab|a)*",
    r"(?:foo|bar|baz)+",     # bar and baz part at their third character
    r"(?:.|\n)*x",           # . does not take the newline
    r'"(?:[^"\\]|\\.)*"',    # the right way to write a quoted string
    r"(?:a|a){1,3}",         # a small bound cannot multiply much
    r"(?:[a-z]|_)+",
])
def test_common_safe_shapes_pass(regex):
    assert backtracking_risk(regex) is None


def test_no_builtin_rule_has_a_risky_shape():
    assert [rule.id for rule in load_rules().rules if backtracking_risk(rule.regex)] == []

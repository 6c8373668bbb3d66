"""Regexes whose backtracking can explode: a variable-length repeat inside another, a repeat
over alternatives that can match the same text (`detect/ambiguity.py`), or two unbounded repeats
side by side that can read the same characters (`a.*.*b`, `\\d+\\d+x`: every way to split the
run between them is tried, polynomial time that a long line turns into minutes).

Hyperscan never backtracks, but the confirming pass runs Python `re` over a window of up to a
rule's `window` bytes, and `(a+)+b` needs 2^n steps on n `a`s that do not end in `b`: a bounded
window does not bound that, nor `(aa|a)*b`. User-supplied rules with either shape are rejected
at load time.
"""

from __future__ import annotations

from keystow.detect.ambiguity import REPEATS, Chars, _first, _scoped, constants, has_ambiguous_alternation
from keystow.errors import RuleError

try:
    from re import _parser as parser  # type: ignore[attr-defined]  # Python >= 3.11; private, not in typeshed
except ImportError:  # pragma: no cover
    import sre_parse as parser

# An outer repeat bounded this tightly cannot multiply the inner one's choices past a few
# thousand steps (`(?:[0-9]{1,14}-){1,4}`); above it (and for `*`, `+`) nesting is rejected.
LOOP_BOUND = 16

NESTED = "a variable repeat inside a repeat (such as (a+)+) can backtrack exponentially"
ADJACENT = ("two unbounded repeats side by side can match the same characters (such as .*.* or \\d+\\d+) "
            "and backtrack over every split between them")
AMBIGUOUS = ("alternatives that can match the same text inside a repeat (such as (a|a)* or "
             "(?:[^\"]|\\\\\")*) can backtrack exponentially")


def backtracking_risk(regex: str) -> str | None:
    """A description of the first shape that can backtrack exponentially, or None."""
    try:
        tree = parser.parse(regex)
    except Exception:  # noqa: BLE001 - the caller reports compile errors itself
        return None
    if _nested(tree, inside=False):
        return NESTED
    if has_ambiguous_alternation(tree, LOOP_BOUND):
        return AMBIGUOUS
    return ADJACENT if _adjacent(tree, tree.state.flags) else None


def _adjacent(items, flags: int) -> bool:
    """An unbounded repeat directly followed (assertions aside) by another whose characters
    overlap its own, in `items` or in any group below."""
    before: Chars | None = None  # what the unbounded repeat just before can match
    for op, value in items:
        if op is constants.AT:
            continue  # zero-width: `\b` between two repeats does not separate them
        leading = _edge_repeat(op, value, flags, first=True)
        if before is not None and leading is not None and before.overlaps(leading):
            return True
        before = _edge_repeat(op, value, flags, first=False)
        scoped = _scoped(value, flags) if op is constants.SUBPATTERN else flags
        if op in REPEATS:
            children = [value[2]]
        else:
            children = _children(op, value)
        if any(_adjacent(child, scoped) for child in children):
            return True
    return False


def _edge_repeat(op, value, flags: int, first: bool) -> Chars | None:
    """The characters of the unbounded repeat an item starts (`first`) or ends with, if any."""
    if op in REPEATS:
        low, high, body = value
        return _first(body, flags)[0] if high > LOOP_BOUND and _can_vary(body) else None
    if op is constants.SUBPATTERN and value[-1]:
        inner_op, inner_value = value[-1][0] if first else value[-1][-1]
        return _edge_repeat(inner_op, inner_value, _scoped(value, flags), first)
    return None


def _nested(items, inside: bool) -> bool:
    """A variable repeat in `items` (or below), inside a large repeat when `inside`."""
    for op, value in items:
        if op in REPEATS:
            low, high, body = value
            if inside and high != low and high > 1 and _can_vary(body):
                return True
            if _nested(body, inside or (high > LOOP_BOUND and _can_vary(body))):
                return True
        elif any(_nested(child, inside) for child in _children(op, value)):
            return True
    return False


def _children(op, value) -> list:
    """The item lists directly under a group, an alternation or a lookaround."""
    if op is constants.SUBPATTERN:
        return [value[-1]]
    if op is constants.BRANCH:
        return list(value[1])
    if op in (constants.ASSERT, constants.ASSERT_NOT):
        return [value[1]]
    return []


def _can_vary(body) -> bool:
    """The repeated item matches at least one character (an empty body cannot backtrack)."""
    low, high = body.getwidth()
    return high > 0


def reject_backtracking(rules, sources: set[str]) -> None:
    """RuleError naming the first rule from `sources` (user rule files) that can backtrack
    exponentially."""
    for rule in rules:
        problem = backtracking_risk(rule.regex) if rule.source in sources else None
        if problem:
            raise RuleError(f"{rule.source}: rule {rule.id!r}: {problem}; {ADVICE[problem]}")


ADVICE = {
    NESTED: f"bound the outer repeat (at most {{0,{LOOP_BOUND}}}) or make it fixed-width",
    AMBIGUOUS: "make the alternatives start differently (merge them into one class)",
    ADJACENT: "merge the two repeats into one, or make the characters they match disjoint",
}


def reject_backtracking_allow_regexes(config) -> None:
    """ConfigError naming the config file and the `allow_regexes` entry that can backtrack:
    every candidate secret is run through each allow regex."""
    from keystow.errors import ConfigError

    for regex in config.allow_regexes:
        problem = backtracking_risk(regex)
        if problem:
            raise ConfigError(f"{config.source or 'config'}: allow_regexes: {regex!r}: {problem}; {ADVICE[problem]}")

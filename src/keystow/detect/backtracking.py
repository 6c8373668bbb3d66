"""Regexes whose backtracking can explode: a variable-length repeat inside another.

Hyperscan never backtracks, but the confirming pass runs Python `re` over a window of up to a
rule's `window` bytes, and `(a+)+b` needs 2^n steps on n `a`s that do not end in `b`: a bounded
window does not bound that. User-supplied rules with such a nesting are rejected at load time.
"""

from __future__ import annotations

try:
    from re import _constants as constants, _parser as parser  # Python >= 3.11
except ImportError:  # pragma: no cover
    import sre_constants as constants  # type: ignore[no-redef]
    import sre_parse as parser  # type: ignore[no-redef]

REPEATS = {constants.MAX_REPEAT, constants.MIN_REPEAT}
# An outer repeat bounded this tightly cannot multiply the inner one's choices past a few
# thousand steps (`(?:[0-9]{1,14}-){1,4}`); above it (and for `*`, `+`) nesting is rejected.
LOOP_BOUND = 16


def nested_repeat(regex: str) -> str | None:
    """A description of the first variable repeat nested in another variable repeat, or None."""
    try:
        tree = parser.parse(regex)
    except Exception:  # noqa: BLE001 - the caller reports compile errors itself
        return None
    return _find(tree, inside=False)


def _find(items, inside: bool) -> str | None:
    for op, value in items:
        if op in REPEATS:
            low, high, body = value
            if inside and high != low and high > 1 and _can_vary(body):
                return "a variable repeat inside a repeat (such as (a+)+) can backtrack exponentially"
            found = _find(body, inside or (high > LOOP_BOUND and _can_vary(body)))
        else:
            found = _find_children(op, value, inside)
        if found:
            return found
    return None


def _find_children(op, value, inside: bool) -> str | None:
    if op is constants.SUBPATTERN:
        return _find(value[-1], inside)
    if op is constants.BRANCH:
        for branch in value[1]:
            found = _find(branch, inside)
            if found:
                return found
    if op in (constants.ASSERT, constants.ASSERT_NOT):
        return _find(value[1], inside)
    return None


def _can_vary(body) -> bool:
    """The repeated item matches at least one character (an empty body cannot backtrack)."""
    low, high = body.getwidth()
    return high > 0


def reject_backtracking(rules, sources: set[str]) -> None:
    """RuleError naming the first rule from `sources` (user rule files) that nests repeats."""
    from keystow.errors import RuleError

    for rule in rules:
        problem = nested_repeat(rule.regex) if rule.source in sources else None
        if problem:
            raise RuleError(f"{rule.source}: rule {rule.id!r}: {problem}; "
                            f"bound the outer repeat (at most {{0,{LOOP_BOUND}}}) or make it fixed-width")

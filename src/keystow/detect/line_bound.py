"""Which rules match within one line: their confirm window can start at the hit's line.

The `re` confirm (matcher.py) searches back from each Hyperscan hit end as far as the rule's
longest match, ~450 bytes for a generic assignment rule, and `re` tries every position of that
window. A rule whose regex cannot match a newline before its last element (a name, an operator
and a value on one line, then `(?:\r?\n|$)`) cannot start before the line holding its value, so
the window can start there: on code, a few dozen bytes instead of hundreds. The answer comes from
the parsed regex, and it is conservative: anything this does not understand (a backreference, a
conditional) counts as able to match a newline.

A rule that may span lines still spans few: a YAML rule reads `key: |`, a newline and the value,
then its own line end, two newlines at most. `newline_bound` counts the most newlines one match
can hold, so its window can start after that many newlines (plus one) before the hit end.
"""

from __future__ import annotations

import functools
import re

try:
    from re import _parser as regex_parser  # type: ignore[attr-defined]  # Python 3.11+; private, not in typeshed
except ImportError:  # pragma: no cover
    import sre_parse as regex_parser

NEWLINE = ord("\n")
# Character-class categories that hold a newline (`\s`, `\D`, `\W`); `\S`, `\d` and `\w` do not.
CATEGORIES_WITH_NEWLINE = {"CATEGORY_SPACE", "CATEGORY_NOT_DIGIT", "CATEGORY_NOT_WORD", "CATEGORY_NOT_LINEBREAK",
                           "CATEGORY_UNI_SPACE", "CATEGORY_UNI_NOT_DIGIT", "CATEGORY_UNI_NOT_WORD",
                           "CATEGORY_UNI_NOT_LINEBREAK"}


# Its callers (newline_tail and newline_bound below, matcher.confirm_reach) ask about one rule in
# a row and cache their answers, so a few recent trees suffice; `keystow rules check` asks about
# every rule, and 1,800 trees are not kept.
@functools.lru_cache(maxsize=64)
def parsed_regex(regex: str):  # noqa: ANN201 - a re._parser.SubPattern (private, untyped)
    """The regex's parse tree, or None when `re` cannot parse it. Parsed once per rule however
    many of these questions are asked (a generic rule's regex takes ~0.6 ms to parse)."""
    try:
        return regex_parser.parse(regex.encode())
    except Exception:  # noqa: BLE001 - an unparsable regex: each caller keeps the whole window
        return None


@functools.lru_cache(maxsize=None)
def newline_tail(regex: str) -> int | None:
    """The longest text the regex's last element can match when no earlier element can match a
    newline (the window may start after the last newline more than that many bytes before the
    hit end); None when the match may span lines."""
    parsed = parsed_regex(regex)
    if parsed is None:
        return None
    items = list(parsed)
    dotall = bool(parsed.state.flags & re.DOTALL)
    if not items or any(_may_match_newline(op, av, dotall) for op, av in items[:-1]):
        return None
    last = regex_parser.SubPattern(parsed.state, items[-1:])
    longest = last.getwidth()[1]
    return longest if longest < regex_parser.MAXREPEAT else None


# A window is walked back newline by newline; beyond this many, the rule's reach bounds it.
MOST_NEWLINES = 8


@functools.lru_cache(maxsize=None)
def newline_bound(regex: str) -> int | None:
    """The most newlines one match of the regex can hold, at most MOST_NEWLINES; None when it is
    unbounded (`\\s+`, `(?s).*`) or holds something this does not understand."""
    parsed = parsed_regex(regex)
    if parsed is None:
        return None
    most = _most_newlines(parsed, bool(parsed.state.flags & re.DOTALL))
    return most if most is not None and most <= MOST_NEWLINES else None


def _most_newlines(items, dotall: bool) -> int | None:  # noqa: ANN001 - a SubPattern or a list of nodes
    total = 0
    for op, av in items:
        most = _node_newlines(op, av, dotall)
        if most is None:
            return None
        total += most
    return total


def _node_newlines(op, av, dotall: bool) -> int | None:  # noqa: ANN001, PLR0911 - sre parse nodes
    name = getattr(op, "name", str(op))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        _least, most, body = av
        inner = _most_newlines(body, dotall)
        if inner is None or (inner and most == regex_parser.MAXREPEAT):
            return None
        return inner * most
    if name == "SUBPATTERN":
        _group, add_flags, del_flags, body = av
        return _most_newlines(body, (dotall or bool(add_flags & re.DOTALL)) and not del_flags & re.DOTALL)
    if name == "ATOMIC_GROUP":
        return _most_newlines(av, dotall)
    if name == "BRANCH":
        counts = [_most_newlines(branch, dotall) for branch in av[1]]
        return None if None in counts else max(c for c in counts if c is not None)
    if name in ("AT", "ASSERT", "ASSERT_NOT", "LITERAL", "NOT_LITERAL", "ANY", "IN"):
        return int(_may_match_newline(op, av, dotall))  # one character (or none) at a time
    return None  # backreferences, conditionals and anything newer: assume the worst


def _may_match_newline(op, av, dotall: bool) -> bool:  # noqa: ANN001, PLR0911 - sre parse nodes
    name = getattr(op, "name", str(op))
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return False  # anchors and lookarounds consume nothing
    if name == "LITERAL":
        return av == NEWLINE
    if name == "NOT_LITERAL":
        return av != NEWLINE
    if name == "ANY":
        return dotall
    if name == "IN":
        return _set_holds_newline(av)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return _any_may(av[2], dotall)
    if name == "SUBPATTERN":
        _group, add_flags, del_flags, body = av
        inner = (dotall or bool(add_flags & re.DOTALL)) and not del_flags & re.DOTALL
        return _any_may(body, inner)
    if name == "ATOMIC_GROUP":
        return _any_may(av, dotall)
    if name == "BRANCH":
        return any(_any_may(branch, dotall) for branch in av[1])
    return True  # backreferences, conditionals and anything newer: assume the worst


def _any_may(items, dotall: bool) -> bool:  # noqa: ANN001 - a SubPattern or a list of nodes
    return any(_may_match_newline(op, av, dotall) for op, av in items)


def _set_holds_newline(items) -> bool:  # noqa: ANN001 - a character set's nodes
    negated, holds = False, False
    for op, av in items:
        name = getattr(op, "name", str(op))
        if name == "NEGATE":
            negated = True
        elif name == "LITERAL":
            holds = holds or av == NEWLINE
        elif name == "RANGE":
            holds = holds or av[0] <= NEWLINE <= av[1]
        elif name == "CATEGORY":
            holds = holds or getattr(av, "name", str(av)) in CATEGORIES_WITH_NEWLINE
        else:
            return True  # an unknown set member: assume the worst
    return holds != negated

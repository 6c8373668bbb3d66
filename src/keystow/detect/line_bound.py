"""Which rules match within one line: their confirm window can start at the hit's line.

The `re` confirm (matcher.py) searches back from each Hyperscan hit end as far as the rule's
longest match, ~450 bytes for a generic assignment rule, and `re` tries every position of that
window. A rule whose regex cannot match a newline before its last element (a name, an operator
and a value on one line, then `(?:\r?\n|$)`) cannot start before the line holding its value, so
the window can start there: on code, a few dozen bytes instead of hundreds. The answer comes from
the parsed regex, and it is conservative: anything this does not understand (a backreference, a
conditional) counts as able to match a newline.
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


@functools.lru_cache(maxsize=None)
def newline_tail(regex: str) -> int | None:
    """The longest text the regex's last element can match when no earlier element can match a
    newline (the window may start after the last newline more than that many bytes before the
    hit end); None when the match may span lines."""
    try:
        parsed = regex_parser.parse(regex.encode())
    except Exception:  # noqa: BLE001 - an unparsable regex keeps the whole window
        return None
    items = list(parsed)
    dotall = bool(parsed.state.flags & re.DOTALL)
    if not items or any(_may_match_newline(op, av, dotall) for op, av in items[:-1]):
        return None
    last = regex_parser.SubPattern(parsed.state, items[-1:])
    longest = last.getwidth()[1]
    return longest if longest < regex_parser.MAXREPEAT else None


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

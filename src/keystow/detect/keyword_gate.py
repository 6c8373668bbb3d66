"""Which rules the Hyperscan engine runs only where one of their keywords occurs.

A contextual provider rule (`pagerduty[\\w.-]{0,20}?...(?:key|token)`) in the one regex database
makes Hyperscan work at every `key`, `token` or `secret` of the input, which code that names
secret-ish things holds every hundred bytes. A rule is *gated* instead when:

- every keyword is a distinctive literal: at least `MIN_LENGTH` characters and none of the
  generic secret words (`GENERIC_WORDS`), so its occurrences are rare in ordinary code;
- every string its regex matches contains one of its keywords (checked on the parsed regex, so a
  keyword occurrence lies inside each match, not merely somewhere in the blob);
- its longest possible match is bounded by its window (so the window around a keyword occurrence
  holds every match through it, as the window before a Hyperscan hit end does).

The matcher then scans a caseless literal database of the gated rules' keywords and runs each
gated rule's `re` only in the windows around its keywords' occurrences.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from keystow.detect.ruleset import Rule

try:
    from re import _constants as regex_constants  # type: ignore[attr-defined]  # Python 3.11+; private
    from re import _parser as regex_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as regex_constants
    import sre_parse as regex_parser

MIN_LENGTH = 5
# Words (and stems) that code uses for any secret-ish thing: a keyword holding one occurs too
# often to gate on.
GENERIC_WORDS = re.compile(
    r"pass|pwd|secret|token|key|auth|api|cred|priv|access|client|session|service|account|sign|"
    r"licen|master|encrypt|user|login|webhook|bearer|bot"
)
_REPEATS = tuple(getattr(regex_constants, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(regex_constants, name))


class GatePlan(NamedTuple):
    """Rule indexes split between the regex database and the keyword gate."""

    scanned: tuple[int, ...]  # rules in the Hyperscan regex database
    keywords: tuple[bytes, ...]  # the gated rules' keywords, lower-case, each once
    rules_of_keyword: tuple[tuple[int, ...], ...]  # per keyword, the gated rules it opens


def plan(rules: Iterable[Rule], enabled: bool = True) -> GatePlan:
    scanned: list[int] = []
    openers: dict[bytes, list[int]] = {}
    for index, rule in enumerate(rules):
        if enabled and is_gated(rule):
            for keyword in dict.fromkeys(k.lower().encode() for k in rule.keywords):
                openers.setdefault(keyword, []).append(index)
        else:
            scanned.append(index)
    return GatePlan(tuple(scanned), tuple(openers), tuple(tuple(v) for v in openers.values()))


def is_gated(rule: Rule) -> bool:
    return (not rule.is_generic and bool(rule.keywords)
            and all(is_distinctive(keyword) for keyword in rule.keywords)
            and longest_match(rule.regex) <= rule.window
            and keyword_in_every_match(rule.regex, rule.keywords))


def is_distinctive(keyword: str) -> bool:
    lowered = keyword.lower()
    return len(lowered) >= MIN_LENGTH and lowered.isascii() and not GENERIC_WORDS.search(lowered)


def longest_match(regex: str) -> int:
    """The regex's longest possible match in bytes (a huge number when unbounded)."""
    return int(regex_parser.parse(regex.encode()).getwidth()[1])


def keyword_in_every_match(regex: str, keywords: Iterable[str]) -> bool:
    """Whether every match of `regex`, lower-cased, contains one of `keywords` (lower-case).
    Conservative: False whenever the parse tree does not show it plainly."""
    lowered = tuple(keyword.lower().encode() for keyword in keywords)
    return _covered(list(regex_parser.parse(regex.encode())), lowered)


def _covered(items: list, keywords: tuple[bytes, ...]) -> bool:
    """A sequence is covered when one of its runs of literal characters holds a keyword, or one
    of its elements is covered: a group, every branch of an alternation, a repeat taken at
    least once."""
    if any(keyword in run for run in _literal_runs(items) for keyword in keywords):
        return True
    for op, argument in items:
        if op is regex_constants.SUBPATTERN and _covered(list(argument[3]), keywords):
            return True
        if op is regex_constants.BRANCH and all(_covered(list(branch), keywords) for branch in argument[1]):
            return True
        if op in _REPEATS and argument[0] >= 1 and _covered(list(argument[2]), keywords):
            return True
    return False


def _literal_runs(items: list) -> Iterable[bytes]:
    """Consecutive literal characters, lower-cased (a caseless literal matches either case, and
    the check reads lower-cased text)."""
    run = bytearray()
    for op, argument in items:
        if op is regex_constants.LITERAL:
            run.append(argument)
            continue
        if run:
            yield bytes(run).lower()
            run = bytearray()
    if run:
        yield bytes(run).lower()

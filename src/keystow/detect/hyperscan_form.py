"""What Hyperscan compiles for a rule: its regex with each name gap widened over the words after it.

A contextual provider rule reads a provider's name, a gap of name characters, then a secret word:
`(?i:bluesky|\\bbsky)[\\w .-]{0,20}?(?i:key|secret|token|pat|...)`, then an assignment and a value.
Hyperscan picks the literals that wake a rule's engine, and for such a rule it picks the secret
words: a few hundred rules then wake at every `key`, `token` or `pat` in the input, which code
holds every few lines, and each runs its own check there. Folded into the gap, as
`[\\w .-]{0,30}` (a secret word is made of name characters too), the words leave Hyperscan only the
provider's name to anchor on, which is rare.

The rewrite only widens: a match of the rule is a match of the rewritten expression with the same
end, so Hyperscan still reports every end the `re` confirm accepts (matcher.py: the confirm runs
the rule's own regex and keeps the matches that end where Hyperscan reported one). An extra end, a
provider's name followed by a name without a secret word, is dropped by that confirm. The rules
themselves, their examples and `keystow rules check` are unchanged.
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from keystow.detect.line_bound import regex_parser

# The quantifier of a lazy gap of bounded length, `[\w.-]{0,20}?`: what the contextual rules put
# between a provider's name and the secret word.
LAZY_GAP_REPEAT = re.compile(r"\{0,(\d+)\}\?")
# The most characters folded into one gap: a secret-word alternation is shorter (`client[_.-]?secret`,
# 13, is among the longest), and a longer run would swallow the value.
MOST_FOLDED = 24
# Escapes that stand for one character, by the length of the escape (`\x60`, `\u0060`).
ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}
ZERO_WIDTH = {"AT"}  # `\b`, `^`: dropping an assertion only widens
REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}
BOUNDED_REPEAT = re.compile(r"\{\d*(?:,\d*)?\}")
WORD = frozenset(byte for byte in range(128) if chr(byte).isalnum() or chr(byte) == "_")
DIGITS = frozenset(range(ord("0"), ord("9") + 1))
# What a gap may hold to be widened: the characters of a name (`[\w.-]`, `[\w .-]`). A broader gap
# (`[^\r\n]{0,40}?`) would fold the assignment and the value too, and wake at every name.
NAME_CHARACTERS = WORD | frozenset(b" \t.-/")


class LazyGap(NamedTuple):
    start: int
    character_class: str  # `[\w.-]`
    most: int  # N of `{0,N}?`
    end: int  # just after the quantifier


def hyperscan_expression(regex: str) -> str:
    """The expression Hyperscan compiles for `regex`: each lazy name gap with the name words after
    it folded in (see the module docstring); `regex` itself when there is none."""
    pieces, done = [], 0
    for gap in _lazy_gaps(regex):
        allowed = _class_members(gap.character_class)
        if gap.start < done or allowed is None or not allowed <= NAME_CHARACTERS:
            continue
        fold = _fold_after_gap(regex, gap, allowed)
        if fold is None:
            continue
        start, end, width = fold
        pieces.append(f"{regex[done:start]}{gap.character_class}{{0,{width}}}")
        done = end
    return "".join(pieces) + regex[done:] if pieces else regex


def _fold_after_gap(regex: str, gap: LazyGap, allowed: frozenset[int]) -> tuple[int, int, int] | None:
    """`[\\w.-]{0,20}?(?i:key|token)`: the gap and the atoms after it, as (start, end, width)."""
    run = [(end, width) for end, width in _foldable_run(regex, gap.end, allowed) if width <= MOST_FOLDED]
    return (gap.start, run[-1][0], gap.most + run[-1][1]) if run else None


def _foldable_run(regex: str, start: int, allowed: frozenset[int]) -> list[tuple[int, int]]:
    """(end, longest width from `start`) after each whole atom of the longest run from `start`
    whose atoms match only `allowed` characters."""
    run: list[tuple[int, int]] = []
    position: int | None = start
    while position is not None and position < len(regex):
        if regex.startswith("(?P<", position):  # the secret itself: folded, the gap would wake at every name
            break
        position = _atom_end(regex, position)
        width = None if position is None else _width_within(regex[start:position], allowed)
        if position is None or width is None:
            break
        run.append((position, width))
    return run


def _lazy_gaps(regex: str) -> Iterator[LazyGap]:
    """Each character class quantified `{0,N}?` in `regex`, found by walking the regex: an
    escaped `\\[` or a bracket inside a class is not one."""
    i = 0
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += ESCAPE_LENGTHS.get(regex[i + 1 : i + 2], 2)
            continue
        if char == "[":
            class_end = _class_end(regex, i)
            if class_end is None:
                return
            repeat = LAZY_GAP_REPEAT.match(regex, class_end)
            if repeat is not None:
                yield LazyGap(i, regex[i:class_end], int(repeat.group(1)), repeat.end())
            i = class_end
            continue
        i += 1


def _atom_end(regex: str, i: int) -> int | None:
    """The end of the atom at `i` with its quantifier, or None at the end of a group or branch."""
    char = regex[i]
    end: int | None
    if char in "|)":
        return None
    if char == "\\":
        end = i + ESCAPE_LENGTHS.get(regex[i + 1 : i + 2], 2)
    elif char == "[":
        end = _class_end(regex, i)
    elif char == "(":
        end = _group_end(regex, i)
    else:
        end = i + 1
    if end is None or end > len(regex):
        return None
    return _quantifier_end(regex, end)


def _class_end(regex: str, i: int) -> int | None:
    i += 1
    if regex[i : i + 1] == "^":
        i += 1
    if regex[i : i + 1] == "]":
        i += 1
    while i < len(regex):
        if regex[i] == "\\":
            i += 2
        elif regex[i] == "]":
            return i + 1
        else:
            i += 1
    return None


def _group_end(regex: str, i: int) -> int | None:
    depth = 0
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            class_end = _class_end(regex, i)
            if class_end is None:
                return None
            i = class_end
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        i += 1
        if depth == 0:
            return i
    return None


def _quantifier_end(regex: str, i: int) -> int:
    if i < len(regex) and regex[i] in "?*+":
        i += 1
    else:
        bounded = BOUNDED_REPEAT.match(regex, i)
        if bounded is None:
            return i
        i = bounded.end()
    return i + 1 if regex[i : i + 1] == "?" else i  # a lazy quantifier


def _class_members(text: str) -> frozenset[int] | None:
    """The ASCII bytes a character class such as `[\\w .-]` matches, or None if it does not compile."""
    try:
        pattern = re.compile(text.encode())
    except re.error:
        return None
    return frozenset(byte for byte in range(128) if pattern.fullmatch(bytes([byte]))) or None


def _width_within(text: str, allowed: frozenset[int]) -> int | None:
    """The longest match of `text` when every character it can match is in `allowed` and that
    length is bounded; otherwise None."""
    try:
        parsed = regex_parser.parse(text.encode())
    except re.error:
        return None
    if not _matches_only(parsed, allowed):
        return None
    longest = parsed.getwidth()[1]
    return longest if longest < 1 << 16 else None


def _matches_only(parsed, allowed: frozenset[int]) -> bool:  # noqa: ANN001 - a re._parser.SubPattern
    return all(_node_within(str(op), argument, allowed) for op, argument in parsed)


def _node_within(op: str, argument, allowed: frozenset[int]) -> bool:  # noqa: ANN001 - the node's argument
    if op in ZERO_WIDTH:
        return True
    if op == "LITERAL":
        return _cased_within(argument, allowed)
    if op == "IN":
        return all(_class_item_within(item, allowed) for item in argument)
    if op == "SUBPATTERN":
        return _matches_only(argument[-1], allowed)
    if op == "BRANCH":
        return all(_matches_only(branch, allowed) for branch in argument[1])
    if op in REPEATS:
        return _matches_only(argument[2], allowed)
    return False  # `.`, a negated class, a backreference, a lookaround: not only name characters


def _class_item_within(item, allowed: frozenset[int]) -> bool:  # noqa: ANN001 - a (op, argument) pair
    op, argument = str(item[0]), item[1]
    if op == "LITERAL":
        return _cased_within(argument, allowed)
    if op == "RANGE":
        return all(_cased_within(code, allowed) for code in range(argument[0], argument[1] + 1))
    if op == "CATEGORY":
        members = {"CATEGORY_WORD": WORD, "CATEGORY_DIGIT": DIGITS}.get(str(argument))
        return members is not None and members <= allowed
    return False


def _cased_within(code: int, allowed: frozenset[int]) -> bool:
    """`code` and its other ASCII case (a rule may be case-insensitive) are both in `allowed`."""
    if code >= 128:
        return False
    char = chr(code)
    return all(ord(variant) in allowed for variant in {char, char.lower(), char.upper()})

"""Alternations that can read the same text two ways inside a repeat: `(aa|a)*`, `(?i)(ab|AB)+`.

Under a repeat, each such choice doubles the paths Python `re` may try before it gives up, so a
failing match costs exponential time. The check works on the parse tree, after the parser's own
rewriting (common prefixes factored out, one-character alternatives merged into a class), and
compares each pair of alternatives on their leading character sets; an alternative that matches
nothing (what `(a|a)` leaves: `a(?:|)`) is compared with what can follow it, the next iteration
included. A static approximation, documented in docs/reliability.md.
"""

from __future__ import annotations

try:
    from re import _constants as constants  # type: ignore[attr-defined]  # Python >= 3.11; private, not in typeshed
except ImportError:  # pragma: no cover
    import sre_constants as constants

REPEATS = {constants.MAX_REPEAT, constants.MIN_REPEAT}


def has_ambiguous_alternation(tree, loop_bound: int) -> bool:
    """Whether an alternation inside a repeat of more than `loop_bound` iterations (a parse tree
    from `re`'s parser) has two alternatives that can match the same text."""
    return _ambiguous(tree, None, tree.state.flags, loop_bound)


class Chars:
    """A set of characters: `chars`, or everything but `chars` when `negated`."""

    __slots__ = ("chars", "negated")

    def __init__(self, chars: frozenset[int] = frozenset(), negated: bool = False) -> None:
        self.chars, self.negated = chars, negated

    def __or__(self, other: "Chars") -> "Chars":
        if self.negated and other.negated:
            return Chars(self.chars & other.chars, True)
        if self.negated or other.negated:
            kept, added = (self, other) if self.negated else (other, self)
            return Chars(kept.chars - added.chars, True)
        return Chars(self.chars | other.chars)

    def overlaps(self, other: "Chars") -> bool:
        if self.negated and other.negated:
            return True  # both exclude a few characters: they share all the others
        if self.negated or other.negated:
            kept, listed = (self, other) if self.negated else (other, self)
            return bool(listed.chars - kept.chars)
        return bool(self.chars & other.chars)


EVERYTHING = Chars(negated=True)
CATEGORIES = {
    constants.CATEGORY_DIGIT: Chars(frozenset(range(48, 58))),
    constants.CATEGORY_WORD: Chars(
        frozenset(map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"))
    ),
    constants.CATEGORY_SPACE: Chars(frozenset(map(ord, " \t\n\r\f\v"))),
}
CATEGORIES[constants.CATEGORY_NOT_DIGIT] = Chars(CATEGORIES[constants.CATEGORY_DIGIT].chars, True)
CATEGORIES[constants.CATEGORY_NOT_WORD] = Chars(CATEGORIES[constants.CATEGORY_WORD].chars, True)
CATEGORIES[constants.CATEGORY_NOT_SPACE] = Chars(CATEGORIES[constants.CATEGORY_SPACE].chars, True)
LARGEST_RANGE = 4096  # a wider class range counts as "almost anything"


def _ambiguous(items, follow: Chars | None, flags: int, loop_bound: int) -> bool:
    """`follow` is what can come after `items` inside the innermost large repeat (its next
    iteration included), or None outside any."""
    for index, (op, value) in enumerate(items):
        after = _after(items[index + 1:], follow, flags)
        if op in REPEATS:
            low, high, body = value
            if high > loop_bound:  # the body's end is followed by its next iteration, or the exit
                after = _first(body, flags)[0] | (after or Chars())
            if _ambiguous(body, after, flags, loop_bound):
                return True
        elif op is constants.BRANCH:
            if after is not None and _alternatives_overlap(value[1], after, flags):
                return True
            if any(_ambiguous(branch, after, flags, loop_bound) for branch in value[1]):
                return True
        elif op is constants.SUBPATTERN:
            if _ambiguous(value[-1], after, _scoped(value, flags), loop_bound):
                return True
    return False


def _after(rest, follow: Chars | None, flags: int) -> Chars | None:
    """What can come after an item followed by `rest`, inside a large repeat (else None)."""
    if follow is None:
        return None
    chars, nullable = _first(rest, flags)
    return chars | follow if nullable else chars


def _alternatives_overlap(alternatives, follow: Chars, flags: int) -> bool:
    """Two alternatives that can start matching the same text."""
    readings = [(_prefix(branch, flags), _first(branch, flags)[0]) for branch in alternatives]
    return any(_compatible(a, b, follow) for index, a in enumerate(readings) for b in readings[index + 1:])


def _compatible(a, b, follow: Chars) -> bool:
    """Whether two alternatives can match the same text: their known leading characters agree.
    One that matches nothing agrees with another that matches nothing (`(a|a)` is parsed as
    `a(?:|)`), or with one starting like what follows (`a(?:a|)` from `(aa|a)*`), but not with
    `b` in `a(?:|b)` from `(a|ab)*c`: that text has one reading."""
    ((known_a, complete_a), first_a), ((known_b, complete_b), first_b) = a, b
    empty_a, empty_b = complete_a and not known_a, complete_b and not known_b
    if empty_a and empty_b:
        return True
    if empty_a or empty_b:
        return (first_b if empty_a else first_a).overlaps(follow)
    return all(x.overlaps(y) for x, y in zip(known_a, known_b, strict=False))


def _first(items, flags: int) -> tuple[Chars, bool]:
    """The characters a match of `items` can start with, and whether it can match nothing."""
    first = Chars()
    for op, value in items:
        chars, nullable = _first_of(op, value, flags)
        first = first | chars
        if not nullable:
            return first, False
    return first, True


def _first_of(op, value, flags: int) -> tuple[Chars, bool]:
    single = _single(op, value, flags)
    if single is not None:
        return single, False
    if op in REPEATS:
        low, _, body = value
        chars, nullable = _first(body, flags)
        return chars, nullable or low == 0
    if op is constants.SUBPATTERN:
        return _first(value[-1], _scoped(value, flags))
    if op is constants.BRANCH:
        chars, nullable = Chars(), False
        for branch in value[1]:
            branch_chars, branch_nullable = _first(branch, flags)
            chars, nullable = chars | branch_chars, nullable or branch_nullable
        return chars, nullable
    if op in (constants.AT, constants.ASSERT, constants.ASSERT_NOT):
        return Chars(), True
    return EVERYTHING, True  # back references and the rest: assume the worst


def _prefix(items, flags: int, limit: int = 8) -> tuple[list[Chars], bool]:
    """The character sets of an alternative's first fixed positions (up to `limit`), and whether
    they are the whole alternative. A repeat, a nested alternation or an assertion ends what is
    known (a repeat of at least one character still tells its first position)."""
    known: list[Chars] = []
    for op, value in items:
        if len(known) >= limit:
            return known, False
        if op is constants.SUBPATTERN:
            inner, complete = _prefix(value[-1], _scoped(value, flags), limit - len(known))
            known += inner
            if not complete:
                return known, False
            continue
        single = _single(op, value, flags)
        if single is not None:
            known.append(single)
            continue
        if op in REPEATS and value[0] >= 1 and len(value[2]) == 1:
            item_op, item_value = value[2][0]
            first = _single(item_op, item_value, flags)
            if first is not None:
                known.append(first)
        return known, False
    return known, True


def _single(op, value, flags: int) -> Chars | None:
    """The characters a one-character item matches, or None for anything else."""
    if op is constants.LITERAL:
        return _literal(value, flags)
    if op is constants.NOT_LITERAL:
        return Chars(_literal(value, flags).chars, True)
    if op is constants.IN:
        return _class(value, flags)
    if op is constants.ANY:
        return EVERYTHING if flags & constants.SRE_FLAG_DOTALL else Chars(frozenset({10}), True)
    return None


def _literal(code: int, flags: int) -> Chars:
    if not flags & constants.SRE_FLAG_IGNORECASE:
        return Chars(frozenset({code}))
    text = chr(code)
    return Chars(frozenset({code, ord(text.lower()[0]), ord(text.upper()[0])}))


def _class(items, flags: int) -> Chars:
    chars, negate = Chars(), False
    for op, value in items:
        if op is constants.NEGATE:
            negate = True
        elif op is constants.LITERAL:
            chars = chars | _literal(value, flags)
        elif op is constants.RANGE:
            low, high = value
            if high - low > LARGEST_RANGE:
                return EVERYTHING
            for code in range(low, high + 1):
                chars = chars | _literal(code, flags)
        elif op is constants.CATEGORY:
            chars = chars | CATEGORIES.get(value, EVERYTHING)
    if not negate:
        return chars
    return EVERYTHING if chars.negated else Chars(chars.chars, True)


def _scoped(subpattern, flags: int) -> int:
    """The flags inside a group: `(?i:...)`, `(?-i:...)`, `(?s:...)` change them."""
    add_flags, del_flags = subpattern[1], subpattern[2]
    return (flags | add_flags) & ~del_flags



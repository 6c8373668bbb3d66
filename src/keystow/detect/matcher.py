"""One multi-pattern pass over a blob, then a bounded confirmation with Python `re`.

Every rule compiles into one Hyperscan database; Hyperscan reports the end offset of each hit.
For each rule with hits, Python `re` runs only over the `window` bytes before those ends, which
extracts the secret group and keeps the regex's cost bounded whatever the input. The compiled
database is serialized to the user cache, keyed by the rules, so a hook run never recompiles.

Where `hyperscan` cannot be installed, `ReMatcher` runs the same rules with `re` alone (with the
rules' keywords as a prefilter). Both engines yield identical matches: the rule self-test runs on
both.
"""

from __future__ import annotations

import bisect
import functools
from pathlib import Path
from typing import Iterator, NamedTuple

from keystow import fs
from keystow.detect.line_bound import newline_bound, newline_tail, parsed_regex
from keystow.detect.patterns import secret_spans
from keystow.detect.quick import keywords_occur
from keystow.detect.ruleset import Rule, RuleSet
from keystow.errors import RuleError

# Bytes after a hit end that the confirm window keeps, so `\b` and delimiters see real context.
RIGHT_CONTEXT = 64
CACHE_FORMAT = "2"  # 2: rules compile as hyperscan_form.hyperscan_expression(regex)
# Between texts searched in one pass (texts_with_hits): newlines, which end a line for every rule
# and stand where a rule's `(?:^|[^A-Za-z0-9])` or `\s` expects the start of the text.
TEXT_SEPARATOR = b"\n\n"


class Match(NamedTuple):
    """A confirmed regex match: offsets into the scanned bytes."""

    rule: Rule
    start: int
    end: int
    secret_start: int
    secret_end: int


def hyperscan_available() -> bool:
    try:
        # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


def build_matcher(ruleset: RuleSet, engine: str = "auto") -> "HyperscanMatcher | ReMatcher":
    """`engine`: "hyperscan", "re", or "auto" (Hyperscan when installed)."""
    if engine == "re" or (engine == "auto" and not hyperscan_available()):
        return ReMatcher(ruleset)
    return HyperscanMatcher(ruleset)


class ReMatcher:
    """The fallback engine: each rule's regex over the whole blob, keywords first."""

    engine = "re"

    def __init__(self, ruleset: RuleSet) -> None:
        self.rules = ruleset.rules
        self.keywords = [tuple(k.encode() for k in rule.keywords) for rule in self.rules]

    def texts_with_hits(self, texts: list[bytes]) -> list[bool]:
        """Per text, whether any rule matches in it (what the Hyperscan engine answers for many
        texts at once; here each text is searched alone)."""
        return [next(self.matches(text), None) is not None for text in texts]

    def matches(self, data: bytes) -> Iterator[Match]:
        lowered = data.lower()
        for rule, keywords in zip(self.rules, self.keywords, strict=True):
            if keywords_occur(keywords, lowered):
                yield from _confirm(rule, data, 0, len(data))


class HyperscanMatcher:
    engine = "hyperscan"

    def __init__(self, ruleset: RuleSet, cache_dir: Path | None = None) -> None:
        self.rules = ruleset.rules
        self.database = load_or_compile(ruleset, cache_dir or fs.cache_dir())

    def matches(self, data: bytes) -> Iterator[Match]:
        ends: dict[int, list[int]] = {}

        def on_hit(rule_index: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            ends.setdefault(rule_index, []).append(end)

        self.database.scan(data, match_event_handler=on_hit)
        for rule_index, rule_ends in sorted(ends.items()):
            yield from self._confirm_ends(self.rules[rule_index], data, rule_ends)

    def texts_with_hits(self, texts: list[bytes]) -> list[bool]:
        """Per text, whether Hyperscan reports a hit in or just after it (before confirmation), in
        one pass over the texts joined by TEXT_SEPARATOR: thousands of commit messages cost one
        call, not one each. An answer can be a false yes (a hit the confirm would reject, a match
        across two texts), never a false no: a rule's `^` alternatives also take the separator's
        newline, and a hit that ended at a text's end by `$` ends in the separator after it."""
        ends: list[int] = []
        self.database.scan(TEXT_SEPARATOR.join(texts), match_event_handler=lambda _r, _s, end, _f, _c: ends.append(end))
        starts, offset = [], 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + len(TEXT_SEPARATOR)
        flagged = [False] * len(texts)
        for end in ends:  # the text starting before the end (an end in a separator: the one before)
            flagged[max(0, bisect.bisect_left(starts, end) - 1)] = True
        return flagged

    def _confirm_ends(self, rule: Rule, data: bytes, ends: list[int]) -> Iterator[Match]:
        accepted = set(ends)
        seen: set[tuple[int, int]] = set()
        reach, tail = confirm_reach(rule.regex, rule.window), newline_tail(rule.regex)
        for start, stop in _windows(sorted(accepted), reach, data, tail, newline_bound(rule.regex)):
            for match in _confirm(rule, data, start, stop):
                if match.end in accepted and (match.start, match.end) not in seen:
                    seen.add((match.start, match.end))
                    yield match


@functools.lru_cache(maxsize=None)
def confirm_reach(regex: str, window: int) -> int:
    """How far before a hit end its match can start: the rule's window, or the regex's longest
    possible match when that is shorter. The `re` confirm costs in proportion to it; a generic
    rule's longest match is ~300 bytes against the default 1 KiB window."""
    parsed = parsed_regex(regex)
    if parsed is None:  # an unparsable width only costs the full window
        return window
    return max(1, min(window, parsed.getwidth()[1]))


def _windows(ends: list[int], window: int, data: bytes, tail: int | None = None,
             newlines: int | None = None) -> Iterator[tuple[int, int]]:
    """Merge the windows [end - window, end + context] of sorted hit ends that overlap. With a
    `tail` (line_bound.newline_tail: the rule matches within a line but for its last `tail`
    bytes), a window starts no earlier than the line of the match's body; with `newlines`
    (line_bound.newline_bound: the most newlines a match holds), no earlier than the line that
    many newlines back from the end."""
    start: int | None = None
    stop = 0  # meaningful once start is set
    for end in ends:
        lo, hi = max(0, end - window), min(len(data), end + RIGHT_CONTEXT)
        if tail is not None:
            newline = data.rfind(b"\n", lo, max(lo, end - tail))
            lo = newline + 1 if newline >= 0 else lo
        if newlines is not None:
            lo = _after_newlines(data, lo, end, newlines + 1)
        if start is not None and lo <= stop:
            stop = hi
            continue
        if start is not None:
            yield start, stop
        start, stop = lo, hi
    if start is not None:
        yield start, stop


def _after_newlines(data: bytes, lo: int, end: int, count: int) -> int:
    """Just after the `count`-th newline before `end`, or `lo` when data[lo:end] holds fewer. A
    match ending at `end` that holds fewer than `count` newlines starts there or later."""
    for _ in range(count):
        newline = data.rfind(b"\n", lo, end)
        if newline < 0:
            return lo
        end = newline
    return end + 1


def _confirm(rule: Rule, data: bytes, start: int, stop: int) -> Iterator[Match]:
    for m_start, m_end, s_start, s_end in secret_spans(rule.regex, data, start, stop):
        yield Match(rule, m_start, m_end, s_start, s_end)


# --- the compiled database and its on-disk cache -------------------------------------------


def database_key(ruleset: RuleSet) -> str:
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    version = str(getattr(hyperscan, "__version__", ""))
    return fs.digest(CACHE_FORMAT, version, *(rule.regex for rule in ruleset.rules))[:32]


def load_or_compile(ruleset: RuleSet, cache_dir: Path):
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    path = cache_dir / f"hyperscan-{database_key(ruleset)}.db"
    database = _load_cached(path)
    if database is None:
        database = compile_database(ruleset)
        fs.write_cache(path, hyperscan.dumpb(database))
    return database


def _load_cached(path: Path):
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    try:
        database = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
        return database
    except (OSError, hyperscan.HyperscanError):
        return None  # missing, unreadable or from another Hyperscan build: compile afresh


def compile_database(ruleset: RuleSet):
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    # late: only a compile (a database cache miss) needs it, not a scan (~2 ms to import)
    from keystow.detect.hyperscan_form import hyperscan_expression

    expressions = [hyperscan_expression(rule.regex).encode() for rule in ruleset.rules]
    if not expressions:
        raise RuleError("no rules are enabled")
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(
            expressions=expressions,
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=[0] * len(expressions),
        )
    except hyperscan.HyperscanError:
        _raise_for_bad_rule(ruleset)
        raise
    return database


def _raise_for_bad_rule(ruleset: RuleSet) -> None:
    """Compile rules one by one to name the one Hyperscan rejects."""
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    from keystow.detect.hyperscan_form import hyperscan_expression  # late: see compile_database

    # User rules come last and the built-in ones compile: checking from the end names the
    # culprit after a compile or two instead of one per rule (seconds on a loaded machine).
    for rule in reversed(ruleset.rules):
        single = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            single.compile(expressions=[hyperscan_expression(rule.regex).encode()], ids=[0], elements=1, flags=[0])
        except hyperscan.HyperscanError as exc:
            raise RuleError(f"{rule.source}: rule {rule.id!r}: Hyperscan rejects the regex: {exc}") from None

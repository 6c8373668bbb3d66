"""One multi-pattern pass over a blob, then a bounded confirmation with Python `re`.

Every rule compiles into one Hyperscan database; Hyperscan reports the end offset of each hit.
For each rule with hits, Python `re` runs only over the `window` bytes before those ends, which
extracts the secret group and keeps the regex's cost bounded whatever the input. Rules gated on a
distinctive keyword (keystow.detect.keyword_gate) stay out of that database: a second, literal
database finds their keywords, and their `re` runs in the windows around each occurrence. Both
compiled databases are serialized to the user cache, keyed by the rules and the gating, so a hook
run never recompiles.

Where `hyperscan` cannot be installed, `ReMatcher` runs the same rules with `re` alone (with the
rules' keywords as a prefilter). Both engines yield identical matches: the rule self-test runs on
both.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple

from keystow import fs
from keystow.detect import keyword_gate
from keystow.detect.patterns import secret_spans
from keystow.detect.quick import keywords_occur
from keystow.detect.ruleset import Rule, RuleSet
from keystow.errors import RuleError

try:
    from re import _parser as regex_parser  # type: ignore[attr-defined]  # Python 3.11+; private, not in typeshed
except ImportError:  # pragma: no cover
    import sre_parse as regex_parser

# Bytes after a hit end that the confirm window keeps, so `\b` and delimiters see real context.
RIGHT_CONTEXT = 64
CACHE_FORMAT = "2"  # 2: the keyword database beside the regex database


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

    def matches(self, data: bytes) -> Iterator[Match]:
        lowered = data.lower()
        for rule, keywords in zip(self.rules, self.keywords, strict=True):
            if keywords_occur(keywords, lowered):
                yield from _confirm(rule, data, 0, len(data))


class HyperscanMatcher:
    engine = "hyperscan"

    def __init__(self, ruleset: RuleSet, cache_dir: Path | None = None, gate: bool = True) -> None:
        """`gate=False` puts every rule in the regex database (the tests compare both ways)."""
        self.rules = ruleset.rules
        self.plan = keyword_gate.plan(self.rules, enabled=gate)
        self.database, self.keyword_database = load_or_compile(ruleset, self.plan, cache_dir or fs.cache_dir())

    def matches(self, data: bytes) -> Iterator[Match]:
        ends: dict[int, list[int]] = {}

        def on_hit(rule_index: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            ends.setdefault(rule_index, []).append(end)

        if self.database is not None:
            self.database.scan(data, match_event_handler=on_hit)
        near = self._keyword_ends(data)
        for rule_index in sorted(ends.keys() | near.keys()):
            if rule_index in ends:
                yield from self._confirm_ends(self.rules[rule_index], data, ends[rule_index])
            else:
                yield from self._confirm_near(self.rules[rule_index], data, near[rule_index])

    def _keyword_ends(self, data: bytes) -> dict[int, list[int]]:
        """Per gated rule, the end offsets of its keywords' occurrences in `data`."""
        if self.keyword_database is None:
            return {}
        found: dict[int, list[int]] = {}

        def on_keyword(keyword_index: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            found.setdefault(keyword_index, []).append(end)

        self.keyword_database.scan(data, match_event_handler=on_keyword)
        near: dict[int, list[int]] = {}
        for keyword_index, keyword_ends in found.items():
            for rule_index in self.plan.rules_of_keyword[keyword_index]:
                near.setdefault(rule_index, []).extend(keyword_ends)
        return near

    def _confirm_ends(self, rule: Rule, data: bytes, ends: list[int]) -> Iterator[Match]:
        accepted = set(ends)
        seen: set[tuple[int, int]] = set()
        for start, stop in _windows(sorted(accepted), confirm_reach(rule.regex, rule.window), len(data)):
            for match in _confirm(rule, data, start, stop):
                if match.end in accepted and (match.start, match.end) not in seen:
                    seen.add((match.start, match.end))
                    yield match

    def _confirm_near(self, rule: Rule, data: bytes, keyword_ends: list[int]) -> Iterator[Match]:
        """A gated rule's matches: each holds a keyword occurrence and is at most `reach` long, so
        it lies in [keyword end - reach, keyword end + reach]; the window adds the right context
        a hit window has."""
        reach = confirm_reach(rule.regex, rule.window)
        far_ends = sorted({end + reach for end in keyword_ends})
        for start, stop in _windows(far_ends, 2 * reach, len(data)):
            yield from _confirm(rule, data, start, stop)


@functools.lru_cache(maxsize=None)
def confirm_reach(regex: str, window: int) -> int:
    """How far before a hit end its match can start: the rule's window, or the regex's longest
    possible match when that is shorter. The `re` confirm costs in proportion to it; a generic
    rule's longest match is ~300 bytes against the default 1 KiB window."""
    try:
        longest = regex_parser.parse(regex.encode()).getwidth()[1]
    except Exception:  # noqa: BLE001 - an unparsable width only costs the full window
        return window
    return max(1, min(window, longest))


def _windows(ends: list[int], window: int, size: int) -> Iterator[tuple[int, int]]:
    """Merge the windows [end - window, end + context] of sorted hit ends that overlap."""
    start: int | None = None
    stop = 0  # meaningful once start is set
    for end in ends:
        lo, hi = max(0, end - window), min(size, end + RIGHT_CONTEXT)
        if start is not None and lo <= stop:
            stop = hi
            continue
        if start is not None:
            yield start, stop
        start, stop = lo, hi
    if start is not None:
        yield start, stop


def _confirm(rule: Rule, data: bytes, start: int, stop: int) -> Iterator[Match]:
    for m_start, m_end, s_start, s_end in secret_spans(rule.regex, data, start, stop):
        yield Match(rule, m_start, m_end, s_start, s_end)


# --- the compiled database and its on-disk cache -------------------------------------------


def database_key(ruleset: RuleSet, plan: keyword_gate.GatePlan | None = None) -> str:
    """Keys both databases: the rules, which of them are gated, and the gated rules' keywords."""
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    plan = plan or keyword_gate.plan(ruleset.rules)
    version = str(getattr(hyperscan, "__version__", ""))
    gating = ",".join(map(str, plan.scanned)), *(keyword.decode() for keyword in plan.keywords)
    return fs.digest(CACHE_FORMAT, version, *(rule.regex for rule in ruleset.rules), "--", *gating)[:32]


def load_or_compile(ruleset: RuleSet, plan: keyword_gate.GatePlan, cache_dir: Path):
    """(regex database, keyword database), each cached, each None when it would be empty
    (Hyperscan compiles no empty database)."""
    if not ruleset.rules:
        raise RuleError("no rules are enabled")
    key = database_key(ruleset, plan)
    database = keyword_database = None
    if plan.scanned:
        database = _cached(cache_dir / f"hyperscan-{key}.db", lambda: compile_database(ruleset, plan.scanned))
    if plan.keywords:
        keyword_database = _cached(cache_dir / f"hyperscan-{key}-keywords.db",
                                   lambda: compile_keyword_database(plan.keywords))
    return database, keyword_database


def _cached(path: Path, compile_afresh: Callable[[], Any]):
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    database = _load_cached(path)
    if database is None:
        database = compile_afresh()
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


def compile_database(ruleset: RuleSet, indexes: tuple[int, ...] | None = None):
    """The regex database of the rules at `indexes` (all by default); a hit's id is the rule's
    index in the rule set."""
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    if not ruleset.rules:
        raise RuleError("no rules are enabled")
    ids = list(range(len(ruleset.rules))) if indexes is None else list(indexes)
    expressions = [ruleset.rules[i].regex.encode() for i in ids]
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(expressions=expressions, ids=ids, elements=len(expressions), flags=[0] * len(expressions))
    except hyperscan.HyperscanError:
        _raise_for_bad_rule(ruleset)
        raise
    return database


def compile_keyword_database(keywords: tuple[bytes, ...]):
    """Caseless literals; a hit's id is the keyword's index in the gate plan."""
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=list(keywords), ids=list(range(len(keywords))), elements=len(keywords),
                     flags=[hyperscan.HS_FLAG_CASELESS] * len(keywords), literal=True)
    return database


def _raise_for_bad_rule(ruleset: RuleSet) -> None:
    """Compile rules one by one to name the one Hyperscan rejects."""
    # late: hyperscan is optional (not built for every platform): the `re` engine is the fallback
    import hyperscan

    # User rules come last and the built-in ones compile: checking from the end names the
    # culprit after a compile or two instead of one per rule (seconds on a loaded machine).
    for rule in reversed(ruleset.rules):
        single = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            single.compile(expressions=[rule.regex.encode()], ids=[0], elements=1, flags=[0])
        except hyperscan.HyperscanError as exc:
            raise RuleError(f"{rule.source}: rule {rule.id!r}: Hyperscan rejects the regex: {exc}") from None

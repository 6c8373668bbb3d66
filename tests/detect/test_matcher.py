"""The matcher: Hyperscan and the `re` fallback agree, windows are bounded, the database cache works."""

from __future__ import annotations

import pytest

from keystow.detect.matcher import (
    HyperscanMatcher,
    ReMatcher,
    _windows,
    build_matcher,
    confirm_reach,
    database_key,
    hyperscan_available,
)
from keystow.errors import RuleError
from tests.detect.rulekit import (
    DEMO,
    DEMO_TOKEN,
    DEMO_TOKEN_2,
    GENERIC,
    PASSWORD,
    rule,
    ruleset,
)

needs_hyperscan = pytest.mark.skipif(not hyperscan_available(), reason="hyperscan not installed")
TEXT = (b"a = 1\nkey = " + DEMO_TOKEN.encode() + b"\n" + b"# filler\n" * 200
        + b"password = '" + PASSWORD.encode() + b"'\nend " + DEMO_TOKEN_2.encode())


def spans(matcher, data):
    return sorted((m.rule.id, m.secret_start, m.secret_end) for m in matcher.matches(data))


@needs_hyperscan
def test_both_engines_find_the_same_matches(tmp_path):
    rules = ruleset(DEMO, GENERIC)
    hs = HyperscanMatcher(rules, cache_dir=tmp_path)
    found = spans(hs, TEXT)
    assert found == spans(ReMatcher(rules), TEXT)
    assert [TEXT[s:e] for _, s, e in found] == [DEMO_TOKEN.encode(), DEMO_TOKEN_2.encode(), PASSWORD.encode()]


def test_re_engine_skips_rules_whose_keywords_are_absent():
    rules = ruleset(rule("kw", r"(?P<secret>zz[0-9]{4})", keywords=["needle"]))
    assert spans(ReMatcher(rules), b"zz1234") == []
    assert spans(ReMatcher(rules), b"NEEDLE zz1234") == [("kw", 7, 13)]


def test_windows_merge_overlaps_and_clip_to_the_blob():
    data = b"x" * 6000
    assert list(_windows([10, 50, 5000], 100, data)) == [(0, 114), (4900, 5064)]
    assert list(_windows([5990], 100, data)) == [(5890, 6000)]


def test_windows_of_a_line_bound_rule_start_at_the_line_of_the_match():
    data = b"a" * 50 + b"\n" + b"b" * 30 + b"\n" + b"c" * 30 + b"\r\n"
    end = len(data)  # the hit's tail matched the final CRLF: the window is the last line's
    assert list(_windows([end], 100, data, tail=2)) == [(82, end)]
    assert list(_windows([end], 100, data, tail=None)) == [(end - 100, end)]
    assert list(_windows([81], 100, data, tail=1)) == [(51, len(data))]  # the `\n` ended the second line


def test_windows_of_a_rule_holding_few_newlines_start_that_many_lines_back():
    data = b"a" * 50 + b"\n" + b"b" * 30 + b"\n" + b"c" * 30 + b"\r\n"
    end = len(data)  # the match ends with the last line's `\n`: one newline, and at most one more
    assert list(_windows([end], 200, data, newlines=2)) == [(51, end)]
    assert list(_windows([end], 200, data, newlines=1)) == [(82, end)]
    assert list(_windows([end], 200, data, newlines=0)) == [(end, end)]  # no room for a match
    assert list(_windows([end], 60, data, newlines=2)) == [(end - 60, end)]  # the reach is nearer


@needs_hyperscan
def test_database_is_cached_by_rules(tmp_path):
    rules = ruleset(DEMO)
    HyperscanMatcher(rules, cache_dir=tmp_path)
    cached = list(tmp_path.glob("hyperscan-*.db"))
    assert [p.name for p in cached] == [f"hyperscan-{database_key(rules)}.db"]
    cached[0].write_bytes(b"corrupt")  # an unusable cache costs a recompile, never an error
    assert spans(HyperscanMatcher(rules, cache_dir=tmp_path), DEMO_TOKEN.encode())
    assert database_key(rules) != database_key(ruleset(DEMO, GENERIC))


@needs_hyperscan
def test_a_regex_hyperscan_rejects_is_named(tmp_path):
    rules = ruleset(DEMO, rule("backreference", r"(?P<q>['\"])(?P<secret>b+)(?P=q)"))
    with pytest.raises(RuleError, match="backreference"):
        HyperscanMatcher(rules, cache_dir=tmp_path)


def test_engine_choice():
    assert build_matcher(ruleset(DEMO), "re").engine == "re"


def test_confirm_reach_is_the_longest_match_when_shorter_than_the_window():
    assert confirm_reach(r"\b(?P<secret>dmo_[a-z0-9]{20})\b", 1024) == 24
    assert confirm_reach(r"key=(?P<secret>[a-z]+)", 1024) == 1024  # unbounded: the window


@needs_hyperscan
def test_narrow_reach_finds_what_the_whole_blob_search_finds(tmp_path):
    rules = ruleset(DEMO, GENERIC)
    data = TEXT * 3 + b"\npassword = '" + PASSWORD.encode() + b"'" * 2
    assert spans(HyperscanMatcher(rules, cache_dir=tmp_path), data) == spans(ReMatcher(rules), data)


@needs_hyperscan
def test_texts_searched_together_flag_every_text_a_rule_matches_alone():
    """The batched search of commit messages (texts_with_hits) may flag a clean text, never miss
    one: every example of every rule, each between clean texts, with and without a final newline."""
    from keystow.detect.ruleset import load_rules

    rules = load_rules()
    matcher = HyperscanMatcher(rules)
    examples = [example.encode() for rule in rules.rules for example in rule.examples]
    examples += [example + b"\n" for example in examples]
    texts = [text for example in examples for text in (b"fix: typo in README", example)]
    flagged = matcher.texts_with_hits(texts)
    alone = [next(matcher.matches(text), None) is not None for text in texts]
    missed = [texts[i] for i, (hit, found) in enumerate(zip(flagged, alone, strict=True)) if found and not hit]
    assert sum(alone) >= len(examples) * 0.9  # the examples do match alone
    assert missed == []


@pytest.mark.parametrize("engine", ["re", pytest.param("hyperscan", marks=needs_hyperscan)])
def test_texts_with_hits_names_the_texts_that_hold_a_match(engine, tmp_path):
    rules = ruleset(DEMO, GENERIC)
    matcher = HyperscanMatcher(rules, cache_dir=tmp_path) if engine == "hyperscan" else ReMatcher(rules)
    token = DEMO_TOKEN.encode()
    texts = [b"clean", b"key = " + token, b"", b"still clean\n", token, b"last"]
    assert matcher.texts_with_hits(texts) == [False, True, False, False, True, False]
    assert matcher.texts_with_hits([]) == []

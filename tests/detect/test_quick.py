"""keystow.detect.quick, the hook's small-input test, against what it stands in for: re.compile,
fnmatch and the `re` engine's keyword prefilter, on every built-in rule."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

import pytest

from keystow.config import Config
from keystow.detect import patterns, quick
from keystow.detect.matcher import ReMatcher
from keystow.pipeline.scanning import load_ruleset


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(Config())


def _texts(rule) -> list[bytes]:
    return [text.encode() for text in (*rule.examples, *rule.negative_examples)]


def test_rebuilt_patterns_match_as_re_compile_does(ruleset):
    rebuilt = 0
    for rule in ruleset.rules:
        pattern = patterns.rebuilt(rule.regex, patterns.compiled_code(rule.regex))
        if pattern is None:
            continue  # an interpreter whose internals differ: re.compile is used instead
        rebuilt += 1
        expected = re.compile(rule.regex.encode())
        assert (pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex) == \
               (expected.pattern, expected.flags, expected.groups, expected.groupindex), rule.id
        for text in _texts(rule):
            assert [m.span(0) + m.span(patterns.secret_group(pattern)) for m in pattern.finditer(text)] == \
                   [m.span(0) + m.span(patterns.secret_group(expected)) for m in expected.finditer(text)], rule.id
    assert rebuilt == len(ruleset) or not hasattr(re, "_parser")


def test_the_keyword_index_picks_the_rules_the_re_engine_runs(ruleset):
    index = quick.build_index(ruleset.rules)
    engine = ReMatcher(ruleset)
    for rule in ruleset.rules:
        for text in _texts(rule):
            lowered = text.lower()
            expected = [n for n, keywords in enumerate(engine.keywords) if quick.keywords_occur(keywords, lowered)]
            assert quick.rules_to_run(index, lowered) == expected, rule.id


@pytest.mark.parametrize("glob", [".pgpass", "*.pgpass", "*kubeconfig*", "**/.kube/config", "pgpass.conf", "x?y"])
@pytest.mark.parametrize("text", [".pgpass", "prod.pgpass", "a/b/.kube/config", "kubeconfig.yaml", "pgpass.conf",
                                  "xay", "pgpass", "my.pgpass.bak"])
def test_glob_matches_is_fnmatchcase(glob, text):
    assert quick.glob_matches(glob, text) == fnmatchcase(text, glob)


def test_text_that_needs_decoding_is_left_to_the_full_scan():
    assert quick.needs_decoding(b"\xef\xbb\xbfkey = 1") and quick.needs_decoding(b"\xff\xfek\x00")
    assert quick.needs_decoding(b"k\x00e\x00y\x00") and not quick.needs_decoding(b"key = 1\n")
    assert quick.may_hold_encoded_values(b"kind: Secret\ndata:\n  a: aGk=\n", "k8s/secret.yaml")
    assert not quick.may_hold_encoded_values(b"kind: Secret\n", "notes.md")

"""Which regexes match within one line (their confirm window starts at the hit's line)."""

import pytest

from keystow.detect.line_bound import MOST_NEWLINES, newline_bound, newline_tail
from keystow.detect.matcher import HyperscanMatcher, ReMatcher, hyperscan_available
from keystow.detect.ruleset import load_rules


@pytest.mark.parametrize("regex, tail", [
    (r"(?i)token[ \t]{0,4}=[ \t]{0,4}(?P<secret>[^\s'\"]{8,40})[ \t]{0,4}(?:\r?\n|$)", 2),
    (r"\b(?P<secret>ghp_[A-Za-z0-9]{36})\b", 0),  # no newline anywhere: the last element is `\b`
    (r"key=(?P<secret>[a-z]{4,20})", 20),  # the last element is the secret group
    (r"(?P<q>['\"])(?P<secret>\w+)(?P=q)", 1),  # a closing backreference to a quote
])
def test_line_bound_regexes_and_their_tails(regex, tail):
    assert newline_tail(regex) == tail


@pytest.mark.parametrize("regex", [
    r"-----BEGIN PRIVATE KEY-----\s+(?P<secret>[A-Za-z0-9+/=\s]{64,4000})-----END",  # \s spans lines
    r"(?s)password.{0,20}=(?P<secret>\w{8,20})",  # DOTALL: `.` matches a newline
    r"(?i)secret:[ \t]{1,4}'(?P<secret>[^'\"]{8,40})'",  # `[^'"]` holds a newline
    r"(?P<q>['\"])(?P<secret>\w+)(?P=q);",  # a backreference before the end: assumed to span
    r"user\W{1,3}(?P<secret>\w{8,40})",  # \W holds a newline
    r"key=(?P<secret>[a-z]+)",  # an unbounded last element has no finite tail
])
def test_regexes_that_may_span_lines_keep_the_whole_window(regex):
    assert newline_tail(regex) is None


@pytest.mark.parametrize("regex, most", [
    (r"\b(?P<secret>ghp_[A-Za-z0-9]{36})\b", 0),
    (r"(?i)token[ \t]{0,4}=[ \t]{0,4}(?P<secret>[^\s'\"]{8,40})[ \t]{0,4}(?:\r?\n|$)", 1),
    # YAML: `key: |`, a newline, the value, its line end
    (r"key:(?:[ \t]*\|[ \t]*\r?\n[ \t]{1,8}|[ \t]+)(?P<secret>\w{8,40})(?:\r?\n|$)", 2),
    (r"user\W{1,3}(?P<secret>\w{8,40})", 3),  # \W holds a newline, at most three times
    (r"(?:a\nb|c){0,2}(?P<secret>x)", 2),
])
def test_newline_bound_counts_the_most_newlines_a_match_holds(regex, most):
    assert newline_bound(regex) == most


@pytest.mark.parametrize("regex", [
    r"-----BEGIN PRIVATE KEY-----\s+(?P<secret>[A-Za-z0-9+/=\s]{64,4000})-----END",  # \s repeated without end
    r"(?s)password.{0,20}=(?P<secret>\w{8,20})",  # twenty newlines: past MOST_NEWLINES
    r"(?P<q>['\"])(?P<secret>\w+)(?P=q)",  # a backreference: not understood
])
def test_newline_bound_is_none_when_unbounded_large_or_not_understood(regex):
    assert MOST_NEWLINES < 20
    assert newline_bound(regex) is None


def test_the_assignment_rules_are_line_bound():
    generic = [rule for rule in load_rules().rules if rule.is_generic]
    bound = [rule.id for rule in generic if newline_tail(rule.regex) is not None]
    # not the YAML rules: they read a block scalar's value on the line after `key: |`
    assert {"generic-secret-ini-env", "generic-password-assignment", "generic-secret-assignment",
            "generic-password-weak"} <= set(bound)


@pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed")
def test_line_bound_windows_find_what_the_whole_blob_search_finds():
    rules = load_rules()
    lines = [b"api_key: Rk+kxt7HTLJcwcFRo9ov32Nr # rotated",  # keystow:allow (a made-up value)
             b"token_value: 1481", b"  secret_token:    HeHfcl8jo0yVTvqDlg1PVv9ssIkB",
             b"client_secret: |", b"   Ub9wQ2xRt7LmZp4Kd8Vn",  # keystow:allow (a made-up value)
             b"password = 'hunter2hunter2'", b"x" * 300 + b" auth_token=K=+dR_uoKhWd_%1z",
             b"SECRET_KEY=xb1wk25C20Ev1WlYCSOyEXQpzzPH\r"]  # keystow:allow (a made-up value)
    data = b"\n".join(line for _ in range(3) for line in lines) + b"\n"
    def found(matcher):
        return sorted((m.rule.id, m.start, m.end, m.secret_start) for m in matcher.matches(data))
    assert found(HyperscanMatcher(rules)) == found(ReMatcher(rules))

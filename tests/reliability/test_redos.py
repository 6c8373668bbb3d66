"""ReDoS: user rules are checked when loaded, the Python `re` confirmation sees only bounded
windows, and every built-in rule scans pathological input in linear time (1 MiB vs 4 MiB)."""

from __future__ import annotations

import collections
import time

import pytest
import yaml

from keystow.detect import matcher as matcher_module
from keystow.detect.matcher import RIGHT_CONTEXT, HyperscanMatcher, hyperscan_available
from keystow.detect.ruleset import load_rules
from tests.reliability.kit import keystow, leak_line

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed on this platform")

MIB = 1 << 20
RATIO = 8  # 4x the input; linear is ~4, quadratic would be ~16


def user_rule(tmp_path, regex: str, rule_id: str = "my-rule"):
    rule = {"id": rule_id, "name": "mine", "regex": regex, "severity": "high",
            "examples": ["tok_aaab"], "negative_examples": ["nothing"]}
    (tmp_path / "mine.yaml").write_text(yaml.safe_dump({"rules": [rule]}))
    (tmp_path / ".keystow.toml").write_text('extra_rules = ["mine.yaml"]\n')
    (tmp_path / "a.py").write_text(leak_line(1))


@pytest.mark.parametrize("regex, said", [
    (r"tok_(a)\1b", "Hyperscan rejects the regex"),            # backreference: re yes, Hyperscan no
    (r"tok_(?<=_)ab", "Hyperscan rejects the regex"),           # lookbehind
    (r"tok_(a+)+b", "can backtrack exponentially"),             # nested repeat: ReDoS in `re`
    (r"tok_(?:\w+\s?)*x", "can backtrack exponentially"),
    (r"tok_(?:aa|a)*b", "can backtrack exponentially"),         # overlapping alternatives under a repeat
    (r"tok_[a-", "does not compile"),
])
def test_user_rule_is_rejected_at_load_time_naming_it(tmp_path, regex, said):
    user_rule(tmp_path, regex, "user-bad-rule")
    # `rules list` does not compile the Hyperscan database; `rules check` does, as a scan does.
    commands = (["scan", "."], ["rules", "check"]) if "Hyperscan" in said else (["scan", "."], ["rules", "list"])
    for args in commands:
        result = keystow(*args, cwd=tmp_path)
        err = result.stderr.decode()
        assert result.returncode == 2 and "user-bad-rule" in err and said in err, (args, err)
        assert err.count("\n") == 1


def test_user_rule_hyperscan_accepts_is_used(tmp_path):
    user_rule(tmp_path, r"tok_(?:[a-z]{1,8}-){1,4}[0-9]{4}")
    (tmp_path / "b.txt").write_text("x tok_ab-cd-1234 y\n")
    result = keystow("scan", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1 and b"my-rule" in result.stdout


def test_confirmation_runs_only_on_bounded_windows(monkeypatch):
    ruleset = load_rules()
    seen = []
    real = matcher_module._confirm

    def spy(rule, data, start, stop):
        seen.append((rule.window, stop - start))
        return real(rule, data, start, stop)

    monkeypatch.setattr(matcher_module, "_confirm", spy)
    data = b"x = 1\n" * (MIB // 6) + leak_line(2).encode() + b"y = 2\n" * (MIB // 6)
    matches = list(HyperscanMatcher(ruleset).matches(data))
    assert matches and seen
    assert all(size <= window + RIGHT_CONTEXT for window, size in seen)
    assert sum(size for _, size in seen) < 64 * 1024  # of a 2 MiB blob


def _pathological(rule) -> list[tuple[bytes, bytes]]:
    """(prefix, repeated unit) pairs from the rule's own examples: the text before the secret and
    half the secret, then an endless run of the secret's most common character (or of the
    secret's alphabet), which is where a backtracking regex would spend its time."""
    example = rule.examples[0].encode()
    match = rule.compiled().search(example)
    if match is None:
        return []
    start, end = match.span(rule.secret_group())
    secret = example[start:end] or example
    common = bytes([collections.Counter(secret).most_common(1)[0][0]])
    alphabet = bytes(sorted(set(secret)))
    head = example[:start] + secret[: len(secret) // 2]
    return [(head, common), (head, alphabet), (b"", common)]


def _build(prefix: bytes, unit: bytes, size: int) -> bytes:
    return (prefix + unit * (size // len(unit) + 1))[:size]


def _cpu_time(scan, data: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for _ in scan(data):
            pass
        best = min(best, time.process_time() - start)
    return best


def _assert_linear(scan, cases, slack: float):
    slow = []
    for (prefix, unit), rule_id in cases.items():
        small, large = (_cpu_time(scan, _build(prefix, unit, size), 1) for size in (MIB, 4 * MIB))
        if large > RATIO * small + slack:  # measure again before calling it: the machine is shared
            small, large = (_cpu_time(scan, _build(prefix, unit, size), 2) for size in (MIB, 4 * MIB))
        if large > RATIO * small + slack:
            slow.append((rule_id, unit[:16], round(small, 4), round(large, 4)))
    assert not slow, f"scan time grows faster than linear: {slow}"


def test_every_builtin_rule_is_linear_on_runs_of_its_own_characters():
    ruleset = load_rules()
    scan = HyperscanMatcher(ruleset).matches  # all rules in one pass per input
    cases: dict[tuple[bytes, bytes], str] = {}
    for rule in ruleset.rules:
        for case in _pathological(rule):
            cases.setdefault(case, rule.id)
    assert len(cases) > len(ruleset.rules)
    _assert_linear(scan, cases, slack=0.03)


def test_dense_hits_are_linear():
    """Where the input is the example over and over, each hit's window is confirmed: a sample of
    rules (one per rule file, the densest cost) keeps the run short."""
    ruleset = load_rules()
    scan = HyperscanMatcher(ruleset).matches
    by_file: dict[str, object] = {}
    for rule in ruleset.rules:
        by_file.setdefault(rule.source, rule)
    sample = list(by_file.values())[:: max(1, len(by_file) // 3)][:3]
    cases = {(b"", rule.examples[0].encode() + b"\n"): rule.id for rule in sample}
    _assert_linear(scan, cases, slack=0.1)

"""User regexes (allow_regexes in the config, rules in extra rule files) that can backtrack for
minutes are rejected when loaded, with one line naming the config key or rule; the built-in
rules all pass `keystow rules check`."""

from __future__ import annotations

import re
import time

import pytest

from keystow.detect.backtracking import ADJACENT, NESTED, backtracking_risk
from tests.helpers import run_keystow

RULE = """rules:
  - id: slow-token
    name: Slow token
    severity: high
    keywords: [tok]
    regex: '{regex}'
    examples: ['tok 12345678x']
    negative_examples: ['tok none']
"""


@pytest.mark.parametrize("regex, risk", [
    (r"a.*.*b", ADJACENT),
    (r"\d+\d+x", ADJACENT),
    (r"tok(?P<secret>\w+)\w*!", ADJACENT),
    (r"(?:\s+)\s+x", ADJACENT),      # through a group
    (r"\w+\b\w+x", ADJACENT),        # an assertion does not separate them
    (r"(\w+)+x", NESTED),
])
def test_adjacent_unbounded_repeats_are_named(regex, risk):
    assert backtracking_risk(regex) == risk


@pytest.mark.parametrize("regex", [r"\d+x\d+", r"[a-z]+[0-9]+", r"\s*=\s*", r"^dev-only-", r"\w{2,8}\w{2,8}", r".*?x"])
def test_disjoint_or_bounded_neighbours_pass(regex):
    assert backtracking_risk(regex) is None


def test_the_shape_really_is_slow():
    """Why: \\d+\\d+x on digits without the x tries every split (quadratic per start: cubic)."""
    text = "1" * 600
    start = time.perf_counter()
    re.search(r"\d+\d+x", text)
    assert time.perf_counter() - start > 20 * _timed(r"\d+x", text)


def _timed(regex: str, text: str) -> float:
    start = time.perf_counter()
    re.search(regex, text)
    return max(time.perf_counter() - start, 1e-6)


@pytest.mark.parametrize("regex", ["a.*.*b", r"(\w+)+$"])
def test_allow_regexes_are_checked_at_config_load(tmp_path, regex):
    (tmp_path / ".keystow.toml").write_text(f"allow_regexes = ['{regex}']\n")
    (tmp_path / "a.txt").write_text("nothing here\n")
    result = run_keystow("scan", ".", cwd=tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == 2
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert ".keystow.toml" in stderr and "allow_regexes" in stderr and repr(regex) in stderr


def test_user_rule_with_adjacent_repeats_fails_rules_check(tmp_path):
    (tmp_path / "rules.yaml").write_text(RULE.format(regex=r"tok (?P<secret>\d+\d+x)"))
    (tmp_path / ".keystow.toml").write_text("extra_rules = ['rules.yaml']\n")
    result = run_keystow("rules", "check", "--config", str(tmp_path / ".keystow.toml"), cwd=tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == 2, (result.stdout, stderr)
    assert "slow-token" in stderr and "side by side" in stderr and len(stderr.strip().splitlines()) == 1


def test_builtin_rules_pass_rules_check(tmp_path):
    result = run_keystow("rules", "check", "--engine", "re", cwd=tmp_path)
    assert result.returncode == 0, result.stdout.decode()[-2000:]
    assert re.search(rb"^\d+ rules \(\d+ provider\), .* 0 failures$", result.stdout, re.M)

"""The built-in rule library: every example found, every negative example missed, on both
engines, through the full pipeline (the same check as `keystow rules check`)."""

from __future__ import annotations

import re

import pytest

from keystow.commands.rules import checking_scanner, disagreements, example_path, rule_failures
from keystow.config import Config
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset

# tiny: the hook's small-input path (keyword prefilter and re in keystow.detect.quick, then the re engine)
ENGINES = ["re", "tiny"] + (["hyperscan"] if hyperscan_available() else [])


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(Config())


@pytest.mark.parametrize("engine", ENGINES)
def test_every_example_and_negative_example(ruleset, engine):
    assert rule_failures(ruleset, checking_scanner(ruleset, engine)) == []


@pytest.mark.skipif(not hyperscan_available(), reason="Hyperscan is not installed")
def test_the_tiny_path_finds_exactly_what_hyperscan_finds(ruleset):
    """Every finding, on every example and negative example, not just each rule's own verdict."""
    assert disagreements(ruleset, checking_scanner(ruleset, "hyperscan"), checking_scanner(ruleset, "tiny")) == []


def test_every_rule_has_examples_and_negatives(ruleset):
    assert len(ruleset) >= 40
    for rule in ruleset.rules:
        assert rule.examples and rule.negative_examples, rule.id
        assert rule.description or rule.name, rule.id


def test_rules_are_shipped_in_the_package(ruleset):
    assert {rule.source.rsplit("/", 1)[-1] for rule in ruleset.rules} >= {"aws.yaml", "github.yaml"}


def test_rules_check_command_passes():
    from pathlib import Path

    from tests.helpers import run_keystow

    result = run_keystow("rules", "check", cwd=Path(__file__).parent)
    assert result.returncode == 0, result.stdout.decode()[-2000:]


ASSIGNMENT = re.compile(r'^(\s*[A-Za-z_][\w.-]*["\']?)\s*(=|:)\s*(\S.*)$')
# Rules that reach from the provider's name to the value across any 16 characters of the line
# (gap-providers.yaml `line_gap`): a wider gap makes the shape risky for `re`'s backtracking
# (tests/detect/test_backtracking.py), so ten spaces of alignment are more than they read.
NARROW_GAP = {"composio-api-key", "courier-api-key", "clay-api-key", "chartmogul-api-key", "budibase-api-key",
              "ayrshare-api-key"}


def test_every_rule_reads_its_example_through_alignment_whitespace(ruleset):
    """`terraform fmt`, YAML and .env files align values in columns: a rule whose first example is
    a one-line `NAME = value` / `name: value` must still find it with ten spaces before the
    operator and two after (peers' example sets are full of such lines)."""
    scanner = Scanner(ruleset, FilterPolicy(inline_allow=False, one_finding_per_position=False), ENGINES[-1])
    missed = []
    for rule in ruleset.rules:
        match = ASSIGNMENT.match(rule.examples[0])
        if match is None or "\n" in rule.examples[0] or rule.id in NARROW_GAP:
            continue
        aligned = f"{match.group(1)}          {match.group(2)}  {match.group(3)}"
        if not any(f.rule_id == rule.id for f in scanner.scan(Blob(example_path(rule), aligned.encode()))):
            missed.append(rule.id)
    assert missed == []

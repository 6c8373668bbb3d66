"""The built-in rule library: every example found, every negative example missed, on both
engines, through the full pipeline (the same check as `keystow rules check`)."""

from __future__ import annotations

import pytest

from keystow.commands.rules import rule_failures
from keystow.config import Config
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset

ENGINES = ["re"] + (["hyperscan"] if hyperscan_available() else [])


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(Config())


@pytest.mark.parametrize("engine", ENGINES)
def test_every_example_and_negative_example(ruleset, engine):
    scanner = Scanner(ruleset, FilterPolicy(inline_allow=False, one_finding_per_position=False), engine)
    assert rule_failures(ruleset, scanner) == []


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

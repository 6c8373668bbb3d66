"""Shared helpers for the git source tests: fake credentials and JSON scans through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from testing.fakes import Fakes
from tests.helpers import run_keystow


def fakes(seed: int) -> Fakes:
    return Fakes(seed)


# The rules that find what these tests plant. Generic rules (a `KEY = '...'` assignment) may
# report the same values too; the git tests are about where findings come from, not about rules.
PLANTED_RULES = {"aws-access-key-id", "github-classic-pat"}


def scan_json(repo: Path, *args: str, input: bytes | None = None, env: dict | None = None) -> tuple[int, dict]:
    """Exit code and JSON report, keeping only findings of PLANTED_RULES."""
    result = run_keystow("scan", *args, "--format", "json", cwd=repo, input=input, env=env)
    assert result.returncode in (0, 1), result.stderr.decode()
    document = json.loads(result.stdout)
    document["findings"] = [f for f in document["findings"] if f["rule_id"] in PLANTED_RULES]
    return result.returncode, document

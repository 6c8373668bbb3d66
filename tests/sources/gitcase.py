"""Shared helpers for the git source tests: fake credentials and JSON scans through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from keystow.fakes import Fakes
from tests.helpers import run_keystow


def fakes(seed: int) -> Fakes:
    return Fakes(seed)


def scan_json(repo: Path, *args: str, input: bytes | None = None, env: dict | None = None) -> tuple[int, dict]:
    result = run_keystow("scan", *args, "--format", "json", cwd=repo, input=input, env=env)
    assert result.returncode in (0, 1), result.stderr.decode()
    return result.returncode, json.loads(result.stdout)

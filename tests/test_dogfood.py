"""keystow scans its own repository clean: rule examples and fixtures are allowed through its
own .keystow.toml, not by disabling rules."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_keystow

ROOT = Path(__file__).resolve().parents[1]


def test_own_repository_scans_clean():
    result = run_keystow("scan", ".", "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stdout.decode()[-3000:] + result.stderr.decode()[-1000:]


def test_own_config_disables_no_rule():
    text = (ROOT / ".keystow.toml").read_text()
    assert "disabled_rules" not in text

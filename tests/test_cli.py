"""The CLI as a user runs it: entry points, exit codes, crash reports without secrets."""

from __future__ import annotations

import subprocess
import sys

from keystow.cli.crash import redacted_report
from testing.fakes import Fakes
from tests.helpers import run_keystow


def test_python_dash_m_and_version(tmp_path):
    result = run_keystow("--version", cwd=tmp_path)
    assert result.returncode == 0 and b"keystow" in result.stdout


def test_console_script_is_installed(tmp_path):
    script = subprocess.run(
        [sys.executable, "-c", "import shutil,sys; print(shutil.which('keystow', path=sys.prefix + '/bin'))"],
        capture_output=True,
        text=True,
    )
    assert script.stdout.strip().endswith("keystow")


def test_exit_0_when_clean_and_1_with_findings(tmp_path):
    (tmp_path / "clean.py").write_text("x = 1\n")
    assert run_keystow("scan", ".", cwd=tmp_path).returncode == 0
    (tmp_path / "leak.py").write_text(f'GITHUB_TOKEN = "{Fakes().github_token()}"\n')
    assert run_keystow("scan", ".", cwd=tmp_path).returncode == 1


def test_usage_error_exits_2(tmp_path):
    assert run_keystow("scan", "--format", "pdf", cwd=tmp_path).returncode == 2
    assert run_keystow("scan", "--staged", "--history", cwd=tmp_path).returncode == 2


def test_secrets_are_redacted_unless_asked(tmp_path):
    token = Fakes().github_token()
    (tmp_path / "leak.py").write_text(f'token = "{token}"\n')
    for fmt in ("text", "json", "sarif"):
        hidden = run_keystow("scan", ".", "--format", fmt, cwd=tmp_path)
        assert token.encode() not in hidden.stdout + hidden.stderr, fmt
    shown = run_keystow("scan", ".", "--show-secrets", cwd=tmp_path)
    assert token.encode() in shown.stdout


def test_crash_report_has_stack_but_no_message():
    secret = Fakes().github_token()
    try:
        raise ValueError(f"boom {secret}")
    except ValueError as exc:
        report = redacted_report(exc)
    assert "ValueError" in report and "test_cli.py" in report
    assert secret not in report and "boom" not in report

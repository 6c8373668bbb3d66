"""Options people reach for: --format jsonl, --exit-code, environment variables, FORCE_COLOR."""

from __future__ import annotations

import json
import os

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow


@pytest.fixture
def leaky(repo):
    fakes = Fakes(12)
    (repo / "a.py").write_text(f'T = "{fakes.github_token()}"\nK = "{fakes.aws_access_key_id()}"\n')
    return repo


def test_jsonl_is_one_finding_per_line(leaky):
    result = run_keystow("scan", ".", "--format", "jsonl", cwd=leaky)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 2
    findings = [json.loads(line) for line in lines]
    assert {f["rule_id"] for f in findings} >= {"aws-access-key-id"}
    assert all(f["redacted"] and f["locations"][0]["path"] == "a.py" for f in findings)


def test_jsonl_of_a_clean_scan_is_empty(repo):
    (repo / "ok.py").write_text("x = 1\n")
    result = run_keystow("scan", ".", "--format", "jsonl", cwd=repo)
    assert result.returncode == 0 and result.stdout == b""


def test_exit_code_for_findings(leaky):
    assert run_keystow("scan", ".", "--exit-code", "42", cwd=leaky).returncode == 42
    assert run_keystow("scan", ".", "--exit-code", "42", "--fail-on", "critical", "-q",
                       cwd=leaky).returncode in (0, 42)
    refused = run_keystow("scan", ".", "--exit-code", "3", cwd=leaky)
    assert refused.returncode == 2 and b"--exit-code 3" in refused.stderr


def test_exit_code_leaves_a_clean_run_at_zero(repo):
    (repo / "ok.py").write_text("x = 1\n")
    assert run_keystow("scan", ".", "--exit-code", "42", cwd=repo).returncode == 0


def test_environment_variables_set_format_fail_on_and_config(leaky, tmp_path):
    as_json = run_keystow("scan", ".", cwd=leaky, env={"KEYSTOW_FORMAT": "json"})
    assert json.loads(as_json.stdout)["summary"]["findings"] == 2
    passing = run_keystow("scan", ".", cwd=leaky, env={"KEYSTOW_FAIL_ON": "critical"})
    failing_rules = {f["rule_id"] for f in json.loads(as_json.stdout)["findings"] if f["severity"] == "critical"}
    assert passing.returncode == (1 if failing_rules else 0)
    config = tmp_path / "elsewhere.toml"
    config.write_text('disabled_rules = ["aws-access-key-id"]\n')
    configured = run_keystow("scan", ".", "--format", "json", cwd=leaky, env={"KEYSTOW_CONFIG": str(config)})
    assert "aws-access-key-id" not in {f["rule_id"] for f in json.loads(configured.stdout)["findings"]}
    flag_wins = run_keystow("scan", ".", "--format", "text", cwd=leaky, env={"KEYSTOW_FORMAT": "json"})
    assert flag_wins.stdout.startswith(b"a.py")


def test_help_documents_config_and_environment():
    result = run_keystow("scan", "--help", cwd=None)
    text = result.stdout.decode()
    assert "KEYSTOW_CONFIG" in text and "KEYSTOW_FORMAT" in text and "KEYSTOW_FAIL_ON" in text
    assert "usable cores - 1" in text


def test_force_color_colours_a_piped_report_unless_no_color(leaky):
    coloured = run_keystow("scan", ".", cwd=leaky, env={"FORCE_COLOR": "1"})
    assert b"\033[" in coloured.stdout
    assert b"\033[" not in run_keystow("scan", ".", cwd=leaky).stdout
    assert b"\033[" not in run_keystow("scan", ".", cwd=leaky, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_unknown_rule_id_in_disabled_rules_is_a_notice(leaky):
    (leaky / ".keystow.toml").write_text('disabled_rules = ["aws-acess-key-id", "aws-access-key-id"]\n')
    result = run_keystow("scan", "a.py", cwd=leaky)
    assert b"no rule has the id 'aws-acess-key-id'" in result.stderr
    assert b"'aws-access-key-id'" not in result.stderr


def test_log_opts_narrow_a_history_scan(repo):
    fakes = Fakes(13)
    commit_file(repo, "old.py", f'T = "{fakes.github_token()}"\n')
    env = {"GIT_AUTHOR_DATE": "2025-06-01T00:00:00+00:00", "GIT_COMMITTER_DATE": "2025-06-01T00:00:00+00:00"}
    os.environ.update(env)
    try:
        commit_file(repo, "new.py", f'T = "{fakes.github_token()}"\n')
    finally:
        os.environ.update(
            {"GIT_AUTHOR_DATE": "2024-01-02T03:04:05+00:00", "GIT_COMMITTER_DATE": "2024-01-02T03:04:05+00:00"}
        )
    everything = run_keystow("scan", "--history", "--format", "json", cwd=repo)
    recent = run_keystow("scan", "--history", "--format", "json", "--log-opts", "--since=2025-01-01", cwd=repo)
    paths = lambda r: sorted(f["path"] for f in json.loads(r.stdout)["findings"])  # noqa: E731
    assert paths(everything) == ["new.py", "old.py"]
    assert paths(recent) == ["new.py"]


@pytest.mark.parametrize("option", ["--format=%H", "--ext-diff", "--output=/tmp/x", "-p"])
def test_log_opts_outside_the_allow_list_are_refused(repo, option):
    commit_file(repo, "a.py", "x = 1\n")
    result = run_keystow("scan", "--history", "--log-opts", option, cwd=repo)
    assert result.returncode == 2 and b"is not allowed" in result.stderr


def test_redact_n_keeps_n_characters_in_path_and_history_scans(repo):
    token = Fakes(14).github_token()
    commit_file(repo, "a.py", f'T = "{token}"\n')
    for args in (["."], ["--history"]):
        run_keystow("scan", *args, cwd=repo)  # fills the history cache with the default form
        shown = json.loads(run_keystow("scan", *args, "--redact", "8", "--format", "json", cwd=repo).stdout)
        secret = shown["findings"][0]["secret"]
        assert secret.startswith(token[:8] + "…#") and token not in secret, args
        default = json.loads(run_keystow("scan", *args, "--format", "json", cwd=repo).stdout)
        assert default["findings"][0]["secret"].startswith(token[:4] + "…#")

"""keystow's native hook renamed to `<hook>.legacy` (by `pre-commit install`) must not run
itself forever: `${0%/*}/pre-commit.legacy` is then the running script."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow

BIN = Path(sys.executable).parent


def _framework_env(tmp_path: Path) -> dict:
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_COLOR": "never"}


def _commit(repo: Path, env: dict, name: str, text: str) -> subprocess.CompletedProcess:
    (repo / name).write_text(text)
    git(repo, "add", name)
    # a fork bomb never returns: the timeout turns it into a failure, and killing the whole
    # process group leaves no recursion running behind the test
    process = subprocess.Popen(["git", "commit", "-m", f"add {name}"], cwd=repo, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("hook_types", [("pre-commit",), ("pre-commit", "pre-push")])
def test_keystow_hook_moved_to_legacy_by_pre_commit_install_runs_once(repo, tmp_path, hook_types):
    commit_file(repo, "README", "hello\n")
    assert run_keystow("hook", "install", "--pre-push", cwd=repo).returncode == 0
    env = _framework_env(tmp_path)
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n")
    git(repo, "add", ".pre-commit-config.yaml")
    installed = subprocess.run([str(BIN / "pre-commit"), "install",
                                *(arg for hook in hook_types for arg in ("--hook-type", hook))],
                               cwd=repo, env=env, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    assert (repo / ".git" / "hooks" / "pre-commit.legacy").is_file()  # keystow's script, renamed
    blocked = _commit(repo, env, "app.py", f'TOKEN = "{Fakes(11).github_token()}"\n')
    assert blocked.returncode != 0
    assert (blocked.stdout + blocked.stderr).count("github-classic-pat") >= 1
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"
    git(repo, "rm", "-q", "--cached", "app.py")
    assert _commit(repo, env, "ok.py", "x = 1\n").returncode == 0


def test_chain_guard_stops_a_legacy_hook_that_calls_back(repo):
    """A legacy hook that is a copy of keystow's own script is not chained to."""
    commit_file(repo, "README", "hello\n")
    assert run_keystow("hook", "install", cwd=repo).returncode == 0
    hooks = repo / ".git" / "hooks"
    (hooks / "pre-commit.legacy").write_bytes((hooks / "pre-commit").read_bytes())
    (hooks / "pre-commit.legacy").chmod(0o755)
    assert _commit(repo, dict(os.environ), "ok.py", "x = 1\n").returncode == 0

"""Every blocking report names the command that unblocks that exact situation, and following it
literally makes the next run pass: staged (pre-commit), pre-push of a committed blob, a CI
range, history."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


def _follow(repo: Path, output: str, command: str) -> None:
    """Run `command` exactly as the hint prints it (in backquotes)."""
    assert f"`{command}`" in output, output
    args = shlex.split(command)
    if args[0] == "keystow":
        result = run_keystow(*args[1:], cwd=repo)
    else:
        result = subprocess.run(args, cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _install(repo: Path, *args: str) -> None:
    assert run_keystow("hook", "install", *args, cwd=repo).returncode == 0


def test_staged_hint_baseline_update_then_the_commit_passes(repo):
    commit_file(repo, "README", "hello\n")
    _install(repo)
    (repo / "app.py").write_text(f'TOKEN = "{Fakes(21).github_token()}"\n')
    git(repo, "add", "app.py")
    blocked = _git(repo, "commit", "-m", "add app")
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    _follow(repo, output, "keystow baseline update")
    _follow(repo, output, "git add .keystow-baseline.json")
    assert _git(repo, "commit", "-m", "add app").returncode == 0


def test_staged_hint_inline_allow_then_the_commit_passes(repo):
    commit_file(repo, "README", "hello\n")
    _install(repo)
    (repo / "app.py").write_text(f'TOKEN = "{Fakes(22).github_token()}"\n')
    git(repo, "add", "app.py")
    blocked = _git(repo, "commit", "-m", "add app")
    assert "add `keystow:allow` in a comment on its line and `git add` the file" in blocked.stdout + blocked.stderr
    (repo / "app.py").write_text((repo / "app.py").read_text().rstrip("\n") + "  # keystow:allow\n")
    git(repo, "add", "app.py")
    assert _git(repo, "commit", "-m", "add app").returncode == 0


def _blocked_push(repo: Path, seed: int) -> str:
    _install(repo, "--pre-push")
    commit_file(repo, "ok.py", "x = 1\n")
    assert _git(repo, "push", "-q", "-u", "origin", "main").returncode == 0  # an upstream: plain `git push`
    (repo / "leak.py").write_text(f'T = "{Fakes(seed).github_token()}"\n')
    git(repo, "add", "leak.py")
    assert _git(repo, "commit", "-q", "--no-verify", "-m", "leak").returncode == 0
    blocked = _git(repo, "push", "-q", "origin", "main")
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    assert "`keystow baseline update`" not in output and "add `keystow:allow`" not in output
    return output


def test_pre_push_hint_baseline_update_history_then_the_push_passes(repo, remote):
    output = _blocked_push(repo, 23)
    _follow(repo, output, "keystow baseline update --history")
    git(repo, "add", ".keystow-baseline.json")
    git(repo, "commit", "-q", "--no-verify", "-m", "accept a false positive")
    # the hook trusts only the remote's baseline: the new entry alone does not unblock it
    assert _git(repo, "push", "-q", "origin", "main").returncode != 0
    _follow(repo, output, "git push --no-verify")
    assert git(remote, "rev-parse", "main").strip() == git(repo, "rev-parse", "HEAD").strip()


def test_pre_push_hint_amend_then_the_push_passes(repo, remote):
    output = _blocked_push(repo, 24)
    (repo / "leak.py").write_text('T = os.environ["T"]\n')
    git(repo, "add", "leak.py")
    _follow(repo, output, "git commit --amend")  # no editor in tests: GIT_EDITOR below
    push = _git(repo, "push", "-q", "origin", "main")
    assert push.returncode == 0, push.stdout + push.stderr


def test_ci_range_hint_then_the_range_passes(repo):
    commit_file(repo, "ok.py", "x = 1\n")
    base = git(repo, "rev-parse", "HEAD").strip()
    commit_file(repo, "leak.py", f'T = "{Fakes(25).github_token()}"\n')
    blocked = run_keystow("scan", "--range", f"{base}..HEAD", ".", cwd=repo)
    assert blocked.returncode == 1
    output = blocked.stdout.decode()
    _follow(repo, output, "keystow baseline update --history")
    commit_file(repo, ".keystow-baseline.json", (repo / ".keystow-baseline.json").read_text(), "baseline")
    # the gate applies BASE's baseline and reports the change for a reviewer ...
    gated = run_keystow("scan", "--range", f"{base}..HEAD", ".", cwd=repo)
    assert gated.returncode == 1 and b"keystow-config-changed" in gated.stdout
    # ... and a trusted pipeline, as the hint says, accepts it at once
    assert "`--trust-head-config`" in output
    trusted = run_keystow("scan", "--range", f"{base}..HEAD", "--trust-head-config", ".", cwd=repo)
    assert trusted.returncode == 0, trusted.stdout


def test_history_hint_then_the_history_scan_passes(repo):
    commit_file(repo, "leak.py", f'T = "{Fakes(26).github_token()}"\n')
    commit_file(repo, "leak.py", "cleaned = True\n")
    blocked = run_keystow("scan", "--history", ".", cwd=repo)
    assert blocked.returncode == 1
    output = blocked.stdout.decode()
    assert "`keystow purge --history`" in output
    _follow(repo, output, "keystow baseline update --history")
    assert run_keystow("scan", "--history", ".", cwd=repo).returncode == 0


@pytest.fixture(autouse=True)
def _no_editor(monkeypatch):
    monkeypatch.setenv("GIT_EDITOR", "true")

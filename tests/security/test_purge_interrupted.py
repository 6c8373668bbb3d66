"""A purge killed while git-filter-repo runs must not lose the remote configuration.

filter-repo moves refs/remotes/origin/* away and runs `git remote rm origin` (dropping
`remote.origin.*` and every `branch.*` upstream) before it rewrites; the bundle backup holds
refs, not config. keystow saves both first and puts them back when the run fails or is
interrupted, and on the next run after a kill.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow

# Runs keystow with filter-repo replaced by a wrapper: the real filter-repo (which drops the
# remote), then a long sleep, so the test can kill the purge while it "still runs".
HARNESS = """
import subprocess, sys, time
from pathlib import Path
import keystow.git.filter_repo as filter_repo
real = filter_repo.filter_repo_command()
started = Path(sys.argv[1])
def wrapper():
    code = ("import subprocess, sys, time, pathlib; "
            f"r = subprocess.run({real!r} + sys.argv[1:]); "
            f"pathlib.Path({str(started)!r}).write_text(str(r.returncode)); time.sleep(120)")
    return [sys.executable, "-c", code]
filter_repo.filter_repo_command = wrapper
from keystow.cli.main import main
sys.argv = ["keystow", *sys.argv[2:]]
sys.exit(main())
"""


def _with_remote(repo: Path, tmp_path: Path) -> dict:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    commit_file(repo, "deploy.sh", f"export GITHUB_TOKEN={Fakes(71).github_token()}\n", "deploy")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    git(repo, "config", "remote.origin.pushurl", str(remote))
    return {"config": _config(repo), "tracking": _tracking(repo)}


def _config(repo: Path) -> list[str]:
    out = subprocess.run(["git", "config", "--local", "--get-regexp", r"^(remote|branch)\."], cwd=repo,
                         capture_output=True, text=True).stdout
    return sorted(out.splitlines())


def _tracking(repo: Path) -> list[str]:
    return sorted(git(repo, "for-each-ref", "--format=%(refname) %(objectname)", "refs/remotes").splitlines())


def _start_purge(repo: Path, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    started = tmp_path / "filter-repo-finished"
    process = subprocess.Popen(
        [sys.executable, "-c", HARNESS, str(started), "purge", "--history", "--yes", "--include-head"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not started.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert started.read_text() == "0"
    return process, started


def test_config_comes_back_on_the_next_run_after_a_kill(repo, tmp_path):
    before = _with_remote(repo, tmp_path)
    assert before["config"] and before["tracking"]
    process, _ = _start_purge(repo, tmp_path)
    os.killpg(process.pid, signal.SIGKILL)  # keystow and the wrapper: nothing can clean up
    process.communicate()
    assert _config(repo) != before["config"]  # what a kill used to leave behind
    rerun = run_keystow("purge", "--history", "--dry-run", cwd=repo)
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert "interrupted purge" in rerun.stderr.decode()
    assert _config(repo) == before["config"]
    assert _tracking(repo) == before["tracking"]
    again = run_keystow("purge", "--history", "--dry-run", cwd=repo)
    assert "interrupted purge" not in again.stderr.decode()  # restored once, then forgotten


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_config_comes_back_when_the_purge_is_interrupted(repo, tmp_path, sig):
    before = _with_remote(repo, tmp_path)
    process, _ = _start_purge(repo, tmp_path)
    process.send_signal(sig)  # keystow only; it must stop its filter-repo itself
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        os.killpg(process.pid, signal.SIGKILL) if process.poll() is None else None
    assert process.returncode != 0
    assert b"Traceback" not in stderr
    assert _config(repo) == before["config"]
    assert _tracking(repo) == before["tracking"]
    assert not (repo / ".git" / "keystow" / "purge-state.json").exists()


def test_successful_purge_keeps_remote_config_and_leaves_no_state(repo, tmp_path):
    before = _with_remote(repo, tmp_path)
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    assert _config(repo) == before["config"]
    assert not (repo / ".git" / "keystow" / "purge-state.json").exists()

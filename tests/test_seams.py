"""Test seams live in testing/, not in the product: no hidden options, no environment switches
that kill the process, and the wrappers that replace them refuse what they do not know."""

from __future__ import annotations

import subprocess
from pathlib import Path

import keystow
from tests.helpers import run_keystow, wrapper_command, wrapper_env

SOURCE = Path(keystow.__file__).parent


def test_product_code_has_no_test_switches():
    offenders = [f"{path.relative_to(SOURCE)}: {needle}" for path in SOURCE.rglob("*.py")
                 for needle in ("KEYSTOW_TEST", "os._exit", "task-delay", "task_delay")
                 if needle in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_scan_repos_has_no_task_delay_option(tmp_path):
    (tmp_path / "list.txt").write_text("# nothing\n")
    result = run_keystow("scan-repos", "list.txt", "--task-delay", "1", cwd=tmp_path)
    assert result.returncode == 2 and b"No such option '--task-delay'" in result.stderr


def test_crashpoint_refuses_an_unknown_point(tmp_path):
    """A typo must not run keystow uncrashed and let a crash test pass for the wrong reason."""
    result = subprocess.run(wrapper_command("crashpoint", "store-writ", "--", "--version"), cwd=tmp_path,
                            capture_output=True, env=wrapper_env())
    assert result.returncode == 2 and b"usage: python -m testing.crashpoint" in result.stderr


def test_slow_tasks_delays_each_repository_and_keeps_the_report(tmp_path):
    import json
    import time

    from tests.helpers import commit_file, git

    repo = tmp_path / "one"
    repo.mkdir()
    git(repo, "init", "-q")
    commit_file(repo, "a.txt", "nothing to see\n")
    (tmp_path / "list.txt").write_text(f"{repo}\n")
    args = ("scan-repos", "list.txt", "--format", "json", "--jobs", "1", "--no-cache")
    started = time.monotonic()
    slow = subprocess.run(wrapper_command("slow_tasks", "1.5", "--", *args), cwd=tmp_path, capture_output=True,
                          env=wrapper_env())
    assert time.monotonic() - started >= 1.5
    plain = run_keystow(*args, cwd=tmp_path)
    assert slow.returncode == plain.returncode == 0, slow.stderr
    assert json.loads(slow.stdout) == json.loads(plain.stdout)

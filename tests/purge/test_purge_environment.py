"""The repository's own state must not steer a purge: a stale filter-repo marker must not make
it ask on stdin, and commands the repository configures (hooks, fsmonitor) must not run."""

from __future__ import annotations

import os

from tests.helpers import git, run_keystow


def test_stale_filter_repo_marker_does_not_make_purge_ask(history_repo):
    # filter-repo asks on stdin about a previous run older than a day; purge must not hang there
    marker = history_repo / ".git" / "filter-repo" / "already_ran"
    marker.parent.mkdir()
    marker.write_text("")
    os.utime(marker, (1_000_000_000, 1_000_000_000))
    result = run_keystow("purge", "--history", "--yes", cwd=history_repo)
    assert result.returncode == 0, result.stderr


def test_commands_the_repository_configures_do_not_run(history_repo, tmp_path):
    ran = tmp_path / "ran"
    script = tmp_path / "planted.sh"
    script.write_text(f"#!/bin/sh\ntouch {ran}\n")
    script.chmod(0o755)
    git(history_repo, "config", "core.fsmonitor", str(script))
    hooks = history_repo / ".git" / "hooks"
    for hook in ("post-checkout", "post-rewrite", "reference-transaction", "pre-auto-gc"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {ran}\n")
        (hooks / hook).chmod(0o755)
    result = run_keystow("purge", "--history", "--yes", cwd=history_repo)
    assert result.returncode == 0, result.stderr
    assert not ran.exists()

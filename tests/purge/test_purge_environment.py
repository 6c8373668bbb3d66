"""The repository's own state must not steer a purge: a stale filter-repo marker must not make
it ask on stdin, and commands the repository configures (hooks, fsmonitor) must not run."""

from __future__ import annotations

import os

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow
from tests.purge.builder import use_fixture_rules


def test_stale_filter_repo_marker_does_not_make_purge_ask(history_repo):
    # filter-repo asks on stdin about a previous run older than a day; purge must not hang there
    marker = history_repo / ".git" / "filter-repo" / "already_ran"
    marker.parent.mkdir()
    marker.write_text("")
    os.utime(marker, (1_000_000_000, 1_000_000_000))
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=history_repo)
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
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=history_repo)
    assert result.returncode == 0, result.stderr
    assert not ran.exists()


def test_purge_in_a_clone_keeps_every_branch_and_the_remote(history_repo, tmp_path):
    upstream = tmp_path / "upstream.git"
    git(tmp_path, "clone", "-q", "--bare", str(history_repo), str(upstream))
    git(tmp_path, "clone", "-q", str(upstream), "clone")
    clone = tmp_path / "clone"
    use_fixture_rules(clone)
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=clone)
    assert result.returncode == 0, result.stderr
    # filter-repo turns origin's remote-tracking branches into local ones before dropping origin
    assert set(git(clone, "branch", "--format=%(refname:short)").split()) == {"main", "feature", "release"}
    assert git(clone, "remote", "get-url", "origin").strip() == str(upstream)
    for branch in ("main", "feature", "release"):
        assert f"git push --force origin {branch}\n".encode() in result.stdout


def test_a_secret_in_git_notes_is_purged_and_the_notes_ref_listed_for_force_push(repo):
    token = Fakes(61).github_token()
    commit_file(repo, "app.py", "x = 1\n", "one")
    git(repo, "notes", "add", "-m", f"deploy token: {token}", "HEAD")
    git(repo, "remote", "add", "origin", "https://git.example.invalid/app.git")
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert token not in git(repo, "notes", "show", "HEAD")  # filter-repo rewrote the note
    assert b"git push --force origin refs/notes/commits\n" in result.stdout

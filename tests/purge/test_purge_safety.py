"""Refusals and the dry run: none of them may change a ref, write a backup or a report."""

from __future__ import annotations

import re

from tests.helpers import git, run_keystow
from tests.purge.gitstate import ref_state


def assert_untouched(repo, refs_before):
    assert ref_state(repo) == refs_before
    assert not (repo / ".git" / "keystow" / "backups").exists()
    assert not (repo / "keystow-purge-report.md").exists()


def test_dirty_work_tree_is_refused(history_repo):
    refs = ref_state(history_repo)
    (history_repo / "README.md").write_text("edited, not committed\n")
    result = run_keystow("purge", "--history", "--yes", cwd=history_repo)
    assert result.returncode == 2
    assert result.stderr.decode().count("\n") == 1 and "uncommitted changes" in result.stderr.decode()
    assert_untouched(history_repo, refs)


def test_staged_change_is_refused(history_repo):
    (history_repo / "new.txt").write_text("staged\n")
    git(history_repo, "add", "new.txt")
    assert run_keystow("purge", "--history", "--yes", cwd=history_repo).returncode == 2


def test_untracked_files_do_not_block(history_repo):
    (history_repo / "notes.txt").write_text("untracked\n")
    result = run_keystow("purge", "--history", "--dry-run", cwd=history_repo)
    assert result.returncode == 0


def test_non_interactive_without_yes_is_refused(history_repo):
    refs = ref_state(history_repo)
    result = run_keystow("purge", "--history", cwd=history_repo, input=b"y\n")  # stdin is a pipe
    assert result.returncode == 2 and b"--yes" in result.stderr
    assert_untouched(history_repo, refs)


def test_a_selection_is_required(history_repo):
    result = run_keystow("purge", "--yes", cwd=history_repo)
    assert result.returncode == 2 and b"--history" in result.stderr
    both = run_keystow("purge", "--history", "--from-report", "README.md", "--yes", cwd=history_repo)
    assert both.returncode == 2


def test_outside_a_repository_is_refused(tmp_path):
    result = run_keystow("purge", "--history", "--yes", cwd=tmp_path)
    assert result.returncode == 2 and b"not a git work tree" in result.stderr


def test_bad_replacement_is_refused(history_repo):
    result = run_keystow("purge", "--history", "--yes", "--replacement", "a==>b", cwd=history_repo)
    assert result.returncode == 2 and b"==>" in result.stderr


def test_dry_run_lists_commits_files_and_occurrences_and_changes_nothing(history_repo, secrets):
    refs = ref_state(history_repo)
    settings_commit = git(history_repo, "rev-list", "-1", "v0.1").strip()
    result = run_keystow("purge", "--history", "--dry-run", cwd=history_repo)
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    # counts of secrets depend on the built-in rules too; files and commits on the history alone
    assert re.search(
        r"dry run: \d+ secret\(s\), \d+ occurrence\(s\) in 5 file\(s\); 8 commit\(s\) would get new ids", out
    )
    assert f"{settings_commit[:12]}  settings.py" in out
    for path in ("config/settings.py", "keys/deploy.pem", "ci.sh", "release.cfg"):
        assert path in out
    assert all(secret not in out for secret in secrets.single_line())
    assert_untouched(history_repo, refs)


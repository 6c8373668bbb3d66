"""Purge never changes a branch tip's current tree unless asked (--include-head), and a migrated
value becomes a marker that cannot pass for a working value, never the bare reference."""

from __future__ import annotations

from keystow.migrate.journal import Journal
from keystow.migrate.sites import value_id
from tests.helpers import commit_file, git, run_keystow
from tests.purge.builder import use_fixture_rules
from tests.purge.conftest import new_repository
from tests.purge.gitstate import grep_all_commits, ref_state

REFUSAL = b"migrate it first (`keystow migrate`), or pass `--include-head` to replace it there too"


def secret_at_head(tmp_path, secrets):
    """An old commit and HEAD both hold the password (nothing migrated yet)."""
    repo = new_repository(tmp_path / "app")
    use_fixture_rules(repo)
    commit_file(repo, "README.md", "# app\n", "readme")
    commit_file(repo, "old.py", f'db_password = "{secrets.password}"\n', "old")
    git(repo, "rm", "-q", "old.py")
    git(repo, "commit", "-q", "-m", "drop old")
    commit_file(repo, "settings.py", f'db_password = "{secrets.password}"\n', "settings")
    return repo


def test_secret_still_at_head_is_refused_and_nothing_changes(tmp_path, secrets):
    repo = secret_at_head(tmp_path, secrets)
    before = ref_state(repo)
    result = run_keystow("purge", "--history", "--yes", cwd=repo)
    assert result.returncode == 2, result.stderr
    assert REFUSAL in result.stderr and b"main:settings.py" in result.stderr
    assert len(result.stderr.decode().strip().splitlines()) == 1  # one clear line
    assert secrets.password.encode() not in result.stderr + result.stdout
    assert ref_state(repo) == before
    assert secrets.password in (repo / "settings.py").read_text()
    assert not (repo / ".git" / "keystow" / "backups").exists()  # refused before any backup


def test_include_head_purges_and_the_report_lists_heads_changed_files(tmp_path, secrets):
    repo = secret_at_head(tmp_path, secrets)
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert grep_all_commits(repo, secrets.password) == ""
    assert secrets.password not in (repo / "settings.py").read_text()  # work tree follows HEAD
    report = (repo / "keystow-purge-report.md").read_text()
    assert "## Branch tips changed (--include-head)" in report and "- main: settings.py" in report
    assert "old.py" not in report.split("## Branch tips changed")[1].split("##")[0]


def test_dry_run_lists_current_files_that_would_change_redacted(tmp_path, secrets):
    repo = secret_at_head(tmp_path, secrets)
    result = run_keystow("purge", "--history", "--dry-run", cwd=repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "current files that would change" in out
    line = next(line for line in out.splitlines() if "main:settings.py" in line)
    assert "-> ***REMOVED-BY-KEYSTOW:" in line
    assert secrets.password not in out
    assert "without --include-head the purge refuses" in out


def test_history_only_secret_leaves_every_tip_untouched(tmp_path, secrets):
    repo = secret_at_head(tmp_path, secrets)
    commit_file(repo, "settings.py", 'db_password = "${DB_PASSWORD}"\n', "use the environment")
    tips_before = {ref: git(repo, "rev-parse", f"{ref}^{{tree}}") for ref in ("main",)}
    result = run_keystow("purge", "--history", "--yes", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert {ref: git(repo, "rev-parse", f"{ref}^{{tree}}") for ref in tips_before} == tips_before
    assert "No branch tip's tree changed" in (repo / "keystow-purge-report.md").read_text()
    assert grep_all_commits(repo, secrets.password) == ""


def test_a_migrated_value_becomes_a_marker_never_the_bare_reference(tmp_path, secrets):
    repo = secret_at_head(tmp_path, secrets)
    commit_file(repo, "settings.py", 'db_password = "${DB_PASSWORD}"\n', "migrated")
    journal_dir = repo / ".keystow"
    journal_dir.mkdir()
    (journal_dir / ".gitignore").write_text("*\n")
    journal = {"version": 1, "state": "complete",
               "targets": {value_id(secrets.password): {"store": "ssm", "name": "/app/db_password", "key": None}},
               "items": {"i1": {"name": "/app/db_password", "store": "ssm", "status": "created"}}}
    Journal(journal_dir / "journal-20240102T030405Z.json", journal, repo).save()  # authenticated, as migrate writes it

    result = run_keystow("purge", "--history", "--yes", cwd=repo)
    assert result.returncode == 0, result.stderr
    old = git(repo, "show", "HEAD~1:settings.py")
    assert old == 'db_password = "***REMOVED-BY-KEYSTOW:moved-to-ssm:/app/db_password***"\n'

"""`refs/replace/*` (and grafts) must not hide history from keystow.

A repository can publish a replace ref that swaps a secret blob for a clean one; git applies it
to every read unless told not to, so the scan saw only the clean stand-in. keystow reads the
objects as they are stored, and says so when a repository carries replacements.
"""

from __future__ import annotations

import json
from pathlib import Path

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow


def _replaced_secret(repo: Path) -> str:
    """A committed secret whose blob is replaced by a clean blob through refs/replace/*."""
    token = Fakes(seed=501).github_token()
    commit_file(repo, "deploy.sh", f"export GITHUB_TOKEN={token}\n", "deploy script")
    secret_blob = git(repo, "rev-parse", "HEAD:deploy.sh").strip()
    clean_blob = git(repo, "hash-object", "-w", "--stdin", input=b"export GITHUB_TOKEN=$CI_TOKEN\n").strip()
    git(repo, "replace", secret_blob, clean_blob)
    assert git(repo, "show", "HEAD:deploy.sh").strip() == "export GITHUB_TOKEN=$CI_TOKEN"  # git is fooled
    return token


def _history_json(repo: Path, *extra: str) -> tuple[int, dict, str]:
    result = run_keystow("scan", "--history", "--no-cache", "--format", "json", *extra, cwd=repo)
    return result.returncode, json.loads(result.stdout), result.stderr.decode()


def test_history_scan_reads_the_replaced_blob(repo):
    _replaced_secret(repo)
    code, report, stderr = _history_json(repo)
    assert code == 1
    assert any(f["locations"][0]["path"] == "deploy.sh" for f in report["findings"])
    assert "replace" in stderr and "refs/replace" in stderr


def test_history_behind_a_graft_is_scanned_and_the_graft_reported(repo):
    commit_file(repo, "deploy.sh", f"export GITHUB_TOKEN={Fakes(502).github_token()}\n", "one")
    commit_file(repo, "deploy.sh", "export GITHUB_TOKEN=$CI_TOKEN\n", "two")
    head = git(repo, "rev-parse", "HEAD").strip()
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "grafts").write_text(head + "\n")  # HEAD now has no parents
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"  # git is fooled
    code, report, stderr = _history_json(repo)
    assert code == 1 and report["findings"]
    assert "grafts" in stderr


def test_scan_repos_mirror_clone_sees_through_replace_refs(repo, tmp_path):
    _replaced_secret(repo)
    listing = tmp_path / "repos.txt"
    listing.write_text(f"file://{repo}\n")
    result = run_keystow("scan-repos", str(listing), "--format", "json", "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 1, result.stderr.decode()
    section = json.loads(result.stdout)["repositories"][0]
    assert section["findings"] and section["findings"][0]["locations"][0]["path"] == "deploy.sh"
    assert any("refs/replace" in notice for notice in section["notices"])


def test_purge_dry_run_sees_through_replace_refs(repo):
    _replaced_secret(repo)
    result = run_keystow("purge", "--history", "--dry-run", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    assert "nothing to purge" not in result.stdout.decode()
    assert "deploy.sh" in result.stdout.decode()


def test_purge_rewrites_the_stored_blob_not_its_replacement(repo):
    token = _replaced_secret(repo)
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=repo)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    stored = git(repo, "--no-replace-objects", "log", "--all", "-p", "--format=%B")
    assert token not in stored

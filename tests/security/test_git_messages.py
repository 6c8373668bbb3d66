"""Commit and annotated-tag messages are scanned by `--history` and `--range` (purge already
rewrites them with --replace-message, so a scan that skipped them hid what purge would change)."""

from __future__ import annotations

import json
from pathlib import Path

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow


def _findings(repo: Path, *args: str) -> tuple[int, list[dict]]:
    result = run_keystow("scan", *args, "--format", "json", cwd=repo)
    assert result.returncode in (0, 1), result.stderr.decode()
    return result.returncode, json.loads(result.stdout)["findings"]


def _paths(findings: list[dict]) -> list[tuple[str, str]]:
    return sorted((loc["path"], loc["commit"]) for f in findings for loc in f["locations"])


def test_history_scans_commit_messages_attributed_to_the_commit(repo):
    commit_file(repo, "a.txt", "one\n", "start")
    commit_file(repo, "a.txt", "two\n", f"rotate: old token was {Fakes(61).github_token()}")
    leaky = git(repo, "rev-parse", "HEAD").strip()
    code, findings = _findings(repo, "--history", "--no-cache")
    assert code == 1
    assert _paths(findings) == [("<commit message>", leaky)]
    assert findings[0]["locations"][0]["line"] == 1


def test_history_scans_annotated_tag_messages_attributed_to_the_tag(repo):
    commit_file(repo, "a.txt", "one\n", "start")
    git(repo, "tag", "-a", "v1", "-m", f"release\n\ndeploy with {Fakes(62).github_token()}\n")
    tag_object = git(repo, "rev-parse", "v1").strip()
    code, findings = _findings(repo, "--history", "--no-cache")
    assert code == 1
    assert _paths(findings) == [("<tag message v1>", tag_object)]
    assert findings[0]["locations"][0]["line"] == 3


def test_range_scans_messages_of_the_range_only(repo):
    commit_file(repo, "a.txt", "one\n", f"old: {Fakes(63).github_token()}")
    base = git(repo, "rev-parse", "HEAD").strip()
    commit_file(repo, "a.txt", "two\n", f"new: {Fakes(64).slack_bot_token()}")
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "tag", "-a", "v2", "-m", f"notes {Fakes(65).github_token()}")
    code, findings = _findings(repo, "--range", f"{base}..HEAD", "--no-cache")
    assert code == 1
    assert _paths(findings) == sorted([("<commit message>", head),
                                       ("<tag message v2>", git(repo, "rev-parse", "v2").strip())])


def test_cached_rescan_still_reports_messages(repo):
    commit_file(repo, "a.txt", "one\n", f"token {Fakes(66).github_token()}")
    first = _findings(repo, "--history")
    second = _findings(repo, "--history")
    assert first == second and first[0] == 1


def test_purge_removes_a_message_secret_and_proves_it(repo):
    token = Fakes(67).github_token()
    commit_file(repo, "a.txt", "one\n", f"token {token}")
    result = run_keystow("purge", "--history", "--yes", cwd=repo)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert token not in git(repo, "log", "--format=%B")


def test_purge_dry_run_names_the_commit_whose_message_holds_a_secret(repo):
    commit_file(repo, "a.txt", "one\n", "start")
    commit_file(repo, "a.txt", "two\n", f"token {Fakes(68).github_token()}")
    leaky = git(repo, "rev-parse", "HEAD").strip()
    result = run_keystow("purge", "--history", "--dry-run", cwd=repo)
    assert result.returncode == 0
    assert f"{leaky[:12]}  <commit message>" in result.stdout.decode()
    assert "1 commit(s) would get new ids" in result.stdout.decode()


def test_a_leaky_message_among_clean_ones_is_found_at_its_commit(repo):
    """Messages are searched in batches (pipeline/messages.py): the one holding a token is still
    found and placed, whatever stands before and after it."""
    commit_file(repo, "a.txt", "one\n", "start")
    commit_file(repo, "a.txt", "two\n", f"fix\n\nold key {Fakes(67).github_token()}")
    leaky = git(repo, "rev-parse", "HEAD").strip()
    for number in range(3):
        commit_file(repo, "a.txt", f"{number}\n", f"tidy {number}")
    code, findings = _findings(repo, "--history", "--no-cache")
    assert code == 1
    assert _paths(findings) == [("<commit message>", leaky)]
    assert findings[0]["locations"][0]["line"] == 3

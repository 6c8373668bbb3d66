"""Baseline remediation: a work-tree prune keeps what a history scan recorded, an entry audited
as a true positive stops suppressing, and every summary counts what was suppressed."""

from __future__ import annotations

import json
from pathlib import Path

from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow

BASELINE = ".keystow-baseline.json"


def _json_scan(repo: Path, *args: str) -> dict:
    result = run_keystow("scan", ".", "--format", "json", *args, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_prune_without_history_keeps_entries_a_history_update_added(repo):
    token = Fakes(11).github_token()
    commit_file(repo, "old.py", f'TOKEN = "{token}"\n')
    commit_file(repo, "old.py", "cleaned = True\n")
    assert run_keystow("baseline", "update", "--history", cwd=repo).returncode == 0
    assert _json_scan(repo, "--history")["findings"] == []

    result = run_keystow("baseline", "prune", cwd=repo)
    assert result.returncode == 0 and b"pruned 0 entries" in result.stderr, result.stderr
    assert _json_scan(repo, "--history")["findings"] == []  # still suppressed
    entries = json.loads((repo / BASELINE).read_text())["entries"]
    assert [e.get("scope") for e in entries] == ["history"]


def test_prune_with_history_still_removes_history_entries_that_match_nothing(repo):
    token = Fakes(12).github_token()
    commit_file(repo, "old.py", f'TOKEN = "{token}"\n')
    run_keystow("baseline", "update", "--history", cwd=repo)
    document = json.loads((repo / BASELINE).read_text())
    document["entries"][0]["hash"] = "0" * 64  # an entry for a secret no commit holds
    (repo / BASELINE).write_text(json.dumps(document))
    result = run_keystow("baseline", "prune", "--history", cwd=repo)
    assert b"pruned 1 entry" in result.stderr, result.stderr


def test_an_audited_true_positive_is_reported_open_until_removed(repo):
    token = Fakes(13).github_token()
    commit_file(repo, "app.py", f'TOKEN = "{token}"\n')
    run_keystow("baseline", "create", cwd=repo)
    assert run_keystow("scan", ".", cwd=repo).returncode == 0
    audit = run_keystow("baseline", "audit", cwd=repo, input=b"t\nreal token, rotate\n")
    assert audit.returncode == 0, audit.stderr

    text = run_keystow("scan", ".", cwd=repo)
    assert text.returncode == 1 and b"No secrets found" not in text.stdout
    assert b"1 audited true positive still open" in text.stdout
    document = _json_scan(repo)
    assert len(document["findings"]) == 1 and document["summary"]["suppressed"]["true_positives_open"] == 1

    commit_file(repo, "app.py", 'TOKEN = os.environ["TOKEN"]\n')
    assert run_keystow("scan", ".", cwd=repo).returncode == 0


def test_summaries_count_baselined_and_inline_allowed_findings(repo):
    fakes = Fakes(14)
    commit_file(repo, "a.py", f'TOKEN = "{fakes.github_token()}"\n')
    run_keystow("baseline", "create", cwd=repo)
    commit_file(repo, "b.py", f'KEY = "{fakes.aws_access_key_id()}"  # keystow:allow\n')

    text = run_keystow("scan", ".", cwd=repo)
    assert text.returncode == 0, text.stdout
    assert b"No secrets found" in text.stdout and b"Suppressed: 1 baselined, 1 inline-allowed." in text.stdout
    summary = _json_scan(repo)["summary"]
    assert summary["suppressed"] == {"baselined": 1, "inline_allowed": 1, "true_positives_open": 0}
    assert _json_scan(repo, "--no-baseline")["summary"]["suppressed"] == {"inline_allowed": 1}

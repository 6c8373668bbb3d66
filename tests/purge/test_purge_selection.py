"""What gets purged and what replaces it: a report's fingerprints, migrate's references, an
explicit replacement; and a purge that cannot be proven exits 1 and keeps the backup."""

from __future__ import annotations

import json
import re

from keystow.migrate.journal import Journal
from keystow.migrate.plan import salted_hash
from keystow.migrate.sites import value_id
from tests.helpers import commit_file, git, run_keystow
from tests.purge.gitstate import grep_all_commits


def test_from_report_purges_only_the_reported_fingerprints(history_repo, secrets, tmp_path):
    report = tmp_path / "report.json"
    scan = run_keystow("scan", "--history", "--format", "json", "-o", str(report), ".", cwd=history_repo)
    assert scan.returncode == 1, scan.stderr
    document = json.loads(report.read_text())
    assert secrets.aws_key_id not in report.read_text()  # the report is redacted
    document["findings"] = [f for f in document["findings"] if f["rule_id"] == "aws-access-key-id"]
    document["findings"].append({**document["findings"][0], "fingerprint": "0" * 32})  # not in this repo
    report.write_text(json.dumps(document))

    result = run_keystow(
        "purge", "--from-report", str(report), "--replacement", "[purged]", "--yes", "--include-head", cwd=history_repo
    )
    assert result.returncode == 0, result.stderr
    assert b"1 finding(s) of the report are not in this history" in result.stderr
    assert grep_all_commits(history_repo, secrets.aws_key_id) == ""
    assert 'aws_access_key_id = "[purged]"' in git(history_repo, "show", "v0.1:settings.py")
    assert grep_all_commits(history_repo, secrets.password) != ""  # not in the report: kept


def test_migrated_secrets_are_replaced_by_a_marker_naming_their_reference(history_repo, secrets):
    journal_dir = history_repo / ".keystow"
    journal_dir.mkdir()
    (journal_dir / ".gitignore").write_text("*\n")
    journal = {
        "version": 1,
        "state": "complete",
        "targets": {value_id(secrets.password): {"store": "ssm", "name": "/shop/db_password", "key": None}},
        "items": {"i1": {"name": "/shop/db_password", "store": "ssm", "status": "created"}},
    }
    Journal(journal_dir / "journal-20240102T030405Z.json", journal, history_repo).save()  # authenticated
    plan = {
        "version": 1,
        "items": [
            {
                "name": "shop/ci",
                "store": "secretsmanager",
                "members": [{"value_hash": salted_hash(secrets.github_token), "key": "token"}],
            }
        ],
    }
    (history_repo / ".keystow" / "plan.json").write_text(json.dumps(plan))

    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=history_repo)
    assert result.returncode == 0, result.stderr
    moved = 'db_password = "***REMOVED-BY-KEYSTOW:moved-to-ssm:/shop/db_password***"'
    assert moved in git(history_repo, "show", "v0.1:settings.py")
    assert "GITHUB_TOKEN=***REMOVED-BY-KEYSTOW:moved-to-secretsmanager:shop/ci#token***" in git(
        history_repo, "show", "v1.0:ci.sh"
    )
    assert "***REMOVED-BY-KEYSTOW:aws-access-key-id***" in git(history_repo, "show", "v0.1:settings.py")
    assert "ssm:/shop/db_password" in (history_repo / "keystow-purge-report.md").read_text()
    rescan = run_keystow("scan", "--history", "--no-cache", ".", cwd=history_repo)
    assert rescan.returncode == 0, rescan.stdout  # neither references nor markers look like secrets


def _journal(repo, document: dict, stamp: str = "20240102T030405Z") -> None:
    directory = repo / ".keystow"
    directory.mkdir(exist_ok=True)
    (directory / ".gitignore").write_text("*\n")
    Journal(directory / f"journal-{stamp}.json", document, repo).save()  # authenticated, as migrate writes it


def test_migrate_files_from_a_newer_keystow_stop_the_purge(history_repo, secrets):
    """Skipping them would put markers where the user expects the references migrate recorded."""
    head = git(history_repo, "rev-parse", "HEAD")
    _journal(history_repo, {"version": 2, "targets": {}, "items": {}})
    result = run_keystow("purge", "--history", "--yes", cwd=history_repo)
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert "migrate journal written by a newer keystow (format 2); upgrade keystow" in lines[0]
    assert git(history_repo, "rev-parse", "HEAD") == head and grep_all_commits(history_repo, secrets.password)

    (history_repo / ".keystow" / "journal-20240102T030405Z.json").unlink()
    (history_repo / ".keystow").mkdir(exist_ok=True)
    (history_repo / ".keystow" / "plan.json").write_text(json.dumps({"version": 3, "items": []}))
    result = run_keystow("purge", "--history", "--yes", cwd=history_repo)
    assert result.returncode == 2 and b"migrate plan written by a newer keystow (format 3)" in result.stderr
    assert git(history_repo, "rev-parse", "HEAD") == head


def test_malformed_journal_is_skipped_and_the_others_still_count(history_repo, secrets):
    _journal(history_repo, {"version": 1, "targets": [], "items": {}}, stamp="20240101T000000Z")
    _journal(
        history_repo,
        {
            "version": 1,
            "items": {},
            "targets": {value_id(secrets.password): {"store": "ssm", "name": "/shop/db", "key": None}},
        },
    )
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=history_repo)
    assert result.returncode == 0, result.stderr
    moved = 'db_password = "***REMOVED-BY-KEYSTOW:moved-to-ssm:/shop/db***"'
    assert moved in git(history_repo, "show", "v0.1:settings.py")


def test_unproven_purge_exits_1_and_keeps_the_backup(history_repo, secrets):
    # keystow reads UTF-16 text; git-filter-repo treats it as binary (NUL bytes) and skips it
    text = f'db_password = "{secrets.release_password}x"\n'
    commit_file(
        history_repo, "legacy/settings.utf16", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"), "utf-16"
    )

    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=history_repo)
    assert result.returncode == 1, result.stderr
    assert re.search(rb"NOT verified: \d+ still found; the backup is kept", result.stdout)  # the UTF-16 file
    assert list((history_repo / ".git" / "keystow" / "backups").glob("*.bundle"))
    assert grep_all_commits(history_repo, secrets.aws_key_id) == ""  # the rest was purged
    report = (history_repo / "keystow-purge-report.md").read_text()
    assert "NOT verified" in report and "still in history:" in report and "legacy/settings.utf16" in report

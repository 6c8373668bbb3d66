"""One full purge of a history spread over branches, tags, a merge and a rename, then checks:
no commit holds a purged secret, untouched content keeps its ids, the backup restores the
original history, remotes survive, and the aftercare report names no secret."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import git, run_keystow
from tests.purge.builder import UNTOUCHED, Secrets, build_history, make_secrets
from tests.purge.conftest import new_repository
from tests.purge.gitstate import all_commits, commit_map, grep_all_commits, object_at

UNTOUCHED_OBJECTS = (*UNTOUCHED, "src")  # a blob and a tree that never held a secret


@dataclass
class Purged:
    repo: Path
    secrets: Secrets
    commits_before: set[str]
    untouched_before: dict[tuple[str, str], str]
    secret_blob: str  # v0.1:settings.py before the purge
    result: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def purged(tmp_path_factory) -> Purged:
    repo = new_repository(tmp_path_factory.mktemp("purge") / "shop")
    secrets = make_secrets()
    build_history(repo, secrets)
    git(repo, "remote", "add", "origin", str(repo.parent / "upstream.git"))
    git(repo, "config", "branch.main.remote", "origin")
    git(repo, "config", "branch.main.merge", "refs/heads/main")
    before = all_commits(repo)
    untouched = {(c, p): object_at(repo, c, p) for c in before for p in UNTOUCHED_OBJECTS}
    secret_blob = object_at(repo, "v0.1", "settings.py")
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=repo)
    return Purged(repo, secrets, before, untouched, secret_blob, result)


def test_purge_succeeds_and_is_verified(purged):
    assert purged.result.returncode == 0, purged.result.stderr.decode()
    assert b"verified: none of them remains" in purged.result.stdout


def test_no_commit_holds_a_purged_secret(purged):
    for secret in [*purged.secrets.single_line(), purged.secrets.private_key_line()]:
        assert grep_all_commits(purged.repo, secret) == ""


def test_secrets_became_markers_in_every_branch(purged):
    assert 'db_password = "***REMOVED-BY-KEYSTOW:' in git(purged.repo, "show", "v0.1:settings.py")
    assert git(purged.repo, "show", "v1.0:keys/deploy.pem").startswith("***REMOVED-BY-KEYSTOW:")
    release = subprocess.run(["git", "show", "release:release.cfg"], cwd=purged.repo, capture_output=True).stdout
    assert release.count(b"***REMOVED-BY-KEYSTOW:") == 2 and b"\r\n" in release  # CRLF key went whole


def test_tags_and_branches_survive_with_their_kinds(purged):
    assert git(purged.repo, "cat-file", "-t", "v1.0").strip() == "tag"  # annotated stays annotated
    assert git(purged.repo, "cat-file", "-t", "v0.1").strip() == "commit"
    assert set(git(purged.repo, "branch", "--format=%(refname:short)").split()) == {"main", "feature", "release"}
    assert len(git(purged.repo, "log", "--merges", "--format=%H", "main").split()) == 1


def test_untouched_paths_keep_their_object_ids(purged):
    mapping = commit_map(purged.repo)
    assert set(mapping) >= purged.commits_before
    for (old, path), object_id in purged.untouched_before.items():
        assert object_at(purged.repo, mapping[old], path) == object_id, (old, path)


def test_old_objects_are_gone_from_the_object_store(purged):
    mapping = commit_map(purged.repo)
    rewritten = [old for old, new in mapping.items() if old != new]
    assert len(rewritten) == 8
    for object_id in [*rewritten, purged.secret_blob]:
        exists = subprocess.run(["git", "cat-file", "-e", object_id], cwd=purged.repo, capture_output=True)
        assert exists.returncode != 0, object_id


def test_backup_bundle_restores_the_original_history(purged, tmp_path):
    bundles = list((purged.repo / ".git" / "keystow" / "backups").glob("*.bundle"))
    assert len(bundles) == 1 and str(bundles[0]) in purged.result.stdout.decode()
    git(tmp_path, "clone", "-q", str(bundles[0]), "cloned")
    assert all_commits(tmp_path / "cloned") == purged.commits_before
    in_place = new_repository(tmp_path / "in-place")  # the printed in-place command, on a stand-in
    git(in_place, "fetch", "-q", "--update-head-ok", str(bundles[0]), "+refs/*:refs/*")
    assert all_commits(in_place) == purged.commits_before
    assert purged.secrets.password in git(in_place, "show", "v0.1:settings.py")


def test_remote_configuration_is_restored(purged):
    assert git(purged.repo, "remote").split() == ["origin"]
    assert git(purged.repo, "config", "branch.main.remote").strip() == "origin"


def test_aftercare_report_is_written_without_secrets(purged):
    report = (purged.repo / "keystow-purge-report.md").read_text()
    assert "git push --force origin main" in report and "git push --force origin refs/tags/v1.0" in report
    assert "clone again" in report and "GitHub Support" in report
    settings_commit = git(purged.repo, "rev-parse", "v0.1").strip()  # first commit of the AWS key
    assert f"→ {settings_commit[:10]} | settings.py | `***REMOVED-BY-KEYSTOW:aws-access-key-id***`" in report
    output = purged.result.stdout.decode() + purged.result.stderr.decode() + report
    for secret in [*purged.secrets.single_line(), purged.secrets.private_key_line()]:
        assert secret not in output
    assert git(purged.repo, "status", "--porcelain").strip() == "?? keystow-purge-report.md"


def test_a_second_purge_finds_nothing_left(purged):
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=purged.repo)
    assert result.returncode == 0
    assert b"nothing to purge" in result.stdout

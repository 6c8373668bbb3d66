"""`scan_repository`: plain picklable values in and out, and no secret value in the result."""

from __future__ import annotations

import pickle

from keystow.multirepo.model import RepoScanSettings
from keystow.multirepo.repolist import make_spec
from keystow.multirepo.task import scan_repository
from testing.fakes import Fakes
from tests.helpers import commit_file, git


def test_result_pickles_without_the_secret(repo):
    secret = Fakes(seed=5).github_token()
    commit_file(repo, "ci.yml", f"token: {secret}\n")
    report = scan_repository(make_spec(0, str(repo), repo.parent), RepoScanSettings(use_cache=False))
    assert report.status == "ok" and report.findings[0].path == "ci.yml"
    payload = pickle.dumps(report)
    assert secret.encode() not in payload and pickle.loads(payload) == report
    assert report.findings[0].redacted.startswith(secret[:4] + "…#")


def test_worktree_mode_scans_the_files_on_disk(repo):
    fakes = Fakes(seed=6)
    commit_file(repo, "old.env", f"AWS_ACCESS_KEY_ID={fakes.aws_access_key_id()}\n")
    git(repo, "rm", "-q", "old.env")
    git(repo, "commit", "-q", "-m", "remove")
    (repo / "new.env").write_text(f"AWS_ACCESS_KEY_ID={fakes.aws_access_key_id()}\n")  # untracked
    spec = make_spec(0, str(repo), repo.parent)
    worktree = scan_repository(spec, RepoScanSettings(mode="worktree"))
    history = scan_repository(spec, RepoScanSettings(mode="history", use_cache=False))
    assert [f.path for f in worktree.findings] == ["new.env"]
    assert [f.path for f in history.findings] == ["old.env"]


def test_a_bare_local_repository_scans(repo, tmp_path):
    commit_file(repo, "k.py", f'K = "{Fakes(seed=8).aws_access_key_id()}"\n')
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    report = scan_repository(make_spec(0, str(bare), tmp_path), RepoScanSettings(use_cache=False))
    assert report.status == "ok" and [f.path for f in report.findings] == ["k.py"]


def test_a_directory_that_is_not_a_repository_is_an_error_report(tmp_path):
    (tmp_path / "plain").mkdir()
    report = scan_repository(make_spec(0, "plain", tmp_path), RepoScanSettings())
    assert report.status == "error" and report.error.startswith("not a git repository")

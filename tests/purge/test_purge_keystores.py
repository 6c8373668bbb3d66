"""A keystore in history is purged as the whole file it is: its blobs are stripped from every
commit (filter-repo leaves binary blobs to `--replace-text` untouched), text secrets beside it
are replaced as usual, and a truststore (not a finding) keeps its object id."""

from __future__ import annotations

import subprocess

from testing import keystores
from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow
from tests.purge.conftest import new_repository
from tests.purge.gitstate import all_commits


def test_purge_strips_keystore_blobs_and_verifies(tmp_path):
    repo = new_repository(tmp_path / "shop")
    token = Fakes(31).github_token()
    commit_file(repo, "settings.py", f'TOKEN = "{token}"\n', "settings")
    commit_file(repo, "conf/truststore.jks", keystores.java_keystore(0, 1), "a truststore")
    commit_file(repo, "conf/app.jks", keystores.java_keystore(), "a keystore")
    keystore_blob = git(repo, "rev-parse", "HEAD:conf/app.jks").strip()
    truststore_blob = git(repo, "rev-parse", "HEAD:conf/truststore.jks").strip()
    git(repo, "rm", "-q", "conf/app.jks", "settings.py")
    git(repo, "commit", "-q", "-m", "moved to the store")

    result = run_keystow("purge", "--history", "--yes", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    assert b"verified: none of them remains" in result.stdout
    assert subprocess.run(["git", "cat-file", "-e", keystore_blob], cwd=repo).returncode != 0
    for commit in all_commits(repo):
        tree = git(repo, "ls-tree", "-r", "--name-only", commit).split()
        assert "conf/app.jks" not in tree
        if "settings.py" in tree:
            assert token not in git(repo, "show", f"{commit}:settings.py")
    assert git(repo, "rev-parse", "HEAD:conf/truststore.jks").strip() == truststore_blob
    report = (repo / "keystow-purge-report.md").read_text()
    assert "| conf/app.jks | `(the whole file, removed from history)` |" in report

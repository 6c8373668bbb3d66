"""Crash safety: a run killed between the store write and the file rewrite (as kill -9 would) is
completed by --resume or undone byte for byte by --rollback; the journal holds no value."""

from __future__ import annotations

import json
import stat

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, git
from tests.migrate.migrate_repo import StoreReader, migrate, migrate_killed_after


@pytest.fixture
def small_repo(repo):
    fakes = Fakes(31)
    values = {"pat": fakes.github_token(), "env": fakes.github_token(), "pair": fakes.aws_access_key_id()}
    commit_file(repo, "app/settings.py", f'import os\n\nTOKEN = "{values["pat"]}"\r\nKEY_ID = "{values["pair"]}"\n')
    commit_file(repo, ".env", f"# local\nSTATUS_TOKEN='{values['env']}'\n")
    (repo / "app/settings.py").chmod(0o640)
    return repo, values


def journal_of(repo):
    [path] = sorted((repo / ".keystow").glob("journal-*.json"))
    return path


def test_crash_after_store_write_then_resume(small_repo, aws_env):
    repo, values = small_repo
    crashed = migrate_killed_after("store-write", repo, "--to", "ssm", "--apply", "--yes")
    assert crashed.returncode == 137
    assert git(repo, "status", "--porcelain") == ""  # files untouched
    store = StoreReader(aws_env)
    assert len(store.parameter_names()) == 3  # ... but the values are stored
    journal = journal_of(repo)
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    resumed = migrate(repo, "--resume", str(journal))
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert 'TOKEN = os.environ["TOKEN"]\r\n' in (repo / "app/settings.py").read_bytes().decode()
    assert (repo / ".env").read_text() == "# local\nSTATUS_TOKEN=${STATUS_TOKEN}\n"
    assert stat.S_IMODE((repo / "app/settings.py").stat().st_mode) == 0o640
    text = journal.read_text()
    assert not any(value in text for value in values.values())
    assert json.loads(text)["state"] == "complete"


def test_crash_after_first_file_then_rollback_restores_bytes(small_repo, aws_env):
    repo, values = small_repo
    original = {p: (repo / p).read_bytes() for p in ("app/settings.py", ".env")}
    crashed = migrate_killed_after("file-write", repo, "--to", "secretsmanager", "--apply", "--yes")
    assert crashed.returncode == 137
    changed = git(repo, "status", "--porcelain")
    assert changed.count(" M ") == 1 and "?? .keystow-refs.toml" in changed
    rolled = migrate(repo, "--rollback", str(journal_of(repo)))
    assert rolled.returncode == 0, rolled.stderr.decode()
    assert git(repo, "status", "--porcelain") == ""
    assert {p: (repo / p).read_bytes() for p in original} == original
    assert stat.S_IMODE((repo / "app/settings.py").stat().st_mode) == 0o640


def test_rollback_after_complete_run_and_refuses_a_changed_file(small_repo, aws_env):
    repo, values = small_repo
    original = (repo / "app/settings.py").read_bytes()
    done = migrate(repo, "--to", "ssm", "--apply", "--yes")
    assert done.returncode == 0, done.stderr.decode()
    (repo / ".env").write_text("# edited after the migration\n")
    rolled = migrate(repo, "--rollback", str(journal_of(repo)))
    assert rolled.returncode == 1
    assert b".env: changed since the migration; left alone" in rolled.stderr
    assert (repo / "app/settings.py").read_bytes() == original
    assert not (repo / ".keystow-refs.toml").exists()
    assert (repo / ".env").read_text() == "# edited after the migration\n"

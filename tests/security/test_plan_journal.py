"""A repository under migration must not reach outside itself: committed symlinks, an edited plan
and a crafted journal. Each test reproduces the attack first (against the real moto server)."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from keystow.migrate.journal import Journal
from testing.fakes import Fakes
from tests.helpers import commit_file, git
from tests.migrate.migrate_repo import StoreReader, migrate

CREDENTIALS = b"[default]\naws_access_key_id = victim-owned-file\n"


@pytest.fixture
def home(tmp_path):
    """Files of the user running keystow, outside the repository."""
    path = tmp_path / "home"
    (path / ".aws").mkdir(parents=True)
    (path / ".aws" / "credentials").write_bytes(CREDENTIALS)
    (path / ".bashrc").write_bytes(b"export PATH=/usr/bin\n")
    return path


@pytest.fixture
def env_repo(repo):
    """A .env token: migrating it to Secrets Manager generates .keystow-refs.toml."""
    token = Fakes(71).github_token()
    commit_file(repo, ".env", f"STATUS_TOKEN='{token}'\n")
    commit_file(repo, "app/settings.py", f'import os\n\nTOKEN = "{Fakes(72).github_token()}"\n')
    return repo, token


def committed_symlink(repo, relative, target):
    link = repo / relative
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)
    git(repo, "add", "-f", relative)
    git(repo, "commit", "-q", "-m", "link")


def only_line(result) -> str:
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    return lines[0]


# --- 1. writes through committed symlinks --------------------------------------------------


def test_plan_is_not_written_through_a_committed_symlink(env_repo, home, aws_env):
    repo, _ = env_repo
    committed_symlink(repo, ".keystow/plan.json", home / ".bashrc")
    committed_symlink(repo, "keystow-plan.json", home / ".bashrc")  # the old location
    result = migrate(repo, "--to", "ssm")
    assert result.returncode == 0, result.stderr.decode()
    assert (home / ".bashrc").read_bytes() == b"export PATH=/usr/bin\n"
    plan = repo / ".keystow" / "plan.json"
    assert not plan.is_symlink() and json.loads(plan.read_text())["items"]


def test_state_directory_linked_out_of_the_repository_is_refused(env_repo, home, aws_env):
    repo, _ = env_repo
    committed_symlink(repo, ".keystow", home)
    result = migrate(repo, "--to", "ssm")
    assert result.returncode == 2
    assert "outside" in only_line(result) or "symbolic link" in only_line(result)
    assert sorted(p.name for p in home.iterdir()) == [".aws", ".bashrc"]


def test_plan_and_journal_live_in_an_ignored_directory(env_repo, aws_env):
    repo, _ = env_repo
    assert migrate(repo, "--to", "ssm").returncode == 0
    assert (repo / ".keystow" / ".gitignore").read_text() == "*\n"
    assert git(repo, "status", "--porcelain") == ""  # git add -A would commit nothing of ours
    assert migrate(repo, "--to", "ssm", "--apply", "--yes").returncode == 0
    git(repo, "add", "-A")
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert staged and not any(name.startswith(".keystow/") for name in staged)


def test_generated_file_linked_to_credentials_is_neither_read_nor_written(env_repo, home, aws_env):
    repo, token = env_repo
    committed_symlink(repo, ".keystow-refs.toml", home / ".aws" / "credentials")
    result = migrate(repo, "--to", "secretsmanager", "--apply", "--yes")
    assert result.returncode == 2
    line = only_line(result)
    assert ".keystow-refs.toml" in line and ("outside" in line or "symbolic link" in line)
    assert (home / ".aws" / "credentials").read_bytes() == CREDENTIALS
    assert StoreReader(aws_env).secret_names() == []  # refused before any value left
    for path in repo.rglob("*"):
        if path.is_file() and not path.is_symlink() and ".git" not in path.parts:
            assert b"victim-owned-file" not in path.read_bytes(), path


def test_generated_terraform_file_linked_to_credentials_is_refused(repo, home, aws_env):
    commit_file(repo, "tf/main.tf", f'provider "github" {{\n  token = "{Fakes(73).github_token()}"\n}}\n')
    committed_symlink(repo, "tf/keystow_secrets.tf", home / ".aws" / "credentials")
    result = migrate(repo, "--to", "ssm", "--apply", "--yes")
    assert result.returncode == 2
    assert "tf/keystow_secrets.tf is a symbolic link" in only_line(result)
    assert (home / ".aws" / "credentials").read_bytes() == CREDENTIALS
    assert StoreReader(aws_env).parameter_names() == []
    assert (repo / "tf/keystow_secrets.tf").is_symlink()


# --- 3. a plan's connection settings ------------------------------------------------------


@pytest.mark.parametrize(("setting", "value"), [
    ("endpoint_url", "http://127.0.0.1:9/"), ("region", "eu-west-3"), ("kms_key_id", "alias/attacker"),
    ("tags", [["owner", "attacker"]]), ("overwrite", True),
])
def test_edited_connection_setting_in_a_plan_is_refused(env_repo, aws_env, setting, value):
    repo, _ = env_repo
    assert migrate(repo, "--to", "ssm").returncode == 0
    path = repo / ".keystow" / "plan.json"
    plan = json.loads(path.read_text())
    plan["settings"][setting] = value
    path.write_text(json.dumps(plan))
    result = migrate(repo, "--to", "ssm", "--apply", "--plan", ".keystow/plan.json", "--yes")
    assert result.returncode == 2
    error = result.stderr.decode()
    assert f"the plan's {setting}" in error and "differs from the command line" in error
    assert StoreReader(aws_env).parameter_names() == []
    assert git(repo, "status", "--porcelain") == ""


def test_plan_applies_with_the_command_lines_settings(env_repo, aws_env):
    repo, _ = env_repo
    assert migrate(repo, "--to", "ssm", "--tag", "team=infra").returncode == 0
    refused = migrate(repo, "--to", "ssm", "--apply", "--plan", ".keystow/plan.json", "--yes")
    assert refused.returncode == 2 and b"the plan's tags" in refused.stderr
    done = migrate(repo, "--to", "ssm", "--tag", "team=infra", "--apply", "--plan", ".keystow/plan.json", "--yes")
    assert done.returncode == 0, done.stderr.decode()
    assert len(StoreReader(aws_env).parameter_names()) == 2


def test_plan_outside_the_repository_is_refused(env_repo, tmp_path, aws_env):
    repo, _ = env_repo
    assert migrate(repo, "--to", "ssm").returncode == 0
    outside = tmp_path / "plan.json"
    outside.write_bytes((repo / ".keystow" / "plan.json").read_bytes())
    os.symlink(outside, repo / "linked-plan.json")
    result = migrate(repo, "--to", "ssm", "--apply", "--plan", "linked-plan.json", "--yes")
    assert result.returncode == 2 and "outside" in only_line(result)


# --- 4. a crafted journal ----------------------------------------------------------------


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_forged_journal_is_refused(env_repo, tmp_path, aws_env):
    repo, _ = env_repo
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me\n")
    forged = {
        "version": 1,
        "state": "complete",
        "root": str(tmp_path),
        "settings": {"store": "ssm"},
        "names": {},
        "scan_path": "..",
        "targets": {},
        "items": {},
        "files": [
            {
                "path": "victim.txt",
                "existed": False,
                "mode": 420,
                "old_sha256": None,
                "new_sha256": sha(b"keep me\n"),
                "edits": [],
                "state": "written",
            },
            {
                "path": "../victim.txt",
                "existed": False,
                "mode": 420,
                "old_sha256": None,
                "new_sha256": sha(b"keep me\n"),
                "edits": [],
                "state": "written",
            },
        ],
    }
    (repo / ".keystow").mkdir()
    path = repo / ".keystow" / "journal-20260101T000000Z.json"
    path.write_text(json.dumps(forged))
    for action in ("--rollback", "--resume"):
        result = migrate(repo, action, str(path))
        assert result.returncode == 2
        assert "not a journal keystow wrote for this repository" in only_line(result)
    assert victim.read_bytes() == b"keep me\n"
    outside = tmp_path / "journal.json"
    outside.write_text(json.dumps(forged))
    result = migrate(repo, "--rollback", str(outside))
    assert result.returncode == 2 and ".keystow/ directory" in only_line(result)


def test_rollback_refuses_entries_outside_the_repository_and_does_the_rest(env_repo, tmp_path, aws_env):
    repo, _ = env_repo
    original = (repo / "app/settings.py").read_bytes()
    assert migrate(repo, "--to", "ssm", "--apply", "--yes").returncode == 0
    [path] = (repo / ".keystow").glob("journal-*.json")
    victim, inside = tmp_path / "victim.txt", repo / "README"
    victim.write_bytes(b"keep me\n")
    inside.write_bytes(b"not the run's\n")
    os.symlink(victim, repo / "link-out")
    journal = Journal.load(path)  # what a bug (or a key thief) could produce: checked per file too
    for bad in (str(victim), "../victim.txt", "link-out", "README"):
        data = inside.read_bytes() if bad == "README" else victim.read_bytes()
        journal.data["files"].append(
            {
                "path": bad,
                "existed": False,
                "mode": 420,
                "old_sha256": None,
                "new_sha256": sha(data) if bad != "README" else sha(b"what the run wrote\n"),
                "edits": [],
                "state": "written",
            }
        )
    journal.save()
    result = migrate(repo, "--rollback", str(path))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert f"not restored: {victim}: not a path inside the repository" in err
    assert "not restored: ../victim.txt: not a path inside the repository" in err
    assert "not restored: link-out:" in err and "outside" in err
    assert "not restored: README: changed since the migration; left alone" in err
    assert victim.read_bytes() == b"keep me\n" and inside.read_bytes() == b"not the run's\n"
    assert (repo / "app/settings.py").read_bytes() == original  # the run's own files still restored

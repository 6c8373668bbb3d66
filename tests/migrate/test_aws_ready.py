"""`migrate --apply` without AWS credentials or region stops before writing anything: no plan,
no journal, no store call, one line, exit 2."""

from __future__ import annotations

import pytest

from tests.helpers import git
from tests.migrate.migrate_repo import make_repo, migrate

AWS_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION",
                 "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL")


@pytest.fixture
def no_aws(monkeypatch, tmp_path):
    for name in AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def _repo(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    make_repo(repo)
    return repo


@pytest.mark.parametrize("missing", ["region", "credentials"])
def test_apply_checks_aws_before_writing_anything(no_aws, monkeypatch, tmp_path, missing):
    repo = _repo(tmp_path)
    if missing == "credentials":
        monkeypatch.setenv("AWS_REGION", "us-east-1")
    before = git(repo, "status", "--porcelain", "--ignored")
    result = migrate(repo, "--to", "ssm", "--apply", "--yes")
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and ("no AWS region" if missing == "region" else "no AWS credentials") in lines[0]
    assert not (repo / ".keystow").exists()
    assert git(repo, "status", "--porcelain", "--ignored") == before


def test_a_plan_alone_needs_no_aws(no_aws, tmp_path):
    repo = _repo(tmp_path)
    result = migrate(repo, "--to", "ssm")
    assert result.returncode == 0, result.stderr.decode()
    assert (repo / ".keystow" / "plan.json").is_file()

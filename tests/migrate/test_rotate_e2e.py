"""`migrate --rotate` against the moto server: a leaked IAM key pair is replaced by a new key that
STS accepts, the leaked key is deactivated (not deleted), the journal names both key ids, and
`--rollback` re-activates the leaked key and restores the file byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from tests.helpers import commit_file, run_keystow

USER = "ci-deployer"


@pytest.fixture
def iam(aws_env):
    return boto3.client("iam", endpoint_url=aws_env, region_name="us-east-1")


@pytest.fixture
def leaked(repo, iam):
    """A real (moto) IAM key pair committed in a settings file."""
    iam.create_user(UserName=USER)
    key = iam.create_access_key(UserName=USER)["AccessKey"]
    text = (f'AWS_ACCESS_KEY_ID = "{key["AccessKeyId"]}"\n'
            f'AWS_SECRET_ACCESS_KEY = "{key["SecretAccessKey"]}"\n')
    commit_file(repo, "deploy/settings.py", text)
    return key


def _statuses(iam) -> dict[str, str]:
    return {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName=USER)["AccessKeyMetadata"]}


def _journal(repo: Path) -> dict:
    [path] = (repo / ".keystow").glob("journal-*.json")
    return json.loads(path.read_text())


def test_rotate_replaces_the_leaked_key_and_rollback_restores_it(repo, iam, leaked, aws_env):
    original = (repo / "deploy/settings.py").read_bytes()
    result = run_keystow("migrate", "--to", "secretsmanager", "--rotate", "--apply", "--yes", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    assert b"rotated:" in result.stderr
    assert leaked["SecretAccessKey"].encode() not in result.stdout + result.stderr

    statuses = _statuses(iam)
    [new_id] = set(statuses) - {leaked["AccessKeyId"]}
    assert statuses == {leaked["AccessKeyId"]: "Inactive", new_id: "Active"}
    [rotation] = _journal(repo)["rotations"].values()
    assert (rotation["old_key_id"], rotation["new_key_id"], rotation["state"]) == (leaked["AccessKeyId"], new_id,
                                                                                  "rotated")
    assert leaked["SecretAccessKey"] not in json.dumps(_journal(repo))

    secrets = boto3.client("secretsmanager", endpoint_url=aws_env, region_name="us-east-1")
    [entry] = secrets.list_secrets()["SecretList"]
    stored = json.loads(secrets.get_secret_value(SecretId=entry["Name"])["SecretString"])
    assert stored["aws_access_key_id"] == new_id
    sts = boto3.client("sts", endpoint_url=aws_env, region_name="us-east-1", aws_access_key_id=new_id,
                       aws_secret_access_key=stored["aws_secret_access_key"])
    assert sts.get_caller_identity()["Arn"].endswith(f":user/{USER}")
    assert leaked["AccessKeyId"] not in (repo / "deploy/settings.py").read_text()

    journal = next((repo / ".keystow").glob("journal-*.json")).relative_to(repo)
    undone = run_keystow("migrate", "--rollback", str(journal), cwd=repo)
    assert undone.returncode == 0, undone.stderr.decode()
    assert (repo / "deploy/settings.py").read_bytes() == original
    assert _statuses(iam) == {leaked["AccessKeyId"]: "Active", new_id: "Inactive"}


def test_a_key_no_iam_user_owns_is_stored_but_not_rotated(repo, iam, aws_env):
    """A key IAM does not know (revoked, another account): migrated as usual, one line why not rotated."""
    from testing.fakes import Fakes

    fakes = Fakes(7)
    commit_file(repo, "deploy/settings.py", f'AWS_ACCESS_KEY_ID = "{fakes.aws_access_key_id()}"\n'
                                            f'AWS_SECRET_ACCESS_KEY = "{fakes.aws_secret_access_key()}"\n')
    result = run_keystow("migrate", "--to", "secretsmanager", "--rotate", "--apply", "--yes", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    assert b"not rotated" in result.stderr
    assert "rotations" not in _journal(repo) or not _journal(repo)["rotations"]


def test_rotate_needs_secrets_manager(repo):
    result = run_keystow("migrate", "--rotate", cwd=repo)
    assert result.returncode == 2
    assert b"--rotate needs --to secretsmanager" in result.stderr

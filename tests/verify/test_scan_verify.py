"""`keystow scan --verify` end to end: verdicts in every report format, the CI gates
(--only-verified, --fail-on-verified), and AWS key pairs checked against a moto server that
enforces IAM credentials (a key created in moto's IAM is active, a made-up one inactive)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import boto3
import jsonschema
import pytest

from testing.fakes import Fakes
from testing.local_moto import local_moto_server
from tests.helpers import commit_file, run_keystow
from tests.moto_server import AWS_TEST_ENV
from tests.verify.fake_provider import fake_provider

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "report.schema.json").read_text())
LIVE, DEAD = Fakes(201).github_token(), Fakes(202).github_token()


@pytest.fixture
def tokens_repo(repo) -> Path:
    commit_file(repo, "live.py", f'TOKEN = "{LIVE}"\n')
    commit_file(repo, "dead.py", f'TOKEN = "{DEAD}"\n')
    return repo


def _scan(repo: Path, url: str, *args: str):
    return run_keystow("scan", ".", *args, cwd=repo, env={"KEYSTOW_VERIFY_GITHUB_URL": url})


def test_json_report_carries_verdicts_and_validates(tokens_repo):
    with fake_provider({LIVE}) as server:
        result = _scan(tokens_repo, server.url, "--verify", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    status = {f["path"]: f["verification"]["status"] for f in document["findings"]}
    assert status == {"live.py": "active", "dead.py": "inactive"}
    assert document["summary"]["verified"] == {"active": 1, "inactive": 1}
    assert LIVE not in result.stdout.decode() and LIVE not in result.stderr.decode()


@pytest.mark.parametrize("fmt, needle", [("text", "[verified: active]"), ("sarif", '"status": "active"'),
                                         ("junit", "[verified: active]"), ("gitlab", "[verified: active]"),
                                         ("github", "[verified: active]")])
def test_every_format_shows_the_verdict(tokens_repo, fmt, needle):
    with fake_provider({LIVE}) as server:
        result = _scan(tokens_repo, server.url, "--verify", "--format", fmt)
    out = result.stdout.decode()
    assert needle in out and needle.replace("active", "inactive") in out, out


def test_without_verify_nothing_is_sent_and_reports_are_unchanged(tokens_repo):
    with fake_provider({LIVE}) as server:
        result = _scan(tokens_repo, server.url, "--format", "json")
    assert server.requests == []
    assert all("verification" not in f for f in json.loads(result.stdout)["findings"])


def test_only_verified_and_fail_on_verified_gate_ci(tokens_repo):
    with fake_provider({LIVE}) as server:
        only = _scan(tokens_repo, server.url, "--only-verified", "--format", "json")
        gate = _scan(tokens_repo, server.url, "--fail-on-verified")
    assert [f["path"] for f in json.loads(only.stdout)["findings"]] == ["live.py"]
    assert gate.returncode == 1
    with fake_provider(set()) as server:  # both revoked: findings remain, the gate passes
        passed = _scan(tokens_repo, server.url, "--fail-on-verified")
    assert passed.returncode == 0 and b"inactive" in passed.stdout


def test_a_non_loopback_http_url_is_a_usage_error(tokens_repo):
    result = _scan(tokens_repo, "http://github.example.invalid", "--verify")
    assert result.returncode == 2 and b"must be https" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.fixture(scope="module")
def iam_moto(tmp_path_factory):
    """A moto server that checks credentials: after two unauthenticated calls (create the user
    and its key), every request must be signed with a key moto's IAM knows."""
    previous = os.environ.get("INITIAL_NO_AUTH_ACTION_COUNT")
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "2"
    try:
        with local_moto_server() as endpoint:
            iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
            iam.create_user(UserName="deployer")
            key = iam.create_access_key(UserName="deployer")["AccessKey"]
            yield endpoint, key["AccessKeyId"], key["SecretAccessKey"]
    finally:
        if previous is None:
            os.environ.pop("INITIAL_NO_AUTH_ACTION_COUNT", None)
        else:
            os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = previous


def test_aws_key_pairs_are_checked_with_sts(repo, iam_moto):
    endpoint, key_id, secret_key = iam_moto
    fakes = Fakes(203)
    commit_file(repo, "real.env", f"AWS_ACCESS_KEY_ID={key_id}\nAWS_SECRET_ACCESS_KEY={secret_key}\n")
    commit_file(repo, "made_up.env", f"AWS_ACCESS_KEY_ID={fakes.aws_access_key_id()}\n"
                                     f"AWS_SECRET_ACCESS_KEY={fakes.aws_secret_access_key()}\n")
    env = {**AWS_TEST_ENV, "AWS_ENDPOINT_URL": endpoint, "AWS_CONFIG_FILE": "/nonexistent",
           "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true"}
    result = run_keystow("scan", ".", "--verify", "--format", "json", cwd=repo, env=env)
    assert result.returncode == 1, result.stderr
    status = {(f["path"], f["rule_id"]): f["verification"]["status"] for f in json.loads(result.stdout)["findings"]}
    assert status[("real.env", "aws-access-key-id")] == "active"
    assert status[("made_up.env", "aws-access-key-id")] == "inactive"
    assert {s for (path, rule), s in status.items() if path == "real.env"} == {"active"}

"""Applying plans against moto: Secrets Manager grouping, conflicts, and reviewed plan files."""

from __future__ import annotations

import json

from testing.fakes import Fakes
from tests.helpers import commit_file, git
from tests.migrate.migrate_repo import StoreReader, manifest, migrate


def test_aws_key_pair_is_one_json_secret(pair_repo, aws_env):
    repo, values = pair_repo
    result = migrate(repo, "--to", "secretsmanager", "--apply", "--yes")
    assert result.returncode == 0, result.stderr.decode()
    store = StoreReader(aws_env)
    assert sorted(store.secret_names()) == ["repo/app/aws/aws_credentials", "repo/app/aws/token"]
    pair = json.loads(store.secret("repo/app/aws/aws_credentials"))
    assert pair == {"aws_access_key_id": values["id"], "aws_secret_access_key": values["secret"]}
    refs = manifest(repo)
    assert refs["KEY_ID"] == "secretsmanager:repo/app/aws/aws_credentials#aws_access_key_id"
    assert store.reference(refs["AWS_SECRET_ACCESS_KEY"]) == values["secret"]


def test_conflict_is_skipped_until_overwrite(pair_repo, aws_env):
    repo, values = pair_repo
    store = StoreReader(aws_env)
    store.ssm.put_parameter(Name="/repo/app/aws/token", Value="something else", Type="SecureString")
    result = migrate(repo, "--to", "ssm", "--apply", "--yes")
    assert result.returncode == 1
    assert b"conflict: /repo/app/aws/token" in result.stderr
    text = (repo / "app/aws.py").read_text()
    assert values["pat"] in text and values["secret"] not in text  # only the conflicting site is left
    assert store.parameter("/repo/app/aws/token") == "something else"
    again = migrate(repo, "--to", "ssm", "--apply", "--yes", "--overwrite")
    assert again.returncode == 0, again.stderr.decode()
    assert store.parameter("/repo/app/aws/token") == values["pat"]
    assert values["pat"] not in (repo / "app/aws.py").read_text()


def test_reviewed_plan_renames_and_stale_plan_is_refused(pair_repo, aws_env):
    repo, values = pair_repo
    assert migrate(repo, "--to", "ssm", "--prefix", "/shop/prod").returncode == 0
    plan_path = repo / ".keystow" / "plan.json"
    plan = json.loads(plan_path.read_text())
    assert {i["name"] for i in plan["items"]} == {"/shop/prod/app/aws/key_id",
                                                 "/shop/prod/app/aws/aws_secret_access_key", "/shop/prod/app/aws/token"}
    token = next(i for i in plan["items"] if i["name"].endswith("/token"))
    token["name"] = "/shop/prod/github/token"
    plan_path.write_text(json.dumps(plan))
    (repo / "app/aws.py").write_text((repo / "app/aws.py").read_text() + "# touched\n")
    stale = migrate(repo, "--apply", "--yes", "--plan", str(plan_path))
    assert stale.returncode == 2 and b"plan is stale: app/aws.py changed" in stale.stderr
    git(repo, "checkout", "--", "app/aws.py")
    applied = migrate(repo, "--apply", "--yes", "--plan", str(plan_path))
    assert applied.returncode == 0, applied.stderr.decode()
    store = StoreReader(aws_env)
    assert store.parameter("/shop/prod/github/token") == values["pat"]
    assert manifest(repo)["TOKEN"] == "ssm:/shop/prod/github/token"


def test_emit_iam_policy_names_exactly_the_targets(pair_repo, aws_env):
    repo, _ = pair_repo
    result = migrate(repo, "--to", "ssm", "--emit-iam-policy", "policy.json")
    assert result.returncode == 0, result.stderr.decode()
    policy = json.loads((repo / "policy.json").read_text())
    resources = [r for s in policy["Statement"] if "ssm:GetParameter" in s["Action"] for r in s["Resource"]]
    assert sorted(r.rsplit(":parameter", 1)[1] for r in resources) == [
        "/repo/app/aws/aws_secret_access_key", "/repo/app/aws/key_id", "/repo/app/aws/token"]


def test_database_uri_is_one_rotation_ready_secret(repo, aws_env):
    password = Fakes(43).chars("abcdefghKLMNOP23456789", 22)
    commit_file(repo, "app/db.py", f'import os\nDSN = "postgres://orders:{password}@db.internal:5433/shop"\n')
    result = migrate(repo, "--to", "secretsmanager", "--apply", "--yes")
    assert result.returncode == 0, result.stderr.decode()
    store = StoreReader(aws_env)
    assert json.loads(store.secret("repo/app/db/dsn_password")) == {
        "engine": "postgres", "host": "db.internal", "port": "5433", "username": "orders",
        "password": password, "dbname": "shop"}
    assert store.reference(manifest(repo)["DSN_PASSWORD"]) == password
    assert (repo / "app/db.py").read_text().endswith('"postgres://orders:" + os.environ["DSN_PASSWORD"] + '
                                                     '"@db.internal:5433/shop"\n')


def test_baselined_findings_are_not_migrated(pair_repo, aws_env):
    from tests.migrate.migrate_repo import run_in_process

    repo, values = pair_repo
    created = run_in_process(repo, "baseline", "create", ".")
    assert created.returncode == 0, created.stderr.decode()
    commit_file(repo, "app/new.py", f'TOKEN = "{Fakes(47).github_token()}"\n')
    assert migrate(repo, "--to", "ssm").returncode == 0
    plan = json.loads((repo / ".keystow" / "plan.json").read_text())
    assert [i["name"] for i in plan["items"]] == ["/repo/app/new/token"]

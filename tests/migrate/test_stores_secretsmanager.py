"""Secrets Manager adapter against a real moto server."""

from __future__ import annotations

import json

import boto3
import pytest

from keystow.migrate.stores import Conflict, StoreError, StoreTarget, open_store
from testing.fakes import Fakes

TAGS = {"managed-by": "keystow"}


def aws_key_pair(seed: int = 3) -> dict[str, str]:
    fakes = Fakes(seed)
    return {"aws_access_key_id": fakes.aws_access_key_id(), "aws_secret_access_key": fakes.aws_secret_access_key()}


def database(seed: int = 4) -> dict[str, object]:
    return {"engine": "postgres", "host": "db.internal", "port": 5432, "username": "app",
            "password": Fakes(seed).password(), "dbname": "orders"}


def test_grouped_secret_is_one_json_object(secrets_store):
    pair = aws_key_pair()
    result = secrets_store.put_json("myapp/aws", pair, TAGS)
    assert result.status == "created"
    raw = boto3.client("secretsmanager").get_secret_value(SecretId="myapp/aws")
    assert json.loads(raw["SecretString"]) == pair
    assert secrets_store.get_json("myapp/aws") == pair
    described = boto3.client("secretsmanager").describe_secret(SecretId="myapp/aws")
    assert {t["Key"]: t["Value"] for t in described["Tags"]} == TAGS


def test_database_secret_has_the_rotation_shape(secrets_store):
    db = database()
    secrets_store.put_json("myapp/db", db, TAGS)
    assert secrets_store.get_json("myapp/db") == db
    assert StoreTarget("secretsmanager", "myapp/db", "password").reference() == "secretsmanager:myapp/db#password"


def test_re_put_same_mapping_in_another_key_order_is_unchanged(secrets_store):
    db = database()
    first = secrets_store.put_json("myapp/db", db, TAGS)
    again = secrets_store.put_json("myapp/db", dict(reversed(list(db.items()))), TAGS)
    assert (again.status, again.version) == ("unchanged", first.version)


def test_plain_secret_conflict_and_overwrite(secrets_store):
    key = Fakes(5).rsa_private_key_pem()
    secrets_store.put("myapp/deploy_key", key, tags=TAGS)
    with pytest.raises(Conflict, match="myapp/deploy_key already exists with a different value") as info:
        secrets_store.put("myapp/deploy_key", "other", tags=TAGS)
    assert key not in str(info.value)
    updated = secrets_store.put("myapp/deploy_key", "other", tags=TAGS, overwrite=True)
    assert updated.status == "updated"
    assert secrets_store.get("myapp/deploy_key") == "other"
    previous = boto3.client("secretsmanager").get_secret_value(SecretId="myapp/deploy_key", VersionStage="AWSPREVIOUS")
    assert previous["SecretString"] == key  # a new version, nothing deleted


def test_a_name_pending_deletion_is_a_conflict(secrets_store):
    secrets_store.put("myapp/old", "value", tags={})
    boto3.client("secretsmanager").delete_secret(SecretId="myapp/old", RecoveryWindowInDays=7)
    with pytest.raises(Conflict, match="scheduled for deletion"):
        secrets_store.put("myapp/old", "value", tags={})
    assert secrets_store.get("myapp/old") is None


def test_customer_kms_key(aws_env):
    key_id = boto3.client("kms").create_key()["KeyMetadata"]["KeyId"]
    store = open_store("secretsmanager", kms_key_id=key_id, writes_per_second=1000)
    store.put("myapp/k", "v", tags={})
    assert boto3.client("secretsmanager").describe_secret(SecretId="myapp/k")["KmsKeyId"] == key_id


def test_get_many_batches_by_twenty(secrets_store):
    for i in range(25):
        secrets_store.put(f"myapp/s{i}", f"value-{i}", tags={})
    names = [f"myapp/s{i}" for i in range(25)] + ["myapp/absent"]
    assert secrets_store.get_many(names) == {f"myapp/s{i}": f"value-{i}" for i in range(25)}


def test_get_json_of_a_plain_secret_is_an_error(secrets_store):
    secrets_store.put("myapp/plain", "not json", tags={})
    with pytest.raises(StoreError, match="does not hold a JSON object"):
        secrets_store.get_json("myapp/plain")
    assert secrets_store.get_json("myapp/absent") is None


def test_arn_and_delete(secrets_store):
    secrets_store.put("myapp/x", "v", tags={})
    assert secrets_store.arn("myapp/x").startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:myapp/x-")
    assert secrets_store.arn("myapp/none").endswith(":secret:myapp/none-??????")
    secrets_store.delete("myapp/x")
    secrets_store.delete("myapp/x")
    assert secrets_store.get("myapp/x") is None


def test_rotation_needs_a_valid_schedule_and_lambda(secrets_store):
    secrets_store.put("myapp/rotating", "v", tags={})
    with pytest.raises(StoreError, match="1 to 1000"):
        secrets_store.configure_rotation("myapp/rotating", "arn:aws:lambda:us-east-1:123456789012:function:rot", 0)
    with pytest.raises(StoreError, match="secretsmanager rotate myapp/rotating"):
        secrets_store.configure_rotation("myapp/rotating", "arn:aws:lambda:us-east-1:123456789012:function:none", 30)


def test_rotation_with_a_real_moto_lambda(secrets_store, aws_env):
    import io
    import zipfile

    from tests.moto_server import moto_config

    moto_config(aws_env, {"lambda": {"use_docker": False}})
    role = boto3.client("iam").create_role(RoleName="rotation", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                 "Principal": {"Service": "lambda.amazonaws.com"}}]}))["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("rotate.py", "def handler(event, context):\n    return None\n")
    function = boto3.client("lambda").create_function(
        FunctionName="rotate", Runtime="python3.11", Role=role, Handler="rotate.handler",
        Code={"ZipFile": archive.getvalue()})["FunctionArn"]
    secrets_store.put_json("myapp/db", database(), TAGS)
    secrets_store.configure_rotation("myapp/db", function, 30)
    described = boto3.client("secretsmanager").describe_secret(SecretId="myapp/db")
    assert described["RotationEnabled"] is True
    assert (described["RotationLambdaARN"], described["RotationRules"]["AutomaticallyAfterDays"]) == (function, 30)


def test_a_reused_secret_gets_the_requested_tags_and_kms_key(aws_env):
    key_id = boto3.client("kms").create_key()["KeyMetadata"]["KeyId"]
    open_store("secretsmanager", writes_per_second=1000).put("app/reused", "same-value", tags={})
    store = open_store("secretsmanager", kms_key_id=key_id, writes_per_second=1000)
    assert store.put("app/reused", "same-value", tags={"team": "payments"}).status == "unchanged"
    description = boto3.client("secretsmanager").describe_secret(SecretId="app/reused")
    assert description["KmsKeyId"] == key_id
    assert {t["Key"]: t["Value"] for t in description["Tags"]} == {"team": "payments"}
    assert store.get("app/reused") == "same-value"

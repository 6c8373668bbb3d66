"""SSM Parameter Store adapter against a real moto server."""

from __future__ import annotations

import boto3
import pytest

from keystow.migrate.stores import (
    Conflict,
    KmsKeyNotFound,
    PutResult,
    StoreTarget,
    open_store,
)
from testing.fakes import Fakes

TAGS = {"managed-by": "keystow", "source": "repo/config/settings.py"}


def describe(name: str) -> dict:
    pages = boto3.client("ssm").describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [name]}])
    return pages["Parameters"][0]


def test_put_creates_a_tagged_securestring_in_the_standard_tier(ssm_store):
    value = Fakes(1).password()
    assert ssm_store.put("/app/db_password", value, tags=TAGS) == PutResult("/app/db_password", "1", "created")
    meta = describe("/app/db_password")
    assert (meta["Type"], meta["Tier"], meta["KeyId"]) == ("SecureString", "Standard", "alias/aws/ssm")
    tags = boto3.client("ssm").list_tags_for_resource(ResourceType="Parameter", ResourceId="/app/db_password")
    assert {t["Key"]: t["Value"] for t in tags["TagList"]} == TAGS
    assert ssm_store.get("/app/db_password") == value


def test_re_put_of_the_same_value_is_unchanged(ssm_store):
    ssm_store.put("/app/token", "same-value", tags=TAGS)
    assert ssm_store.put("/app/token", "same-value", tags=TAGS) == PutResult("/app/token", "1", "unchanged")


def test_different_value_is_a_conflict_unless_overwrite(ssm_store):
    ssm_store.put("/app/token", "first-value", tags={})
    with pytest.raises(Conflict, match="/app/token already exists with a different value") as info:
        ssm_store.put("/app/token", "second-value", tags={})
    assert "first-value" not in str(info.value) and "second-value" not in str(info.value)
    assert ssm_store.get("/app/token") == "first-value"

    result = ssm_store.put("/app/token", "second-value", tags=TAGS, overwrite=True)
    assert result == PutResult("/app/token", "2", "updated")
    history = boto3.client("ssm").get_parameter_history(Name="/app/token", WithDecryption=True)["Parameters"]
    assert [h["Value"] for h in history] == ["first-value", "second-value"]  # versioned, nothing deleted
    tags = boto3.client("ssm").list_tags_for_resource(ResourceType="Parameter", ResourceId="/app/token")
    assert {t["Key"] for t in tags["TagList"]} == set(TAGS)  # tagged after the overwrite


def test_customer_kms_key_is_used(aws_env):
    kms = boto3.client("kms")
    key_id = kms.create_key(Description="keystow test")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/keystow-test", TargetKeyId=key_id)
    store = open_store("ssm", kms_key_id="alias/keystow-test", writes_per_second=1000)
    store.put("/app/k", "v", tags={})
    assert describe("/app/k")["KeyId"] == "alias/keystow-test"
    assert store.kms_key_arn().endswith(f":key/{key_id}")


def test_a_missing_kms_key_fails_before_any_write(aws_env):
    store = open_store("ssm", kms_key_id="alias/does-not-exist", writes_per_second=1000)
    with pytest.raises(KmsKeyNotFound, match="alias/does-not-exist"):
        store.put("/app/k", "v", tags={})
    assert store.get("/app/k") is None


def test_advanced_tier_only_when_allowed(aws_env):
    value = "x" * 5000
    store = open_store("ssm", allow_advanced_tier=True, writes_per_second=1000)
    store.put("/app/big", value, tags={})
    assert describe("/app/big")["Tier"] == "Advanced"
    assert store.get("/app/big") == value
    assert store.put("/app/big", "small now", tags={}, overwrite=True).status == "updated"
    assert describe("/app/big")["Tier"] == "Advanced"  # AWS has no downgrade


def test_get_many_batches_and_skips_absent_names(ssm_store):
    for i in range(23):
        ssm_store.put(f"/app/p{i}", f"value-{i}", tags={})
    names = [f"/app/p{i}" for i in range(23)] + ["/app/absent"]
    assert ssm_store.get_many(names) == {f"/app/p{i}": f"value-{i}" for i in range(23)}
    assert ssm_store.get("/app/absent") is None


def test_arn_delete_and_reference(ssm_store):
    ssm_store.put("/app/x", "v", tags={})
    assert ssm_store.arn("/app/x") == "arn:aws:ssm:us-east-1:123456789012:parameter/app/x"
    ssm_store.delete("/app/x")
    ssm_store.delete("/app/x")  # absent: no error
    assert ssm_store.get("/app/x") is None
    assert StoreTarget("ssm", "/app/x").reference() == "ssm:/app/x"


def test_expected_duration_follows_the_configured_rate(aws_env):
    assert open_store("ssm").expected_duration(101) == pytest.approx(50.0)
    assert open_store("ssm", writes_per_second=10).expected_duration(11) == pytest.approx(1.0)
    assert open_store("secretsmanager").expected_duration(11) == pytest.approx(1.0)


def test_a_reused_parameter_gets_the_requested_tags_and_kms_key(aws_env):
    kms = boto3.client("kms")
    key_id = kms.create_key(Description="keystow reuse")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/keystow-reuse", TargetKeyId=key_id)
    open_store("ssm", writes_per_second=1000).put("/app/reused", "same-value", tags={})
    store = open_store("ssm", kms_key_id="alias/keystow-reuse", writes_per_second=1000)
    result = store.put("/app/reused", "same-value", tags=TAGS)
    assert result.status == "updated"  # a new version of the same value, under the requested key
    assert describe("/app/reused")["KeyId"] == "alias/keystow-reuse"
    assert store.get("/app/reused") == "same-value"
    tags = boto3.client("ssm").list_tags_for_resource(ResourceType="Parameter", ResourceId="/app/reused")
    assert {t["Key"]: t["Value"] for t in tags["TagList"]} == TAGS
    assert store.put("/app/reused", "same-value", tags=TAGS).status == "unchanged"  # already right: no new version

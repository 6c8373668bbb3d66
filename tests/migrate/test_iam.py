"""The least-privilege policy for migrated references, built against a moto server."""

from __future__ import annotations

import json

import boto3

from keystow.migrate.stores import StoreTarget, open_store
from keystow.migrate.stores.iam import policy_for, policy_json
from tests.throttle_proxy import ACCESS_DENIED, ThrottleProxy, always

ACCOUNT = "123456789012"


def by_sid(policy: dict) -> dict:
    return {s["Sid"]: s for s in policy["Statement"]}


def test_policy_grants_exactly_the_migrated_names(ssm_store, secrets_store):
    targets = [StoreTarget("ssm", "/app/db_password"), StoreTarget("ssm", "/app/token"),
               StoreTarget("secretsmanager", "app/aws", "aws_access_key_id"),
               StoreTarget("secretsmanager", "app/aws", "aws_secret_access_key")]
    policy = policy_for(targets, {"ssm": ssm_store, "secretsmanager": secrets_store})
    statements = by_sid(policy)
    assert policy["Version"] == "2012-10-17"
    assert statements["KeystowReadParameters"]["Action"] == ["ssm:GetParameter", "ssm:GetParameters"]
    assert statements["KeystowReadParameters"]["Resource"] == [
        f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/db_password",
        f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/app/token",
    ]
    assert (
        statements["KeystowReadSecrets"]["Resource"]
        == f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:app/aws-??????"
    )
    assert statements["KeystowBatchReadSecrets"]["Resource"] == "*"

    ssm_key = boto3.client("kms").describe_key(KeyId="alias/aws/ssm")["KeyMetadata"]["Arn"]
    decrypt = statements["KeystowDecryptParameters"]
    assert (decrypt["Action"], decrypt["Resource"]) == (["kms:Decrypt"], ssm_key)
    assert decrypt["Condition"] == {"StringEquals": {"kms:ViaService": "ssm.us-east-1.amazonaws.com"}}
    assert statements["KeystowDecryptSecrets"]["Condition"]["StringEquals"]["kms:ViaService"] == \
        "secretsmanager.us-east-1.amazonaws.com"
    # a valid policy document, as IAM parses it
    boto3.client("iam").create_policy(PolicyName="keystow-read", PolicyDocument=policy_json(policy))


def test_only_the_stores_used_appear(ssm_store):
    policy = policy_for([StoreTarget("ssm", "/app/x")], {"ssm": ssm_store})
    assert set(by_sid(policy)) == {"KeystowReadParameters", "KeystowDecryptParameters"}
    assert json.loads(policy_json(policy)) == policy


def test_customer_key_arn(aws_env):
    key = boto3.client("kms").create_key()["KeyMetadata"]
    boto3.client("kms").create_alias(AliasName="alias/app", TargetKeyId=key["KeyId"])
    store = open_store("ssm", kms_key_id="alias/app")
    policy = policy_for([StoreTarget("ssm", "/app/x")], {"ssm": store})
    assert by_sid(policy)["KeystowDecryptParameters"]["Resource"] == key["Arn"]


def test_without_describe_key_permission_the_alias_is_a_condition(aws_env):
    with ThrottleProxy(aws_env, [always("DescribeKey", ACCESS_DENIED)]) as proxy:
        store = open_store("ssm", endpoint_url=proxy.url, kms_key_id="alias/app")
        decrypt = by_sid(policy_for([StoreTarget("ssm", "/app/x")], {"ssm": store}))["KeystowDecryptParameters"]
    assert decrypt["Resource"] == f"arn:aws:kms:us-east-1:{ACCOUNT}:key/*"
    assert decrypt["Condition"]["ForAnyValue:StringEquals"] == {"kms:ResourceAliases": "alias/app"}

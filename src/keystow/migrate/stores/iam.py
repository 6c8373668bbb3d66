"""A least-privilege IAM policy for the application that reads migrated secrets: read access to
exactly those parameters and secrets, and kms:Decrypt on the key each store used, only when the
call comes through that store (kms:ViaService)."""

from __future__ import annotations

import json
from typing import Mapping

from keystow.migrate.stores import SecretStore, StoreTarget
from keystow.migrate.stores.errors import AccessDenied

READ_ACTIONS = {
    "ssm": ["ssm:GetParameter", "ssm:GetParameters"],
    "secretsmanager": ["secretsmanager:GetSecretValue"],
}
SIDS = {"ssm": "Parameters", "secretsmanager": "Secrets"}


def policy_for(targets: list[StoreTarget], stores: Mapping[str, SecretStore]) -> dict:
    """`stores` maps a store kind to the open store the targets were written with (its region,
    account and KMS key make the ARNs)."""
    statements = []
    for kind in ("ssm", "secretsmanager"):
        names = sorted({t.name for t in targets if t.store == kind})
        if not names:
            continue
        store = stores[kind]
        statements.append(_statement(f"KeystowRead{SIDS[kind]}", READ_ACTIONS[kind], [_arn(store, n) for n in names]))
        if kind == "secretsmanager":
            # BatchGetSecretValue has no resource-level control; it returns only the secrets
            # GetSecretValue above allows.
            statements.append(_statement("KeystowBatchReadSecrets", ["secretsmanager:BatchGetSecretValue"], ["*"]))
        statements.append(_decrypt_statement(kind, store))
    return {"Version": "2012-10-17", "Statement": statements}


def policy_json(policy: dict) -> str:
    return json.dumps(policy, indent=2) + "\n"


def _arn(store: SecretStore, name: str) -> str:
    # A secret's ARN ends in a random suffix: the pattern survives re-creation of the secret.
    return store.arn_pattern(name)


def _decrypt_statement(kind: str, store: SecretStore) -> dict:
    session = store.session
    condition = {"StringEquals": {"kms:ViaService": f"{kind}.{session.region}.amazonaws.com"}}
    try:
        resources = [store.kms_key_arn()]
    except AccessDenied:
        # No kms:DescribeKey permission: build the ARN from the key id, or match on the alias.
        key = store.kms_key_id or f"alias/aws/{kind}"
        prefix = f"arn:{session.partition}:kms:{session.region}:{session.account_id}:key/"
        if key.startswith("alias/"):
            resources = [prefix + "*"]
            condition["ForAnyValue:StringEquals"] = {"kms:ResourceAliases": key}
        else:
            resources = [key if key.startswith("arn:") else prefix + key]
    statement = _statement(f"KeystowDecrypt{SIDS[kind]}", ["kms:Decrypt"], resources)
    statement["Condition"] = condition
    return statement


def _statement(sid: str, actions: list[str], resources: list[str]) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": actions,
            "Resource": resources[0] if len(resources) == 1 else resources}

"""Secrets Manager: a secret holds one SecretString, either a plain value (a whole private key
file) or a JSON object grouping related values (an AWS key pair, a database's credentials in
the shape AWS rotation functions expect).

CreateSecret/PutSecretValue carry a ClientRequestToken botocore fills once per call, so SDK
retries are idempotent; a create that finds the name taken still reads back and compares. A
name pending deletion stays taken until the deletion completes, so it is a conflict.
"""

from __future__ import annotations

import json

from keystow.migrate.stores import PutResult
from keystow.migrate.stores.aws import AwsSession
from keystow.migrate.stores.errors import Conflict, StoreError, from_code, is_throttling
from keystow.migrate.stores.limits import (
    check_secret_name,
    check_secret_value,
    check_tags,
)
from keystow.migrate.stores.pacing import Backoff, Pacer

DEFAULT_KMS_KEY = "alias/aws/secretsmanager"
BATCH_READ = 20  # BatchGetSecretValue takes at most 20 ids
NOT_FOUND = "ResourceNotFoundException"


class SecretsManagerStore:
    kind = "secretsmanager"

    def __init__(self, session: AwsSession, *, kms_key_id: str | None = None, writes_per_second: float = 10.0,
                 backoff: Backoff | None = None) -> None:
        self.session = session
        self.kms_key_id = kms_key_id
        self.pacer = Pacer(writes_per_second, backoff)
        self._kms_checked = False

    def validate(self, name: str, value: str) -> None:
        check_secret_name(name)
        check_secret_value(value)

    def put(self, name: str, value: str, *, tags: dict[str, str], overwrite: bool = False) -> PutResult:
        return self._put(name, value, tags, overwrite, same=lambda current: current == value)

    def put_json(
        self, name: str, mapping: dict[str, object], tags: dict[str, str], overwrite: bool = False
    ) -> PutResult:
        """One secret holding several keys (`secretsmanager:name#key` reads one of them)."""
        value = json.dumps(mapping)
        return self._put(name, value, tags, overwrite, same=lambda current: _as_json(current) == mapping)

    def _put(self, name, value, tags, overwrite, same) -> PutResult:
        self.validate(name, value)
        check_tags(tags)
        self._check_kms_key()
        return self.pacer.run(lambda retried: self._put_once(name, value, tags, overwrite, same, retried),
                              is_throttling)

    def _put_once(self, name, value, tags, overwrite, same, retried) -> PutResult:
        params = {"Name": name, "SecretString": value}
        if tags:
            params["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        if self.kms_key_id:
            params["KmsKeyId"] = self.kms_key_id
        try:
            response = self._call("create_secret", "create", name, value, **params)
            return PutResult(name, response["VersionId"], "created")
        except StoreError as exc:
            if exc.code != "ResourceExistsException":
                raise
            return self._put_existing(name, value, tags, overwrite, same, retried or exc.retried)

    def _put_existing(self, name, value, tags, overwrite, same, retried) -> PutResult:
        description = self._call("describe_secret", "describe", name, SecretId=name)
        if description.get("DeletedDate"):
            raise Conflict(f"secret {name} is scheduled for deletion; restore it (aws secretsmanager "
                           "restore-secret) or choose another name")
        current = self._call("get_secret_value", "get", name, SecretId=name)
        if same(current.get("SecretString")):
            self._adopt(name, description, tags)
            return PutResult(name, current["VersionId"], "created" if retried else "unchanged")
        if not overwrite:
            raise Conflict(f"secret {name} already exists with a different value (--overwrite adds a new version)")
        response = self._call("put_secret_value", "update", name, value, SecretId=name, SecretString=value)
        if tags:
            self._call("tag_resource", "tag", name, SecretId=name,
                       Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
        return PutResult(name, response["VersionId"], "updated")

    def _adopt(self, name: str, description: dict, tags: dict[str, str]) -> None:
        """An existing secret that already holds the value gets the requested tags and KMS key."""
        if tags:
            self._call("tag_resource", "tag", name, SecretId=name,
                       Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
        if not self.kms_key_id:
            return
        current = description.get("KmsKeyId") or DEFAULT_KMS_KEY
        if current not in (self.kms_key_id, self.session.kms_key_arn(self.kms_key_id, "secretsmanager")):
            self._call("update_secret", "set the KMS key of", name, SecretId=name, KmsKeyId=self.kms_key_id)

    def _check_kms_key(self) -> None:
        if self.kms_key_id and not self._kms_checked:
            self.session.kms_key_arn(self.kms_key_id, "secretsmanager")
            self._kms_checked = True

    def get(self, name: str, version: str | None = None) -> str | None:
        """The current value, or the one of `version` (a VersionId) when given."""
        selector = {"VersionId": version} if version else {}
        try:
            return self._call("get_secret_value", "get", name, SecretId=name, **selector).get("SecretString")
        except StoreError as exc:
            # A secret pending deletion answers InvalidRequestException: it has no usable value.
            if exc.code in (NOT_FOUND, "InvalidRequestException"):
                return None
            raise

    def get_json(self, name: str, version: str | None = None) -> dict | None:
        value = self.get(name, version)
        if value is None:
            return None
        mapping = _as_json(value)
        if mapping is None:
            raise StoreError(f"secret {name} does not hold a JSON object")
        return mapping

    def get_many(self, names: list[str]) -> dict[str, str]:
        values: dict[str, str] = {}
        unique = list(dict.fromkeys(names))
        for start in range(0, len(unique), BATCH_READ):
            values.update(self._get_batch(unique[start:start + BATCH_READ]))
        return values

    def _get_batch(self, names: list[str]) -> dict[str, str]:
        response = self.session.call("secretsmanager", "batch_get_secret_value",
                                     f"secretsmanager get {len(names)} secrets", SecretIdList=names)
        for error in response.get("Errors", []):
            if error.get("ErrorCode") not in (NOT_FOUND, "InvalidRequestException"):
                raise from_code(error.get("ErrorCode", ""), error.get("Message", ""),
                                f"secretsmanager get {error.get('SecretId')}")
        wanted = set(names)
        values = {}
        for item in response.get("SecretValues", []):
            key = item["Name"] if item["Name"] in wanted else item["ARN"]
            if "SecretString" in item:
                values[key] = item["SecretString"]
        return values

    def arn(self, name: str) -> str:
        try:
            return self._call("describe_secret", "describe", name, SecretId=name)["ARN"]
        except StoreError as exc:
            if exc.code != NOT_FOUND:
                raise
            return self.arn_pattern(name)

    def arn_pattern(self, name: str) -> str:
        """Matches the secret whatever random suffix AWS gives it (and after re-creation)."""
        s = self.session
        return f"arn:{s.partition}:secretsmanager:{s.region}:{s.account_id}:secret:{name}-??????"

    def kms_key_arn(self) -> str:
        return self.session.kms_key_arn(self.kms_key_id or DEFAULT_KMS_KEY, "secretsmanager")

    def configure_rotation(self, name: str, lambda_arn: str, days: int) -> None:
        if not 1 <= days <= 1000:
            raise StoreError(f"rotation every {days} days: AWS allows 1 to 1000")
        self._call("rotate_secret", "rotate", name, SecretId=name, RotationLambdaARN=lambda_arn,
                   RotationRules={"AutomaticallyAfterDays": days}, RotateImmediately=False)

    def delete(self, name: str) -> None:
        try:
            self._call("delete_secret", "delete", name, SecretId=name, ForceDeleteWithoutRecovery=True)
        except StoreError as exc:
            if exc.code != NOT_FOUND:
                raise

    def expected_duration(self, n_writes: int) -> float:
        return self.pacer.expected_duration(n_writes)

    def _call(self, operation: str, verb: str, name: str, *secrets: str, **params):
        return self.session.call("secretsmanager", operation, f"secretsmanager {verb} {name}",
                                 secrets=secrets, **params)


def _as_json(value: str | None) -> dict | None:
    try:
        parsed = json.loads(value) if value is not None else None
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None

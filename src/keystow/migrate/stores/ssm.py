"""SSM Parameter Store: every value a SecureString, Standard tier unless it needs Advanced.

Writes never blindly overwrite: a put that finds the name taken reads the value back (with
decryption) and compares, because a retried PutParameter that had in fact succeeded answers
`ParameterAlreadyExists`. `Overwrite` and `Tags` are mutually exclusive, so an overwrite is
tagged afterwards with AddTagsToResource.
"""

from __future__ import annotations

from keystow.migrate.stores import PutResult
from keystow.migrate.stores.aws import AwsSession
from keystow.migrate.stores.errors import Conflict, StoreError, is_throttling
from keystow.migrate.stores.limits import check_ssm_name, check_ssm_value, check_tags
from keystow.migrate.stores.pacing import Backoff, Pacer

DEFAULT_KMS_KEY = "alias/aws/ssm"
BATCH_READ = 10  # GetParameters takes at most 10 names


class SsmStore:
    kind = "ssm"

    def __init__(self, session: AwsSession, *, kms_key_id: str | None = None, allow_advanced_tier: bool = False,
                 writes_per_second: float = 2.0, backoff: Backoff | None = None) -> None:
        self.session = session
        self.kms_key_id = kms_key_id
        self.allow_advanced_tier = allow_advanced_tier
        self.pacer = Pacer(writes_per_second, backoff)
        self._kms_checked = False

    def validate(self, name: str, value: str) -> None:
        check_ssm_name(name)
        check_ssm_value(value, self.allow_advanced_tier)

    def put(self, name: str, value: str, *, tags: dict[str, str], overwrite: bool = False) -> PutResult:
        self.validate(name, value)
        check_tags(tags)
        tier = check_ssm_value(value, self.allow_advanced_tier)
        self._check_kms_key()
        return self.pacer.run(lambda retried: self._put_once(name, value, tier, tags, overwrite, retried),
                              is_throttling)

    def _put_once(self, name, value, tier, tags, overwrite, retried) -> PutResult:
        try:
            tag_params = {"Tags": _tag_list(tags)} if tags else {}
            response = self._call("put_parameter", "put", name, value, **self._put_params(name, value, tier),
                                  **tag_params)
            return PutResult(name, str(response["Version"]), "created")
        except StoreError as exc:
            if exc.code != "ParameterAlreadyExists":
                raise
            return self._put_existing(name, value, tier, tags, overwrite, retried or exc.retried)

    def _put_existing(self, name, value, tier, tags, overwrite, retried) -> PutResult:
        current = self._read(name)
        if current is None:
            raise StoreError(f"ssm put {name}: the parameter exists but cannot be read back")
        current_value, version = current
        if current_value == value:
            # Our own earlier attempt may have written it; its version tells created from updated.
            status = ("created" if version == "1" else "updated") if retried else "unchanged"
            return self._adopt(name, value, tier, tags, PutResult(name, version, status))
        if not overwrite:
            raise Conflict(f"ssm parameter {name} already exists with a different value "
                           "(--overwrite adds a new version)")
        if tier == "Standard" and self._tier(name) == "Advanced":
            tier = "Advanced"  # AWS refuses to move a parameter back down to Standard
        response = self._call("put_parameter", "overwrite", name, value, Overwrite=True,
                              **self._put_params(name, value, tier))
        if tags:
            self._call("add_tags_to_resource", "tag", name, ResourceType="Parameter", ResourceId=name,
                       Tags=_tag_list(tags))
        return PutResult(name, str(response["Version"]), "updated")

    def _adopt(self, name: str, value: str, tier: str, tags: dict[str, str], found: PutResult) -> PutResult:
        """An existing parameter that already holds the value gets the requested tags, and the
        requested KMS key (a new version of the same value, the only way SSM re-encrypts)."""
        if tags:
            self._call("add_tags_to_resource", "tag", name, ResourceType="Parameter", ResourceId=name,
                       Tags=_tag_list(tags))
        if not self.kms_key_id or self._key_of(name) in (self.kms_key_id, self.kms_key_arn()):
            return found
        if tier == "Standard" and self._tier(name) == "Advanced":
            tier = "Advanced"
        response = self._call("put_parameter", "re-encrypt", name, value, Overwrite=True,
                              **self._put_params(name, value, tier))
        return PutResult(name, str(response["Version"]), "updated")

    def _key_of(self, name: str) -> str | None:
        found = self._call("describe_parameters", "describe", name,
                           ParameterFilters=[{"Key": "Name", "Values": [name]}])["Parameters"]
        return found[0].get("KeyId") if found else None

    def _put_params(self, name: str, value: str, tier: str) -> dict:
        params = {"Name": name, "Value": value, "Type": "SecureString", "Tier": tier}
        if self.kms_key_id:
            params["KeyId"] = self.kms_key_id
        return params

    def _tier(self, name: str) -> str:
        found = self._call("describe_parameters", "describe", name,
                           ParameterFilters=[{"Key": "Name", "Values": [name]}])["Parameters"]
        return found[0].get("Tier", "Standard") if found else "Standard"

    def _check_kms_key(self) -> None:
        """Fail before the first write if a customer key does not exist (moto would accept it)."""
        if self.kms_key_id and not self._kms_checked:
            self.session.kms_key_arn(self.kms_key_id, "ssm")
            self._kms_checked = True

    def get(self, name: str) -> str | None:
        current = self._read(name)
        return None if current is None else current[0]

    def _read(self, name: str) -> tuple[str, str] | None:
        try:
            parameter = self._call("get_parameter", "get", name, Name=name, WithDecryption=True)["Parameter"]
        except StoreError as exc:
            if exc.code == "ParameterNotFound":
                return None
            raise
        return parameter["Value"], str(parameter["Version"])

    def get_many(self, names: list[str]) -> dict[str, str]:
        values: dict[str, str] = {}
        unique = list(dict.fromkeys(names))
        for start in range(0, len(unique), BATCH_READ):
            chunk = unique[start:start + BATCH_READ]
            response = self.session.call("ssm", "get_parameters", f"ssm get {len(chunk)} parameters",
                                         Names=chunk, WithDecryption=True)
            values.update({p["Name"]: p["Value"] for p in response["Parameters"]})
        return values

    def arn(self, name: str) -> str:
        s = self.session
        return f"arn:{s.partition}:ssm:{s.region}:{s.account_id}:parameter/{name.lstrip('/')}"

    def arn_pattern(self, name: str) -> str:
        """A parameter's ARN has no random suffix: it is its own pattern."""
        return self.arn(name)

    def kms_key_arn(self) -> str:
        return self.session.kms_key_arn(self.kms_key_id or DEFAULT_KMS_KEY, "ssm")

    def put_json(self, name: str, mapping: dict[str, object], tags: dict[str, str],
                 overwrite: bool = False) -> PutResult:
        raise StoreError(f"ssm:{name}: Parameter Store holds one value per name; grouped keys need secretsmanager")

    def get_json(self, name: str, version: str | None = None) -> dict | None:
        raise StoreError(f"ssm:{name}: Parameter Store holds one value per name; grouped keys need secretsmanager")

    def configure_rotation(self, name: str, lambda_arn: str, days: int) -> None:
        raise StoreError(f"ssm:{name}: Parameter Store has no rotation; use secretsmanager")

    def delete(self, name: str) -> None:
        try:
            self._call("delete_parameter", "delete", name, Name=name)
        except StoreError as exc:
            if exc.code != "ParameterNotFound":
                raise

    def expected_duration(self, n_writes: int) -> float:
        return self.pacer.expected_duration(n_writes)

    def _call(self, operation: str, verb: str, name: str, *secrets: str, **params):
        return self.session.call("ssm", operation, f"ssm {verb} {name}", secrets=secrets, **params)


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]

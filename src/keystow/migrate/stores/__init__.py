"""The narrow interface every secret store offers, and `open_store` to get one.

Callers (the migration plan, `keystow run`, `keystow.resolve`) see only `SecretStore`,
`StoreTarget`, `PutResult` and the error types; boto3 stays inside the two adapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from keystow.migrate.stores.errors import (
    AccessDenied,
    Conflict,
    InvalidName,
    InvalidValue,
    KmsKeyNotFound,
    LimitExceeded,
    MissingReference,
    StoreError,
    Throttled,
    ValueTooLarge,
)

if TYPE_CHECKING:
    # late: import cycle: the adapters import this package for PutResult and the errors
    from keystow.migrate.stores.aws import AwsSession

__all__ = [  # the interface, with its error types
    "AccessDenied", "Conflict", "InvalidName", "InvalidValue", "KmsKeyNotFound", "LimitExceeded",
    "MissingReference", "PutResult", "SecretStore", "StoreError", "StoreTarget", "Throttled",
    "ValueTooLarge", "open_store", "parse_reference",
]

STORE_KINDS = ("ssm", "secretsmanager")
DEFAULT_WRITES_PER_SECOND = {"ssm": 2.0, "secretsmanager": 10.0}


@dataclass(frozen=True)
class StoreTarget:
    store: str
    name: str
    key: str | None = None

    def reference(self) -> str:
        """The manifest / `keystow.resolve` syntax: `ssm:/app/x` or `secretsmanager:name#key`."""
        suffix = f"#{self.key}" if self.key else ""
        return f"{self.store}:{self.name}{suffix}"


# A manifest file entry's reference with this prefix names a value stored base64-encoded: a binary
# file (a keystore) that `keystow run --file` writes back as the decoded bytes.
BASE64_PREFIX = "base64:"


def parse_reference(reference: str) -> StoreTarget:
    store, sep, rest = reference.partition(":")
    if not sep or store not in STORE_KINDS or not rest:
        raise StoreError(f"invalid reference {reference!r}: expected ssm:/name or secretsmanager:name[#key]")
    if store == "ssm":
        return StoreTarget("ssm", rest)
    name, _, key = rest.partition("#")
    if not name:
        raise StoreError(f"invalid reference {reference!r}: no secret name")
    return StoreTarget("secretsmanager", name, key or None)


@dataclass(frozen=True)
class PutResult:
    target_name: str
    version: str
    status: str  # "created" | "unchanged" | "updated"


class SecretStore(Protocol):
    """What both adapters (ssm.py, secretsmanager.py) offer. Parameter Store has no JSON
    secrets and no rotation: its `put_json`, `get_json` and `configure_rotation` raise StoreError."""

    kind: str
    session: AwsSession  # region, partition and account for IAM policies
    kms_key_id: str | None  # None: the store's AWS-managed key

    def validate(self, name: str, value: str) -> None: ...
    def put(self, name: str, value: str, *, tags: dict[str, str], overwrite: bool = False) -> PutResult: ...
    def put_json(self, name: str, mapping: dict[str, object], tags: dict[str, str],
                 overwrite: bool = False) -> PutResult: ...
    def get(self, name: str) -> str | None: ...
    def get_json(self, name: str, version: str | None = None) -> dict | None: ...  # version: SM VersionId
    def get_many(self, names: list[str]) -> dict[str, str]: ...
    def arn(self, name: str) -> str: ...
    def arn_pattern(self, name: str) -> str: ...  # for IAM: matches the entry after re-creation too
    def kms_key_arn(self) -> str: ...
    def configure_rotation(self, name: str, lambda_arn: str, days: int) -> None: ...
    def delete(self, name: str) -> None: ...
    def expected_duration(self, n_writes: int) -> float: ...


def open_store(kind: str, *, region: str | None = None, endpoint_url: str | None = None,
               kms_key_id: str | None = None, allow_advanced_tier: bool = False,
               writes_per_second: float | None = None, aws_max_attempts: int | None = None) -> SecretStore:
    """A store of `kind`; region and endpoint default to boto3's own (AWS_REGION,
    AWS_ENDPOINT_URL, the profile). `aws_max_attempts` bounds botocore's own retries (default 10)."""
    # late: import cycle: the adapters import this package for PutResult and the errors
    from keystow.migrate.stores.aws import AwsSession

    if kind not in STORE_KINDS:
        raise StoreError(f"unknown store {kind!r}: expected one of {', '.join(STORE_KINDS)}")
    session = AwsSession(region=region, endpoint_url=endpoint_url, max_attempts=aws_max_attempts)
    rate = writes_per_second or DEFAULT_WRITES_PER_SECOND[kind]
    if kind == "ssm":
        # late: import cycle: the adapters import this package for PutResult and the errors
        from keystow.migrate.stores.ssm import SsmStore

        return SsmStore(session, kms_key_id=kms_key_id, allow_advanced_tier=allow_advanced_tier,
                        writes_per_second=rate)
    # late: import cycle: the adapters import this package for PutResult and the errors
    from keystow.migrate.stores.secretsmanager import SecretsManagerStore

    return SecretsManagerStore(session, kms_key_id=kms_key_id, writes_per_second=rate)

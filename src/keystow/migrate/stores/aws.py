"""One AWS session per store: clients built lazily with keystow's retry configuration, the
caller's account id, and the single place where a botocore call's errors are translated."""

from __future__ import annotations

import os
from functools import cached_property, lru_cache
from typing import Any

from keystow.migrate.stores.errors import StoreError, is_botocore_error, translate

MAX_ATTEMPTS = 10  # botocore's "standard" retry mode, each call at most this often


class AwsSession:
    def __init__(self, region: str | None = None, endpoint_url: str | None = None,
                 max_attempts: int | None = None) -> None:
        self.endpoint_url = endpoint_url or None
        self.max_attempts = max_attempts or MAX_ATTEMPTS
        self._region = region
        self._clients: dict[str, Any] = {}

    @cached_property
    def _boto_session(self):
        try:
            # late: botocore comes with the optional `aws` extra (boto3); clients need nothing more
            import botocore.session
        except ModuleNotFoundError as exc:
            raise StoreError("AWS support needs boto3: pip install 'keystow[aws]'") from exc
        try:
            session = botocore.session.Session(profile=os.environ.get("AWS_PROFILE") or None)
            session.register_component("data_loader", _shared_loader())
            return session
        except Exception as exc:
            if is_botocore_error(exc):
                raise translate(exc, "AWS session") from None
            raise

    @property
    def region(self) -> str:
        region = self._region or self._boto_session.get_config_variable("region") or os.environ.get("AWS_REGION")
        if not region:
            raise StoreError("no AWS region; pass --region or set AWS_REGION")
        return region

    def check_ready(self) -> None:
        """A region and credentials, resolved locally (no request sent): called before a run
        writes its plan or journal, so a missing one stops it with nothing written."""
        region = self.region
        try:
            credentials = self._boto_session.get_credentials()
        except Exception as exc:
            if is_botocore_error(exc):  # a broken profile, an unreadable credentials file
                raise translate(exc, "AWS credentials") from None
            raise
        if credentials is None:
            raise StoreError(f"no AWS credentials for region {region}; set AWS_PROFILE or AWS_ACCESS_KEY_ID and "
                             "AWS_SECRET_ACCESS_KEY, or run where a role is available (nothing was written)")

    @property
    def partition(self) -> str:
        if self.region.startswith("cn-"):
            return "aws-cn"
        return "aws-us-gov" if self.region.startswith("us-gov-") else "aws"

    def client(self, service: str):
        if service not in self._clients:
            session = self._boto_session  # first: says which extra to install when botocore is missing
            # late: botocore comes with the optional `aws` extra, loaded (with its error) by _boto_session
            from botocore.config import Config

            config = Config(retries={"mode": "standard", "total_max_attempts": self.max_attempts},
                            connect_timeout=10, read_timeout=30)
            try:
                self._clients[service] = session.create_client(
                    service, region_name=self.region, endpoint_url=self.endpoint_url, config=config)
            except Exception as exc:
                if is_botocore_error(exc):
                    raise translate(exc, f"{service} client") from None
                raise
        return self._clients[service]

    def call(self, service: str, operation: str, what: str, *, secrets: tuple[str, ...] = (), **params):
        """`client.operation(**params)`, with botocore errors turned into StoreError subclasses.

        `secrets` are values the request carries: they are redacted from any error text."""
        try:
            return getattr(self.client(service), operation)(**params)
        except Exception as exc:
            if is_botocore_error(exc):
                raise translate(exc, what, secrets) from None
            raise

    def call_as(self, key_id: str, secret: str, service: str, operation: str, what: str, **params):
        """`call`, signed with the given access key instead of the session's own credentials
        (proving a freshly created key works). The client is not kept: the key is not ours."""
        session = self._boto_session
        # late: botocore comes with the optional `aws` extra, loaded (with its error) by _boto_session
        from botocore.config import Config

        config = Config(retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=10, read_timeout=30)
        try:
            client = session.create_client(service, region_name=self.region, endpoint_url=self.endpoint_url,
                                           config=config, aws_access_key_id=key_id, aws_secret_access_key=secret)
            return getattr(client, operation)(**params)
        except Exception as exc:
            if is_botocore_error(exc):
                raise translate(exc, what, (secret,)) from None
            raise

    @cached_property
    def account_id(self) -> str:
        return self.call("sts", "get_caller_identity", "sts get-caller-identity")["Account"]

    def kms_key_arn(self, key_id: str, service: str) -> str:
        """The ARN of a key id, ARN or alias (as `service` would use it)."""
        if key_id.startswith("arn:") and ":key/" in key_id:
            return key_id
        metadata = self.call("kms", "describe_key", f"{service} kms describe-key {key_id}", KeyId=key_id)
        return metadata["KeyMetadata"]["Arn"]


@lru_cache(maxsize=1)
def _shared_loader():
    """One loader for every session: parsing the service models is the slow part of a client."""
    # late: botocore comes with the optional `aws` extra, loaded (with its error) by _boto_session
    from botocore.loaders import create_loader

    return create_loader()

"""AWS key pairs: STS GetCallerIdentity through boto3 (lazy: only `--verify` with an AWS key
pays for the import). The endpoint is boto3's own: AWS_ENDPOINT_URL is honoured."""

from __future__ import annotations

from keystow.errors import FatalError
from keystow.verify.model import ACTIVE, INACTIVE, Verdict, unknown

# the key id is unknown, or the secret does not belong to it
INACTIVE_CODES = {"InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "AuthFailure"}


def verify_key_pair(key_id: str, secret_key: str, timeout: float) -> Verdict:
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise FatalError("verifying AWS keys needs boto3: pip install 'keystow[aws]'") from None
    config = Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 1})
    client = boto3.session.Session().client(
        "sts", aws_access_key_id=key_id, aws_secret_access_key=secret_key, aws_session_token=None,
        region_name="us-east-1", config=config)
    try:
        client.get_caller_identity()
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        return Verdict(INACTIVE) if code in INACTIVE_CODES else unknown(code or "AWS error")
    except BotoCoreError as error:
        return unknown(type(error).__name__)
    return Verdict(ACTIVE)

"""The stores' own error types, and the one place botocore errors become them.

Messages are one line and never carry a secret value: AWS validation messages can echo the value
they rejected, so only the error code (and, for access denials, the message with any known
value redacted) ever reaches the user.
"""

from __future__ import annotations

from keystow.errors import FatalError


class StoreError(FatalError):
    """An AWS store failed in an expected way (exit 2).

    `code` is the AWS error code when there is one; `retried` says botocore had retried the
    request before this answer (so an "already exists" may be our own earlier attempt)."""

    code: str = ""
    retried: bool = False


class AccessDenied(StoreError):
    """The caller's identity may not do this."""


class KmsKeyNotFound(StoreError):
    """The KMS key given for encryption does not exist or is unusable."""


class Throttled(StoreError):
    """AWS kept throttling after every retry."""


class LimitExceeded(StoreError):
    """An account, hierarchy, tag or version limit."""


class InvalidName(StoreError):
    """A parameter or secret name that AWS would reject."""


class InvalidValue(StoreError):
    """A value AWS would reject for a reason other than size (e.g. empty)."""


class ValueTooLarge(StoreError):
    """A value above the store's size limit."""


class Conflict(StoreError):
    """The name exists with a different value (or is pending deletion)."""


class MissingReference(StoreError):
    """A reference that names no parameter or secret."""


THROTTLING_CODES = frozenset({
    "ThrottlingException", "Throttling", "TooManyUpdates", "TooManyRequestsException",
    "RequestLimitExceeded", "ThrottledException", "RequestThrottled", "SlowDown",
})
KMS_NOT_FOUND_CODES = frozenset({
    "InvalidKeyId", "NotFoundException", "KMSNotFoundException", "KMSInvalidStateException",
    "DisabledException", "KMSDisabledException", "InvalidKeyUsageException",
})
ACCESS_CODES = frozenset({"UnauthorizedOperation", "UnauthorizedException"})
CREDENTIAL_CODES = frozenset({
    "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
    "InvalidSignatureException", "SignatureDoesNotMatch",
})
NAME_CODES = frozenset({"ParameterPatternMismatchException", "HierarchyTypeMismatchException"})
VALIDATION_CODES = frozenset({"ValidationException", "InvalidParameterException", "InvalidParameterValue"})


def error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def translate(exc: Exception, what: str, secrets: tuple[str, ...] = ()) -> StoreError:
    """Turn a botocore exception raised while doing `what` (e.g. "ssm put /app/x") into a
    StoreError subclass with one clear line."""
    code = error_code(exc)
    error = _from_client_error(code, _safe_message(exc, secrets), what) if code else _from_transport_error(exc, what)
    error.code = code
    error.retried = bool(getattr(exc, "response", {}).get("ResponseMetadata", {}).get("RetryAttempts"))
    return error


def from_code(code: str, message: str, what: str) -> StoreError:
    """For errors reported inside a successful response (BatchGetSecretValue's `Errors`)."""
    error = _from_client_error(code, " ".join(message.split())[:300], what)
    error.code = code
    return error


def is_throttling(exc: Exception) -> bool:
    return getattr(exc, "code", None) in THROTTLING_CODES


def _from_client_error(code: str, message: str, what: str) -> StoreError:
    lowered = message.lower()
    if code.startswith("AccessDenied") or code in ACCESS_CODES:
        return AccessDenied(f"{what}: access denied ({code}): {message}")
    if code in CREDENTIAL_CODES:
        return AccessDenied(f"{what}: AWS rejected the credentials ({code}); check AWS_PROFILE or the access keys")
    if code in KMS_NOT_FOUND_CODES or ("kms" in lowered and "not found" in lowered):
        return KmsKeyNotFound(f"{what}: the KMS key was not found or cannot be used ({code})")
    if code in THROTTLING_CODES:
        return Throttled(f"{what}: AWS is still throttling after all retries ({code}); lower the write rate and resume")
    if code.endswith("LimitExceeded") or code.endswith("LimitExceededException") or code == "TooManyTagsException":
        return LimitExceeded(f"{what}: an AWS limit was exceeded ({code})")
    if code in NAME_CODES or (code in VALIDATION_CODES and "name" in lowered):
        return InvalidName(f"{what}: AWS rejected the name ({code})")
    if code in VALIDATION_CODES:
        return InvalidValue(f"{what}: AWS rejected the request ({code})")
    return StoreError(f"{what}: AWS error {code}")


def _from_transport_error(exc: Exception, what: str) -> StoreError:
    kind = type(exc).__name__
    if kind in {"EndpointConnectionError", "ConnectTimeoutError", "ConnectionClosedError", "ReadTimeoutError"}:
        endpoint = getattr(exc, "kwargs", {}).get("endpoint_url", "")
        return StoreError(f"{what}: cannot reach AWS endpoint {endpoint} ({kind})".replace("  ", " "))
    if kind in {"NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError"}:
        return StoreError(f"{what}: no usable AWS credentials; set AWS_PROFILE or AWS_ACCESS_KEY_ID and "
                          "AWS_SECRET_ACCESS_KEY (or run `aws sso login`)")
    if kind == "NoRegionError":
        return StoreError(f"{what}: no AWS region; pass --region or set AWS_REGION")
    if kind == "ProfileNotFound":
        return StoreError(f"{what}: the AWS profile in AWS_PROFILE does not exist")
    return StoreError(f"{what}: AWS request failed ({kind})")


def _safe_message(exc: Exception, secrets: tuple[str, ...]) -> str:
    message = str(getattr(exc, "response", {}).get("Error", {}).get("Message", ""))
    for secret in secrets:
        if secret:
            message = message.replace(secret, "***")
    return " ".join(message.split())[:300]


def is_botocore_error(exc: Exception) -> bool:
    return any(cls.__module__.startswith("botocore") for cls in type(exc).__mro__)

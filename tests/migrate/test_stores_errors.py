"""AWS errors become the stores' own one-line errors; throttling is ridden out. Errors are
injected by a loopback proxy in front of the moto server."""

from __future__ import annotations

import pytest

from keystow.migrate.stores import (
    AccessDenied,
    KmsKeyNotFound,
    LimitExceeded,
    StoreError,
    Throttled,
    open_store,
)
from tests.throttle_proxy import (
    ACCESS_DENIED,
    THROTTLE,
    TOO_MANY_UPDATES,
    Fault,
    ThrottleProxy,
    always,
    first_k,
)

SECRET = "s3cr3t-value-never-shown"


def store_behind(proxy: ThrottleProxy, kind: str = "ssm"):
    return open_store(kind, endpoint_url=proxy.url, writes_per_second=1000)


def one_line_without_secret(error: Exception) -> str:
    text = str(error)
    assert "\n" not in text and SECRET not in text
    return text


def test_access_denied(aws_env):
    with ThrottleProxy(aws_env, [always("PutParameter", ACCESS_DENIED)]) as proxy:
        with pytest.raises(AccessDenied) as info:
            store_behind(proxy).put("/app/x", SECRET, tags={})
    text = one_line_without_secret(info.value)
    assert text.startswith("ssm put /app/x: access denied (AccessDeniedException)")


@pytest.mark.parametrize("fault,error", [
    (Fault("InvalidKeyId", "KeyId alias/x is not found"), KmsKeyNotFound),
    (Fault("ParameterLimitExceeded", "too many"), LimitExceeded),
    (Fault("HierarchyLevelLimitExceededException", "15 levels"), LimitExceeded),
    (Fault("ValidationException", f"Value '{SECRET}' at 'value' failed to satisfy constraint"), StoreError),
    (Fault("InternalFailure", "boom", status=400), StoreError),
])
def test_client_errors_are_translated(aws_env, fault, error):
    with ThrottleProxy(aws_env, [always("PutParameter", fault)]) as proxy:
        with pytest.raises(error) as info:
            store_behind(proxy).put("/app/x", SECRET, tags={})
    assert fault.code in one_line_without_secret(info.value)


def test_access_denied_on_secrets_manager_batch_read(aws_env):
    with ThrottleProxy(aws_env, [always("BatchGetSecretValue", ACCESS_DENIED)]) as proxy:
        with pytest.raises(AccessDenied, match="secretsmanager get 1 secrets"):
            store_behind(proxy, "secretsmanager").get_many(["myapp/x"])


def test_throttling_then_success_is_retried(aws_env):
    rules = [first_k("PutParameter", 2, THROTTLE)]
    with ThrottleProxy(aws_env, rules) as proxy:
        store = store_behind(proxy)
        assert store.put("/app/x", SECRET, tags={}).status == "created"
    assert proxy.injected["ThrottlingException"] == 2
    assert store.get("/app/x") == SECRET


def test_too_many_updates_is_retried_by_keystow(aws_env):
    """botocore does not retry TooManyUpdates; keystow must."""
    with ThrottleProxy(aws_env, [first_k("PutParameter", 3, TOO_MANY_UPDATES)]) as proxy:
        assert store_behind(proxy).put("/app/x", SECRET, tags={}).status == "created"
    assert proxy.seen["PutParameter"] == 4


def test_lost_response_after_a_successful_put_reads_back_and_compares(aws_env):
    """The first put reaches the store but the client sees a throttle: the retry answers
    ParameterAlreadyExists, which keystow resolves by reading the value back."""
    lost = Fault("TooManyUpdates", "lost", forward=True)
    with ThrottleProxy(aws_env, [first_k("PutParameter", 1, lost)]) as proxy:
        result = store_behind(proxy).put("/app/x", SECRET, tags={})
    assert (result.status, result.version) == ("created", "1")
    assert proxy.seen["PutParameter"] == 2 and proxy.seen["GetParameter"] == 1


def test_endless_throttling_gives_up_with_one_clear_line(aws_env):
    from keystow.migrate.stores.pacing import Backoff

    with ThrottleProxy(aws_env, [always("PutParameter", TOO_MANY_UPDATES)]) as proxy:
        store = store_behind(proxy)
        store.pacer.backoff = Backoff(attempts=3, base=0.01)
        with pytest.raises(Throttled, match="still throttling") as info:
            store.put("/app/x", SECRET, tags={})
    one_line_without_secret(info.value)
    assert proxy.seen["PutParameter"] == 3


def test_unreachable_endpoint_is_one_line(aws_env):
    store = open_store("ssm", endpoint_url="http://127.0.0.1:9", aws_max_attempts=2)
    with pytest.raises(StoreError, match=r"^ssm get /app/x: cannot reach AWS endpoint http://127.0.0.1:9") as info:
        store.get("/app/x")
    one_line_without_secret(info.value)


def test_missing_credentials_gives_a_hint(aws_env, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(StoreError, match="no usable AWS credentials; set AWS_PROFILE"):
        open_store("ssm").get("/app/x")

"""keystow's own checks of AWS limits. moto enforces none of them, so each case runs against a
store behind a counting proxy: the error must come before any request reaches AWS."""

from __future__ import annotations

import pytest

from keystow.migrate.stores import (
    InvalidName,
    InvalidValue,
    LimitExceeded,
    ValueTooLarge,
    open_store,
)
from tests.throttle_proxy import ThrottleProxy


@pytest.fixture
def counting(aws_env):
    with ThrottleProxy(aws_env) as proxy:
        yield proxy


def store(kind: str, proxy: ThrottleProxy, **options):
    return open_store(kind, endpoint_url=proxy.url, writes_per_second=1000, **options)


DEEP = "".join(f"/l{i}" for i in range(16))


@pytest.mark.parametrize("name", [
    "/app/with space", "/app/dollar$", "relative/path", "/app//empty", "/app/trailing/",
    DEEP, "/" + "a" * 1011, "/aws/reserved", "/AWSthing/x", "/ssm/x", "ssmname", "",
])
def test_invalid_ssm_names(counting, name):
    with pytest.raises(InvalidName):
        store("ssm", counting).put(name, "value", tags={})
    assert not counting.seen


@pytest.mark.parametrize("name", ["/app/x", "plain_name", "/a.b-c_d/E9", "".join(f"/l{i}" for i in range(15))])
def test_valid_ssm_names(counting, name):
    store("ssm", counting).validate(name, "value")


def test_ssm_value_sizes_are_bytes(counting):
    ssm = store("ssm", counting)
    ssm.validate("/app/x", "x" * 4096)
    with pytest.raises(ValueTooLarge, match="4098 bytes.*Standard tier"):
        ssm.put("/app/x", "é" * 2049, tags={})  # 2,049 characters, 4,098 bytes
    with pytest.raises(ValueTooLarge, match="at most 8192"):
        store("ssm", counting, allow_advanced_tier=True).put("/app/x", "x" * 8193, tags={})
    with pytest.raises(InvalidValue):
        ssm.put("/app/x", "", tags={})
    assert not counting.seen


@pytest.mark.parametrize("name", ["my secret", "a" * 513, "ends-abcdef", "db-AbC123", "bad#name", ""])
def test_invalid_secret_names(counting, name):
    with pytest.raises(InvalidName):
        store("secretsmanager", counting).put(name, "value", tags={})
    assert not counting.seen


def test_secret_value_limit(counting):
    sm = store("secretsmanager", counting)
    sm.validate("myapp/ok", "x" * 65536)
    with pytest.raises(ValueTooLarge, match="65537 bytes"):
        sm.put("myapp/big", "x" * 65537, tags={})
    with pytest.raises(ValueTooLarge):
        sm.put_json("myapp/big", {"k": "x" * 65536}, {})
    assert not counting.seen


@pytest.mark.parametrize("tags,error", [
    ({f"k{i}": "v" for i in range(51)}, LimitExceeded),
    ({"k" * 129: "v"}, InvalidName),
    ({"k": "v" * 257}, InvalidName),
    ({"aws:reserved": "v"}, InvalidName),
    ({"k": "semi;colon"}, InvalidName),
])
@pytest.mark.parametrize("kind", ["ssm", "secretsmanager"])
def test_tag_limits(counting, kind, tags, error):
    with pytest.raises(error):
        store(kind, counting).put("name1", "value", tags=tags)
    assert not counting.seen


def test_fifty_tags_are_fine(ssm_store):
    tags = {f"k{i}": f"v {i}" for i in range(50)}
    assert ssm_store.put("/app/tagged", "value", tags=tags).status == "created"

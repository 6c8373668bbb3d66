"""A bulk migration of 1,000 secrets completes against a server that throttles.

The proxy answers some PutParameter requests with ThrottlingException (botocore retries
those), some with TooManyUpdates (keystow retries those itself), and loses some responses after
the write happened (the retry then meets ParameterAlreadyExists and must read back and compare).
"""

from __future__ import annotations

from keystow.migrate.stores import open_store
from testing.fakes import Fakes
from tests.throttle_proxy import (
    THROTTLE,
    TOO_MANY_UPDATES,
    Fault,
    ThrottleProxy,
    every_nth,
)

COUNT = 1000
LOST_RESPONSE = Fault("TooManyUpdates", "lost after the write", forward=True)


def test_thousand_ssm_puts_through_a_throttling_server(aws_env):
    fakes = Fakes(11)
    values = {f"/bulk/app/secret_{i:04d}": fakes.password(24) for i in range(COUNT)}
    rules = [every_nth("PutParameter", 250, THROTTLE),
             every_nth("PutParameter", 40, TOO_MANY_UPDATES, offset=13),
             every_nth("PutParameter", 100, LOST_RESPONSE, offset=51)]
    with ThrottleProxy(aws_env, rules) as proxy:
        store = open_store("ssm", endpoint_url=proxy.url, writes_per_second=5000)
        statuses = [store.put(name, value, tags={"managed-by": "keystow"}).status for name, value in values.items()]
        stored = store.get_many(list(values))

    assert statuses == ["created"] * COUNT  # a lost response is still our own creation
    assert stored == values
    assert proxy.injected["ThrottlingException"] >= 4
    assert proxy.injected["TooManyUpdates"] >= 30
    assert proxy.seen["GetParameter"] >= 9  # read back after each lost response
    assert proxy.seen["GetParameters"] == COUNT // 10

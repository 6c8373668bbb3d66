"""Stores aimed at the moto server (through `aws_env`), with pacing fast enough for tests."""

from __future__ import annotations

import pytest

from keystow.migrate import runtime
from keystow.migrate.stores import open_store

FAST = 1000.0  # writes per second: the token bucket never waits in tests


@pytest.fixture
def ssm_store(aws_env):
    return open_store("ssm", writes_per_second=FAST)


@pytest.fixture
def secrets_store(aws_env):
    return open_store("secretsmanager", writes_per_second=FAST)


@pytest.fixture(autouse=True)
def _fresh_runtime_cache():
    runtime.clear_cache()
    yield
    runtime.clear_cache()

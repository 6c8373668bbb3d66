"""pytest plugin: a real moto server in a separate process on a free 127.0.0.1 port.

`moto_server` (session) yields the endpoint URL; `aws_env` (per test) points boto3 at it with
dummy credentials and resets moto's state, so every test starts with empty stores. Under
pytest-xdist each worker starts its own server.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from testing.local_moto import MotoDidNotStart, local_moto_server, reset

START_TIMEOUT = 30.0


@pytest.fixture(scope="session")
def moto_server():
    try:
        with local_moto_server(START_TIMEOUT) as endpoint:
            yield endpoint
    except MotoDidNotStart as exc:
        pytest.fail(str(exc))


AWS_TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
}


@pytest.fixture
def aws_env(moto_server, monkeypatch):
    """Environment for boto3 (in process and in keystow subprocesses) aimed at the moto server."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    for name, value in AWS_TEST_ENV.items():
        monkeypatch.setenv(name, value)
    # No ~/.aws files may leak a real profile or region into a test.
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/keystow-test-aws-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/keystow-test-aws-credentials")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    reset(moto_server)
    yield moto_server


def moto_config(endpoint: str, config: dict) -> None:
    """POST /moto-api/config (e.g. {"lambda": {"use_docker": False}})."""
    request = urllib.request.Request(f"{endpoint}/moto-api/config", data=json.dumps(config).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request, timeout=10).close()

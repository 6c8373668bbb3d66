"""pytest plugin: a real moto server in a separate process on a free 127.0.0.1 port.

`moto_server` (session) yields the endpoint URL; `aws_env` (per test) points boto3 at it with
dummy credentials and resets moto's state, so every test starts with empty stores. Under
pytest-xdist each worker starts its own server.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def start_moto(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def reset_moto(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="session")
def moto_server():
    for _ in range(3):  # the free port can be taken between probe and bind: try another
        port = free_port()
        endpoint = f"http://127.0.0.1:{port}"
        process = start_moto(port)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None and not _answers(endpoint):
            time.sleep(0.1)
        if process.poll() is None and _answers(endpoint):
            break
        process.kill()
        process.wait()
    else:
        pytest.fail("the moto server did not start")
    try:
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
    reset_moto(moto_server)
    yield moto_server


def moto_config(endpoint: str, config: dict) -> None:
    """POST /moto-api/config (e.g. {"lambda": {"use_docker": False}})."""
    request = urllib.request.Request(f"{endpoint}/moto-api/config", data=json.dumps(config).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    urllib.request.urlopen(request, timeout=10).close()

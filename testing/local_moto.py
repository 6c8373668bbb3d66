"""A moto server (the AWS emulator) in its own process on a free 127.0.0.1 port.

Used by `make demo` and by the test fixtures, so both talk to AWS the way a user's keystow does:
boto3 over HTTP, never to real AWS and never beyond loopback.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from typing import Iterator


class MotoDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def reset(endpoint: str) -> None:
    """Forget every parameter, secret and key: each test starts with empty stores."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(request, timeout=10).close()


@contextmanager
def local_moto_server(timeout: float = 30.0, attempts: int = 3) -> Iterator[str]:
    """Yield the endpoint URL of a running moto server; stop it on exit."""
    for _ in range(attempts):  # the free port can be taken between probe and bind: try another
        endpoint = f"http://127.0.0.1:{free_port()}"
        process = _start(endpoint.rsplit(":", 1)[1])
        if _wait_until_up(process, endpoint, timeout):
            break
        _stop(process)
    else:
        raise MotoDidNotStart("the moto server did not start (is 'moto[server]' installed?)")
    try:
        yield endpoint
    finally:
        _stop(process)


def _start(port: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", port],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_until_up(process: subprocess.Popen, endpoint: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if answers(endpoint):
            return True
        time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> int:
    """`python -m testing.local_moto` (or `make moto`): a moto server for trying `keystow
    migrate` by hand; prints the endpoint and the environment to use, runs until Ctrl-C."""
    with local_moto_server() as endpoint:
        print(endpoint, flush=True)
        print("# in another shell:", flush=True)
        print("export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1", flush=True)
        print(f"keystow migrate --to ssm --endpoint-url {endpoint}          # the plan", flush=True)
        print(f"keystow migrate --to ssm --endpoint-url {endpoint} --apply  # store and rewrite", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())

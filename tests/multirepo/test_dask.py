"""`keystow scan-repos --dask` against a real local Dask cluster (two worker processes).

The CLI runs in a subprocess and connects to the cluster's scheduler as it would to a remote
one. Its combined report must equal the local pool's, also when a worker is killed mid-scan.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import run_keystow, wrapper_command, wrapper_env

distributed = pytest.importorskip("distributed")

TASK_DELAY = "1.0"  # seconds per repository: long enough to kill a worker while tasks run


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None, host="127.0.0.1") as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def local_report(org) -> tuple[int, dict]:
    """The reference: exit code and report of the local process pool."""
    result = run_keystow("scan-repos", str(org), "--format", "json", "--no-cache", "--jobs", "2", cwd=org.parent)
    return result.returncode, json.loads(result.stdout)


def dask_command(org, address: str) -> list[str]:
    return [sys.executable, "-m", "keystow", *scan_repos_args(org, address)]


def scan_repos_args(org, address: str) -> list[str]:
    return ["scan-repos", str(org), "--format", "json", "--no-cache", "--dask", address]


def test_dask_run_equals_local_run(org, cluster, local_report):
    expected_code, expected = local_report
    result = subprocess.run(dask_command(org, cluster.scheduler_address), cwd=org.parent, capture_output=True)
    assert json.loads(result.stdout) == expected
    assert result.returncode == expected_code == 2


def test_killed_worker_loses_no_repository(org, cluster, local_report):
    expected_code, expected = local_report
    # testing.slow_tasks: every task sleeps TASK_DELAY before scanning (no such option in keystow)
    command = wrapper_command("slow_tasks", TASK_DELAY, "--", *scan_repos_args(org, cluster.scheduler_address))
    process = subprocess.Popen(command, cwd=org.parent, env=wrapper_env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with distributed.Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)  # asked first, so the kill follows the task's start at once
        victim = wait_for_busy_worker(client)
        pid = pids[victim]
        os.kill(pid, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=60)
        assert pid not in client.run(os.getpid).values()  # the nanny started a fresh worker
    assert json.loads(stdout) == expected, stderr.decode()
    assert process.returncode == expected_code


def wait_for_busy_worker(client, timeout: float = 30.0) -> str:
    """The address of a worker holding one of our tasks (it sleeps TASK_DELAY before scanning)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = [worker for worker, keys in client.processing().items()
                if any("scan_repository" in str(key) for key in keys)]
        if busy:
            return busy[0]
        time.sleep(0.02)
    raise AssertionError("no worker started a scan task")

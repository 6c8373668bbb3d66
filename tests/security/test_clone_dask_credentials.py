"""`scan-repos --dask`: task arguments cross the network to an unauthenticated-by-default
scheduler and sit in workers' memory, so they must carry no credential. A URL names its token
as `${VARIABLE}`, resolved on the worker from the worker's own environment; a literal token
with --dask is refused before anything is sent."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys

import pytest

from keystow.multirepo.repolist import parse_repo_list
from testing.fakes import Fakes
from tests.helpers import run_keystow
from tests.security.test_clone_credentials import USER, served  # noqa: F401 - the fixture

distributed = pytest.importorskip("distributed")
VARIABLE = "KEYSTOW_TEST_WORKER_TOKEN"


def _env_without_token() -> dict:
    return {k: v for k, v in os.environ.items() if k != VARIABLE}


def test_literal_token_is_refused_with_dask(tmp_path):
    listing = tmp_path / "repos.txt"
    token = Fakes(84).github_token()
    listing.write_text(f"https://x-access-token:{token}@127.0.0.1:9/app.git\n")
    # the address is never contacted: the refusal comes first
    result = run_keystow("scan-repos", str(listing), "--dask", "tcp://127.0.0.1:9", cwd=tmp_path)
    assert result.returncode == 2
    assert "literal credential" in result.stderr.decode() and "${VARIABLE}" in result.stderr.decode()
    assert token not in result.stderr.decode()


def test_reference_travels_without_the_token(tmp_path):
    specs = parse_repo_list(f"https://{USER}:${{{VARIABLE}}}@127.0.0.1:1/app.git\n", tmp_path)
    token = Fakes(85).github_token()
    os.environ[VARIABLE] = token
    try:
        assert token.encode() not in pickle.dumps(specs)
    finally:
        del os.environ[VARIABLE]


def test_dask_worker_resolves_the_token_from_its_own_environment(served, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv(VARIABLE, served.token)  # the workers below inherit it; the CLI will not
    listing = tmp_path / "repos.txt"
    listing.write_text(f"http://{USER}:${{{VARIABLE}}}@127.0.0.1:{served.port}/app.git\n")
    with distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        result = subprocess.run([sys.executable, "-m", "keystow", "scan-repos", str(listing), "--format", "json",
                                 "--dask", cluster.scheduler_address], cwd=tmp_path, capture_output=True,
                                env=_env_without_token(), timeout=180)
    assert result.returncode == 1, result.stderr.decode()
    report = json.loads(result.stdout)["repositories"][0]
    assert report["status"] == "ok" and report["findings"]
    assert served.authorized > 0 and served.leaks == []


def test_missing_variable_is_a_clear_failure(tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text(f"http://{USER}:${{{VARIABLE}}}@127.0.0.1:9/app.git\n")
    result = run_keystow("scan-repos", str(listing), "--jobs", "1", cwd=tmp_path, env=None)
    assert result.returncode == 2
    assert VARIABLE in result.stderr.decode() and "not set" in result.stderr.decode()

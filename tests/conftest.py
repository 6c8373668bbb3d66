"""Shared fixtures: real git repositories in temp dirs, with a pinned identity, and a private
keystow cache per test run so tests never touch the user's cache.

The cache is shared by the xdist workers of one run (the parent of each worker's base temp dir):
the compiled Hyperscan database is then built once per run, not once per worker. Cache writes
are atomic, so workers compiling at the same moment do no harm.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import git

pytest_plugins = ["tests.moto_server"]

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Committer", "GIT_COMMITTER_EMAIL": "committer@example.invalid",
    "GIT_AUTHOR_DATE": "2024-01-02T03:04:05+00:00", "GIT_COMMITTER_DATE": "2024-01-02T03:04:05+00:00",
}


@pytest.fixture(autouse=True, scope="session")
def _isolated_environment(tmp_path_factory):
    cache = tmp_path_factory.getbasetemp().parent / "keystow-cache"
    cache.mkdir(exist_ok=True)
    os.environ["KEYSTOW_CACHE_DIR"] = str(cache)
    os.environ.update(GIT_IDENTITY)
    os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
    os.environ.pop("NO_COLOR", None)
    yield


@pytest.fixture
def repo(tmp_path) -> Path:
    """An empty git repository with a pinned identity."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Test Author")
    git(path, "config", "user.email", "author@example.invalid")
    git(path, "config", "commit.gpgsign", "false")
    return path



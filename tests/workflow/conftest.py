"""Fixtures shared by the workflow tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import git


@pytest.fixture
def remote(tmp_path, repo) -> Path:
    """A bare repository added to `repo` as `origin`: the place pushes go."""
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    git(repo, "remote", "add", "origin", str(bare))
    return bare

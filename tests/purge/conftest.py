"""Fixtures for purge tests: the spread-out history of builder.py, in a fresh repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import git
from tests.purge.builder import build_history, make_secrets


def new_repository(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Test Author")
    git(path, "config", "user.email", "author@example.invalid")
    git(path, "config", "commit.gpgsign", "false")
    return path


@pytest.fixture
def secrets():
    return make_secrets()


@pytest.fixture
def history_repo(tmp_path, secrets) -> Path:
    repo = new_repository(tmp_path / "shop")
    build_history(repo, secrets)
    return repo

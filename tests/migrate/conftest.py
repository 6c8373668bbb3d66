"""Stores aimed at the moto server (through `aws_env`), with pacing fast enough for tests."""

from __future__ import annotations

import pytest

from keystow.migrate.stores import open_store
from keystow.runtime import resolve as runtime
from testing.fakes import Fakes
from tests.helpers import commit_file
from tests.migrate.validators import external_secrets_command

FAST = 1000.0  # writes per second: the token bucket never waits in tests


@pytest.fixture
def ssm_store(aws_env):
    return open_store("ssm", writes_per_second=FAST)


@pytest.fixture
def secrets_store(aws_env):
    return open_store("secretsmanager", writes_per_second=FAST)


@pytest.fixture
def pair_repo(repo):
    """A repository with an AWS key pair and a GitHub token in one file (for grouping)."""
    fakes = Fakes(41)
    values = {"id": fakes.aws_access_key_id(), "secret": fakes.aws_secret_access_key(), "pat": fakes.github_token()}
    commit_file(repo, "app/aws.py", f'KEY_ID = "{values["id"]}"\naws_secret_access_key = "{values["secret"]}"\n'
                                   f'TOKEN = "{values["pat"]}"\n')
    return repo, values


@pytest.fixture(autouse=True)
def _fresh_runtime_cache():
    runtime.clear_cache()
    yield
    runtime.clear_cache()


@pytest.fixture(scope="session")
def eso_command():
    """The ESO schema check (tests/migrate/validators.py); the test is skipped, saying why, on a
    machine without node and npm."""
    command = external_secrets_command()
    if command is None:
        pytest.skip("no ESO schema: node and npm are needed for @kubernetes-models/external-secrets")
    return command

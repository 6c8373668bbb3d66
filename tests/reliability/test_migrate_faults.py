"""Migration under faults, against the moto server: a put that fails, a read-back that does not
match, a file write that fails (disk full, permission denied), a kill between steps. For each:
no file is rewritten unless its values are stored and verified, --resume completes, and
--rollback restores every file byte for byte."""

from __future__ import annotations

import errno
import json

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file
from tests.migrate.migrate_repo import StoreReader, migrate, migrate_killed_after
from tests.reliability.kit import keystow, unprivileged_prefix

FILES = ("svc/a.py", "svc/b.py", "conf/c.env")


@pytest.fixture
def three(repo):
    fakes = Fakes(91)
    values = {"a": fakes.github_token(), "b": fakes.stripe_live_key(), "c": fakes.github_token()}
    commit_file(repo, "svc/a.py", f'import os\nTOKEN = "{values["a"]}"\n')
    commit_file(repo, "svc/b.py", f'STRIPE_KEY = "{values["b"]}"\r\n# trailer\r\n')
    commit_file(repo, "conf/c.env", f"# env\nDEPLOY_TOKEN={values['c']}\n")
    (repo / "svc/b.py").chmod(0o640)
    original = {path: (repo / path).read_bytes() for path in FILES}
    return repo, values, original


def journal_of(repo):
    [path] = sorted((repo / ".keystow").glob("journal-*.json"))
    return path


def contents(repo):
    return {path: (repo / path).read_bytes() for path in FILES}


def apply(repo, *extra):
    return migrate(repo, "--to", "ssm", "--apply", "--yes", *extra)


def assert_rewritten_only_where_stored(repo, values, endpoint):
    """Each file that lost its literal has the value verified in the store."""
    stored = set(StoreReader(endpoint).parameter_names())
    store = StoreReader(endpoint)
    held = {store.parameter(name) for name in stored}
    for path, key in zip(FILES, "abc", strict=True):
        if values[key] not in (repo / path).read_text():
            assert values[key] in held, f"{path} rewritten without its value stored"


def resume_then_rollback(repo, values, original, endpoint):
    resumed = migrate(repo, "--resume", str(journal_of(repo)), "--endpoint-url", endpoint)
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert all(values[k] not in (repo / p).read_text() for p, k in zip(FILES, "abc", strict=True))
    assert_rewritten_only_where_stored(repo, values, endpoint)
    assert json.loads(journal_of(repo).read_text())["state"] == "complete"
    rolled = migrate(repo, "--rollback", str(journal_of(repo)), "--endpoint-url", endpoint)
    assert rolled.returncode == 0, rolled.stderr.decode()
    assert contents(repo) == original
    assert oct((repo / "svc/b.py").stat().st_mode & 0o777) == oct(0o640)


def test_put_fails_for_one_value(three, aws_env):
    from tests.throttle_proxy import Fault, ThrottleProxy

    repo, values, original = three
    refused = Fault("ValidationException", "Parameter value failed to satisfy constraint")
    with ThrottleProxy(aws_env, [lambda op, n: refused if op == "PutParameter" and n == 2 else None]) as proxy:
        result = apply(repo, "--endpoint-url", proxy.url)
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    assert proxy.injected["ValidationException"] == 1
    assert (
        sum(values[k] in (repo / p).read_text() for p, k in zip(FILES, "abc", strict=True)) == 1
    )  # one left as it was
    assert_rewritten_only_where_stored(repo, values, aws_env)
    resume_then_rollback(repo, values, original, aws_env)


def test_read_back_mismatch_leaves_files_alone(three, aws_env, monkeypatch):
    from keystow.migrate.stores import ssm as stores_ssm

    repo, values, original = three
    real_get = stores_ssm.SsmStore.get
    monkeypatch.setattr(stores_ssm.SsmStore, "get", lambda self, name: (real_get(self, name) or "") + "-changed")
    result = apply(repo)
    assert result.returncode == 1 and b"could not be stored and verified" in result.stderr
    assert contents(repo) == original
    monkeypatch.setattr(stores_ssm.SsmStore, "get", real_get)
    resume_then_rollback(repo, values, original, aws_env)


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_disk_full_on_a_file_write(three, aws_env, monkeypatch, failing_call):
    from keystow.migrate import apply as apply_module

    repo, values, original = three
    real_write, calls = apply_module.write_atomic, []

    def write(path, data, **options):
        calls.append(path)
        if len(calls) == failing_call:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real_write(path, data, **options)

    monkeypatch.setattr(apply_module, "write_atomic", write)
    result = apply(repo)
    assert result.returncode != 0 and b"Traceback" not in result.stderr
    assert b"No space left on device" in result.stderr and b"--resume" in result.stderr
    assert_rewritten_only_where_stored(repo, values, aws_env)
    assert not list(repo.rglob("*keystow-tmp*"))
    monkeypatch.setattr(apply_module, "write_atomic", real_write)
    resume_then_rollback(repo, values, original, aws_env)


@pytest.mark.skipif(unprivileged_prefix() is None,
                    reason="running as root without setpriv to drop CAP_DAC_OVERRIDE: root writes anywhere")
def test_permission_denied_on_a_file_write(three, aws_env):
    repo, values, original = three
    (repo / "conf").chmod(0o555)
    try:
        result = keystow("migrate", "--to", "ssm", "--apply", "--yes", "--writes-per-second", "1000",
                         cwd=repo, prefix=unprivileged_prefix())
    finally:
        (repo / "conf").chmod(0o755)
    assert result.returncode != 0
    assert b"Permission denied" in result.stderr and b"--resume" in result.stderr
    assert (repo / "conf/c.env").read_bytes() == original["conf/c.env"]
    assert_rewritten_only_where_stored(repo, values, aws_env)
    resume_then_rollback(repo, values, original, aws_env)


@pytest.mark.parametrize("point", ["store-write", "file-write"])
def test_killed_between_steps_then_resume_then_rollback(three, aws_env, point):
    repo, values, original = three
    crashed = migrate_killed_after(point, repo, "--to", "ssm", "--apply", "--yes")
    assert crashed.returncode == 137
    assert_rewritten_only_where_stored(repo, values, aws_env)
    resume_then_rollback(repo, values, original, aws_env)

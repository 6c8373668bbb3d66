"""Run-time resolution (`keystow.resolve`, the manifest, `keystow run`) against a moto server."""

from __future__ import annotations

import sys

import pytest

import keystow
from keystow.migrate.stores import MissingReference, StoreError
from keystow.runtime.resolve import resolve_manifest
from testing.fakes import Fakes
from tests.helpers import run_keystow
from tests.throttle_proxy import ThrottleProxy


@pytest.fixture
def stored(ssm_store, secrets_store):
    fakes = Fakes(21)
    values = {"db_password": fakes.password(), "token": fakes.github_token(), "key_id": fakes.aws_access_key_id(),
              "secret_key": fakes.aws_secret_access_key()}
    ssm_store.put("/app/db_password", values["db_password"], tags={})
    secrets_store.put("app/token", values["token"], tags={})
    secrets_store.put_json("app/aws", {"aws_access_key_id": values["key_id"],
                                       "aws_secret_access_key": values["secret_key"]}, {})
    secrets_store.put_json("app/db", {"host": "db.internal", "port": 5432}, {})
    return values


def test_resolve_each_reference_form(stored):
    assert keystow.resolve("ssm:/app/db_password") == stored["db_password"]
    assert keystow.resolve("secretsmanager:app/token") == stored["token"]
    assert keystow.resolve("secretsmanager:app/aws#aws_secret_access_key") == stored["secret_key"]
    assert keystow.resolve("secretsmanager:app/db#port") == "5432"


def test_resolve_caches_in_process(stored, aws_env, monkeypatch):
    with ThrottleProxy(aws_env) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        for _ in range(3):
            assert keystow.resolve("ssm:/app/db_password") == stored["db_password"]
            assert keystow.resolve("secretsmanager:app/aws#aws_access_key_id") == stored["key_id"]
    assert proxy.seen["GetParameters"] == 1 and proxy.seen["BatchGetSecretValue"] == 1


@pytest.mark.parametrize("reference", ["ssm:/app/absent", "secretsmanager:app/absent", "secretsmanager:app/aws#nokey"])
def test_missing_reference(stored, reference):
    with pytest.raises(MissingReference, match=f"1 reference not found in AWS: {reference}$"):
        keystow.resolve(reference)


@pytest.mark.parametrize("reference", ["vault:x", "ssm:", "secretsmanager:#key", "/app/x"])
def test_invalid_reference(reference):
    with pytest.raises(StoreError, match="invalid reference"):
        keystow.resolve(reference)


def write_manifest(directory, entries: dict[str, str]):
    path = directory / ".keystow-refs.toml"
    path.write_text("".join(f'{name} = "{ref}"\n' for name, ref in entries.items()), encoding="utf-8")
    return path


def test_manifest_is_one_batched_read_per_store(stored, aws_env, ssm_store, tmp_path):
    for i in range(8):
        ssm_store.put(f"/app/extra{i}", f"extra-{i}", tags={})
    entries = {f"EXTRA_{i}": f"ssm:/app/extra{i}" for i in range(8)}
    entries |= {"DB_PASSWORD": "ssm:/app/db_password", "TOKEN": "secretsmanager:app/token",
                "AWS_ACCESS_KEY_ID": "secretsmanager:app/aws#aws_access_key_id",
                "AWS_SECRET_ACCESS_KEY": "secretsmanager:app/aws#aws_secret_access_key"}
    with ThrottleProxy(aws_env) as proxy:
        values = resolve_manifest(write_manifest(tmp_path, entries), endpoint_url=proxy.url)
    assert values["DB_PASSWORD"] == stored["db_password"] and values["AWS_ACCESS_KEY_ID"] == stored["key_id"]
    assert values["EXTRA_7"] == "extra-7" and len(values) == 12
    assert dict(proxy.seen) == {"GetParameters": 1, "BatchGetSecretValue": 1}


def test_manifest_errors(tmp_path, aws_env):
    with pytest.raises(StoreError, match="no reference manifest at"):
        resolve_manifest(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("PORT = 5432\n")
    with pytest.raises(StoreError, match="PORT must be reference strings"):
        resolve_manifest(bad)


PRINT_ENV = (
    "import os, sys; print(os.environ['DB_PASSWORD'] + '|' + os.environ['AWS_ACCESS_KEY_ID'] + '|' + sys.argv[1])"
)


def test_keystow_run_puts_the_values_in_the_environment(stored, tmp_path):
    write_manifest(tmp_path, {"DB_PASSWORD": "ssm:/app/db_password",
                              "AWS_ACCESS_KEY_ID": "secretsmanager:app/aws#aws_access_key_id"})
    result = run_keystow("run", "--", sys.executable, "-c", PRINT_ENV, "--flag-for-the-app", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == f"{stored['db_password']}|{stored['key_id']}|--flag-for-the-app"


def test_keystow_run_with_refs_file_and_exit_status(stored, tmp_path):
    refs = write_manifest(tmp_path, {"DB_PASSWORD": "ssm:/app/db_password"})
    code = "import os, sys; sys.exit(7 if os.environ['DB_PASSWORD'] else 0)"
    result = run_keystow("run", "--refs", str(refs), "--", sys.executable, "-c", code, cwd=tmp_path.parent)
    assert result.returncode == 7


def test_keystow_run_missing_reference_is_one_clear_error(stored, tmp_path):
    write_manifest(tmp_path, {"DB_PASSWORD": "ssm:/app/db_password", "GONE": "ssm:/app/gone"})
    result = run_keystow("run", "--", sys.executable, "-c", "print('ran')", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == "keystow: error: 1 reference not found in AWS: GONE (ssm:/app/gone)\n"


def test_keystow_run_unknown_command(stored, tmp_path):
    write_manifest(tmp_path, {"DB_PASSWORD": "ssm:/app/db_password"})
    result = run_keystow("run", "--", "keystow-no-such-command", cwd=tmp_path)
    assert result.returncode == 127
    assert result.stderr.decode().strip() == "keystow: error: command not found: keystow-no-such-command"
    assert stored["db_password"] not in result.stderr.decode()

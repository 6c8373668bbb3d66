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


def test_keystow_run_injected_keys_drop_conflicting_credentials(stored, tmp_path):
    write_manifest(tmp_path, {"AWS_ACCESS_KEY_ID": "secretsmanager:app/aws#aws_access_key_id",
                              "AWS_SECRET_ACCESS_KEY": "secretsmanager:app/aws#aws_secret_access_key"})
    code = ("import os; print(','.join(n for n in ('AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_PROFILE', "
            "'AWS_DEFAULT_PROFILE', 'KEEP_ME') if n in os.environ)); print(os.environ['AWS_SECRET_ACCESS_KEY'])")
    (tmp_path / "aws-credentials").write_text("[dev]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    (tmp_path / "aws-config").write_text("[profile dev]\nregion = us-east-1\n")
    env = {"AWS_SESSION_TOKEN": "caller-session", "AWS_SECURITY_TOKEN": "caller-session", "AWS_PROFILE": "dev",
           "AWS_DEFAULT_PROFILE": "dev", "KEEP_ME": "1",
           "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials"),
           "AWS_CONFIG_FILE": str(tmp_path / "aws-config")}
    result = run_keystow("run", "--", sys.executable, "-c", code, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split() == ["KEEP_ME", stored["secret_key"]]
    write_manifest(tmp_path, {"DB_PASSWORD": "ssm:/app/db_password"})  # no keys injected: nothing dropped
    result = run_keystow("run", "--", sys.executable, "-c", code, cwd=tmp_path, env=env)
    kept = "AWS_SESSION_TOKEN,AWS_SECURITY_TOKEN,AWS_PROFILE,AWS_DEFAULT_PROFILE,KEEP_ME"
    assert result.stdout.decode().split()[0] == kept


READ_FILE = ("import os, stat, sys; path = sys.argv[1]; print(oct(stat.S_IMODE(os.stat(path).st_mode)), "
             "open(path, 'rb').read().hex(), os.environ.get('DB_PASSWORD'))")


def test_keystow_run_file_written_0600_and_removed(stored, ssm_store, tmp_path):
    key = Fakes(22).pem_private_key()
    ssm_store.put("/app/keys/id_rsa", key, tags={})
    ssm_store.put("/app/keys/store_jks", "AAECAw==", tags={})
    (tmp_path / "keys").mkdir()
    manifest = tmp_path / ".keystow-refs.toml"
    manifest.write_text('DB_PASSWORD = "ssm:/app/db_password"\n"file:keys/id_rsa" = "ssm:/app/keys/id_rsa"\n')
    result = run_keystow("run", "--file", "keys/id_rsa", "--", sys.executable, "-c", READ_FILE, "keys/id_rsa",
                         cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split() == ["0o600", key.encode().hex(), stored["db_password"]]
    assert not (tmp_path / "keys/id_rsa").exists()
    result = run_keystow("run", "--keep-files", "--file", "keys/store.jks=base64:ssm:/app/keys/store_jks", "--",
                         sys.executable, "-c", READ_FILE + "; sys.exit(3)", "keys/store.jks", cwd=tmp_path)
    assert result.returncode == 3 and result.stdout.decode().split()[1] == "00010203"
    assert (tmp_path / "keys/store.jks").read_bytes() == b"\x00\x01\x02\x03"


@pytest.mark.parametrize(("spec", "message"), [
    ("../outside=ssm:/app/db_password", "is outside"),
    ("present=ssm:/app/db_password", "already exists"),
    ("keys/absent", "none in the manifest"),
])
def test_keystow_run_file_refusals(stored, tmp_path, spec, message):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "present").write_text("mine\n")
    result = run_keystow("run", "--file", spec, "--", sys.executable, "-c", "print('ran')", cwd=tmp_path / "work")
    assert result.returncode == 2 and result.stdout == b""
    assert message in result.stderr.decode() and len(result.stderr.decode().splitlines()) == 1
    assert (tmp_path / "work" / "present").read_text() == "mine\n" and not (tmp_path / "outside").exists()

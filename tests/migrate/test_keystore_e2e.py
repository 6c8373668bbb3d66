"""Binary keystores migrated end to end against the moto server: stored as base64 (SSM, or
Secrets Manager above the SSM tier allowed), removed from the tree and ignored, written back
byte for byte with mode 0600 by `keystow run --file PATH`, and restored byte for byte by a
rollback. The keystores are made in the test (testing/keystores.py); a truststore stays put."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
import sys

import pytest

from testing import keystores
from tests.helpers import git, run_keystow
from tests.migrate.migrate_repo import StoreReader, fresh_moto_repo, manifest, migrate, run_in_process

SMALL = {"certs/server.p12": keystores.pkcs12_with_key, "conf/app.jks": keystores.java_keystore,
         "conf/app.jceks": lambda: keystores.java_keystore(1, 1, keystores.JCEKS_MAGIC)}
# Six key entries with their certificates: ~3.6 KB of bytes, ~4.8 KB of base64, above SSM's
# 4 KB Standard tier (the Advanced tier is not allowed here), so it goes to Secrets Manager.
LARGE = {"conf/signing.keystore": lambda: keystores.java_keystore(6)}
TRUSTSTORE = "conf/truststore.jks"
# The child prints, per file named, its mode and the sha256 of its bytes.
REPORT = ("import hashlib, os, stat, sys\n"
          "for path in sys.argv[1:]:\n"
          "    digest = hashlib.sha256(open(path, 'rb').read()).hexdigest()\n"
          "    print(path, oct(stat.S_IMODE(os.stat(path).st_mode)), digest)\n")


@pytest.fixture(scope="module")
def migrated(moto_server, tmp_path_factory):
    with fresh_moto_repo(moto_server, tmp_path_factory, "keystores") as repo:
        original = {path: make() for path, make in {**SMALL, **LARGE}.items()}
        original[TRUSTSTORE] = keystores.java_keystore(0, 2)
        original["app.properties"] = b"server.ssl.key-store=certs/server.p12\n"
        for path, data in original.items():
            (repo / path).parent.mkdir(parents=True, exist_ok=True)
            (repo / path).write_bytes(data)
        (repo / "conf/app.jks").chmod(0o640)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "keystores committed")
        scanned = run_in_process(repo, "scan", "--format", "json", ".")
        applied = migrate(repo, "--to", "ssm", "--apply", "--yes")
        assert applied.returncode == 0, applied.stderr.decode()
        plan = json.loads((repo / ".keystow" / "plan.json").read_text())
        yield repo, original, json.loads(scanned.stdout)["findings"], plan, StoreReader(moto_server)


def test_each_keystore_is_stored_as_base64_removed_and_ignored(migrated):
    repo, original, findings, plan, store = migrated
    assert {f["path"] for f in findings} == set(SMALL) | set(LARGE)  # not the truststore
    refs = manifest(repo)
    for path in [*SMALL, *LARGE]:
        reference = refs["file:" + path]
        assert reference.startswith("base64:" + ("secretsmanager:" if path in LARGE else "ssm:")), reference
        assert base64.b64decode(store.reference(reference.removeprefix("base64:"))) == original[path]
        assert not (repo / path).exists() and git(repo, "check-ignore", "--no-index", path).strip() == path
        assert git(repo, "ls-files", "--", path) == ""
    assert (repo / TRUSTSTORE).read_bytes() == original[TRUSTSTORE]
    occurrences = [o for item in plan["items"] for m in item["members"] for o in m["occurrences"]]
    assert {o["path"] for o in occurrences if o["action"] == "rewrite" and o["style"] == "secret-file"} == \
        set(SMALL) | set(LARGE)
    assert not [o for o in occurrences if o["action"] == "manual"]
    assert run_in_process(repo, "scan", ".").returncode == 0  # nothing left in the tree


def test_keystow_run_writes_each_keystore_back_byte_exact_and_0600(migrated):
    repo, original, findings, plan, store = migrated
    paths = [*SMALL, *LARGE]
    args = [arg for path in paths for arg in ("--file", path)]
    result = run_keystow("run", *args, "--", sys.executable, "-c", REPORT, *paths, cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines() == [f"{path} 0o600 {hashlib.sha256(original[path]).hexdigest()}"
                                                   for path in paths]
    assert not any((repo / path).exists() for path in paths)  # removed when the child exited


def test_rollback_restores_each_keystore_byte_for_byte(migrated):
    repo, original, findings, plan, store = migrated
    [journal] = sorted((repo / ".keystow").glob("journal-*.json"))
    entries = json.loads(journal.read_text())["files"]
    assert {e["path"] for e in entries if e.get("encoding") == "base64"} == set(SMALL) | set(LARGE)
    rolled = migrate(repo, "--rollback", str(journal))
    assert rolled.returncode == 0, rolled.stderr.decode()
    assert {path: (repo / path).read_bytes() for path in original} == original
    assert stat.S_IMODE((repo / "conf/app.jks").stat().st_mode) == 0o640
    assert git(repo, "status", "--porcelain", "--untracked-files=all", "--ignored=no") == ""

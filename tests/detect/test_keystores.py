"""Binary keystores are findings (detect/keystores.py): recognised by structure (JKS, JCEKS,
PKCS#12) or by name (BKS and the rest), in the work tree, the index and history, one finding per
content with a stable fingerprint; truststores and other binaries are still skipped. The stores
are made in the test (testing/keystores.py): no binary with a key is committed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from keystow.detect.keystores import recognise, secret_of
from testing import keystores
from tests.helpers import commit_file, git, report_fingerprint_in, run_keystow

# A BouncyCastle BKS header (version 2, a 20-byte salt, 1024 iterations) and no entries: a
# format keystow reads by name only.
BKS = (2).to_bytes(4, "big") + (20).to_bytes(4, "big") + os.urandom(20) + (1024).to_bytes(4, "big") + b"\0"
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + os.urandom(64)


@pytest.mark.parametrize(("make", "path", "rule_id", "severity"), [
    (keystores.pkcs12_with_key, "certs/server.p12", "keystore-pkcs12", "high"),
    (keystores.pkcs12_with_key, "cacerts", "keystore-pkcs12", "high"),  # a key decides, not a name
    (keystores.java_keystore, "conf/app.jks", "keystore-jks", "high"),
    (lambda: keystores.java_keystore(1, 2), "no-extension", "keystore-jks", "high"),
    # a structure cut short: it may hold a key further on
    (lambda: keystores.java_keystore(0, 1, keystores.JCEKS_MAGIC)[:40] + b"\0\0\0\1", "x", "keystore-jceks",
     "medium"),
    (lambda: keystores.java_keystore(1, 0, keystores.JCEKS_MAGIC), "app.jceks", "keystore-jceks", "high"),
    (lambda: keystores.pkcs12_certificates_only(encrypted=True), "client.pfx", "keystore-pkcs12", "medium"),
    (lambda: BKS, "res/raw/signing.bks", "keystore-file", "medium"),
])
def test_keystores_are_recognised(make, path, rule_id, severity):
    found = recognise(make(), path)
    assert found is not None and (found.rule_id, found.severity) == (rule_id, severity)


@pytest.mark.parametrize(("make", "path"), [
    (lambda: keystores.java_keystore(0, 3), "conf/app.jks"),  # trusted certificates only: a truststore
    (lambda: keystores.java_keystore(0, 0), "empty.jks"),
    (lambda: keystores.pkcs12_certificates_only(encrypted=False), "ca.p12"),  # certificates in the clear
    (lambda: keystores.pkcs12_certificates_only(encrypted=True), "client-truststore.p12"),  # cannot see: name
    (lambda: BKS, "res/raw/truststore.bks"),
    (lambda: BKS, "cacerts.bks"),
    (lambda: PNG, "logo.png"),
    (lambda: keystores.key_and_certificate()[1].public_bytes(keystores.serialization.Encoding.DER), "cert.der"),
    (lambda: keystores.pkcs12_with_key()[:-1], "cut.bin"),  # DER whose length is not the file's
])
def test_truststores_and_other_binaries_are_not(make, path):
    assert recognise(make(), path) is None


def test_a_real_jdk_cacerts_is_a_truststore():
    java = shutil.which("java")
    found = [os.path.join(root, "cacerts") for root, _, files in os.walk(os.path.dirname(os.path.dirname(
        os.path.realpath(java)))) if "cacerts" in files] if java else []
    if not found:
        pytest.skip("no JDK cacerts on this machine")
    with open(found[0], "rb") as handle:
        data = handle.read()
    assert data[:4] in (b"\xfe\xed\xfe\xed", b"\x30\x82") and recognise(data, "some.bin") is None


def test_the_hand_built_jks_is_one_keytool_reads(tmp_path):
    keytool = shutil.which("keytool")
    if keytool is None:
        pytest.skip("keytool is not installed")
    (tmp_path / "app.jks").write_bytes(keystores.java_keystore(1, 1))
    listed = subprocess.run([keytool, "-list", "-storetype", "JKS", "-storepass", keystores.PASSWORD,
                             "-keystore", str(tmp_path / "app.jks")], capture_output=True)
    assert listed.returncode == 0, listed.stderr
    assert b"PrivateKeyEntry" in listed.stdout and b"trustedCertEntry" in listed.stdout


def scan(repo, *args: str) -> tuple[int, list[dict], str]:
    result = run_keystow("scan", *args, "--format", "json", "-v", cwd=repo)
    assert result.returncode in (0, 1), result.stderr.decode()
    return result.returncode, json.loads(result.stdout)["findings"], result.stderr.decode()


def test_work_tree_index_and_history_report_one_finding_per_keystore(repo):
    p12, jks = keystores.pkcs12_with_key(), keystores.java_keystore()
    for path, data in (("certs/server.p12", p12), ("conf/app.jks", jks), ("res/raw/truststore.bks", BKS),
                       ("keys/signing.bks", BKS + b"\1"), ("logo.png", PNG)):
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(data)
    git(repo, "add", "-A")
    expected = {("certs/server.p12", "keystore-pkcs12", "high"), ("conf/app.jks", "keystore-jks", "high"),
                ("keys/signing.bks", "keystore-file", "medium")}

    code, staged, notes = scan(repo, "--staged")
    assert code == 1 and {(f["path"], f["rule_id"], f["severity"]) for f in staged} == expected
    assert "skipped logo.png: binary file" in notes and "truststore.bks: binary file" in notes
    git(repo, "commit", "-q", "-m", "keystores")
    _, tree, _ = scan(repo, ".")
    git(repo, "rm", "-q", "-r", "certs", "conf", "keys")
    git(repo, "commit", "-q", "-m", "removed")
    _, history, _ = scan(repo, "--history", "--no-cache")

    for findings in (staged, tree, history):
        assert {(f["path"], f["rule_id"], f["severity"]) for f in findings} == expected
        assert all((f["line"], f["column"]) == (1, 1) for f in findings)
    fingerprints = {f["path"]: f["fingerprint"] for f in staged}
    assert fingerprints["certs/server.p12"] == report_fingerprint_in(repo, "keystore-pkcs12", secret_of(p12))
    assert {f["path"]: f["fingerprint"] for f in tree} == fingerprints == {f["path"]: f["fingerprint"]
                                                                           for f in history}
    shown = json.dumps([staged, tree, history])
    assert secret_of(p12)[:40] not in shown and secret_of(jks)[:40] not in shown  # redacted, never bytes


def test_history_cache_and_baseline_handle_a_keystore(repo):
    commit_file(repo, "conf/app.jks", keystores.java_keystore(), "a keystore")
    commit_file(repo, "conf/app.jks", keystores.java_keystore(), "another key in its place")
    _, first, _ = scan(repo, "--history")
    _, cached, _ = scan(repo, "--history")  # answered by the blob cache, which keeps no secret
    assert len(first) == 2 and first == cached
    assert run_keystow("baseline", "update", "--history", cwd=repo).returncode == 0
    assert scan(repo, "--history")[:2] == (0, [])
    assert scan(repo, ".")[:2] == (0, [])  # the tip's keystore is accepted in the work tree too
    commit_file(repo, "conf/app.jks", keystores.java_keystore(), "a third, new key")
    code, new, _ = scan(repo, ".")
    assert code == 1 and [f["path"] for f in new] == ["conf/app.jks"]


def test_a_changed_keystore_blocks_the_commit_wherever_git_diff_puts_the_change(repo):
    data = bytearray(keystores.java_keystore(2))
    data[100] = 0x0A  # git's "line 1" ends here: the change below is on a later line
    commit_file(repo, "app.jks", bytes(data), "a keystore")
    data[-30:-20] = bytes(b ^ 0xFF for b in data[-30:-20])
    (repo / "app.jks").write_bytes(bytes(data))
    git(repo, "add", "app.jks")
    code, findings, _ = scan(repo, "--staged")
    assert code == 1 and [f["rule_id"] for f in findings] == ["keystore-jks"]


def test_disabled_rules_turn_a_keystore_rule_off(repo):
    commit_file(repo, "conf/app.jks", keystores.java_keystore(), "a keystore")
    commit_file(repo, "certs/server.p12", keystores.pkcs12_with_key(), "another")
    (repo / ".keystow.toml").write_text('disabled_rules = ["keystore-jks"]\n')
    code, findings, notes = scan(repo, ".")
    assert [f["rule_id"] for f in findings] == ["keystore-pkcs12"] and "unknown" not in notes
    assert "conf/app.jks: binary file" in notes  # off: just a binary file again


def test_the_pre_commit_hook_blocks_a_staged_keystore(repo):
    commit_file(repo, "README.md", "docs\n", "first")
    (repo / "app.p12").write_bytes(keystores.pkcs12_with_key())
    git(repo, "add", "app.p12")
    hook = subprocess.run([sys.executable, "-m", "keystow.cli.hook_entry", "pre-commit"], cwd=repo,
                          capture_output=True)
    assert hook.returncode == 1 and b"keystore-pkcs12" in hook.stdout  # the quick path defers binaries


def test_rules_list_names_the_keystore_rules_unless_disabled(tmp_path):
    listed = {rule["id"] for rule in json.loads(run_keystow("rules", "list", "--json", cwd=tmp_path).stdout)["rules"]}
    assert {"keystore-pkcs12", "keystore-jks", "keystore-jceks", "keystore-file"} <= listed
    (tmp_path / ".keystow.toml").write_text('disabled_rules = ["keystore-jks"]\n')
    listed = {rule["id"] for rule in json.loads(run_keystow("rules", "list", "--json", cwd=tmp_path).stdout)["rules"]}
    assert "keystore-jks" not in listed and "keystore-pkcs12" in listed

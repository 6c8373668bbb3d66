"""Kubernetes Secret `data:` values are base64-decoded and scanned as their key's value."""

from __future__ import annotations

import base64

from keystow.detect.decoders import k8s_secret_data
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from tests.detect.rulekit import PASSWORD, rule, ruleset

YAML_PASSWORD = rule("yaml-password", r"""(?m)^[ \t]*[\w-]*password:[ \t]*["']?(?P<secret>[^\s"']{8,})["']?[ \t]*$""",
                     kind="generic")


def manifest(value: str, kind: str = "Secret") -> bytes:
    encoded = base64.b64encode(value.encode()).decode()
    return (f"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: app\ndata:\n  username: YWRtaW4=\n"
            f"  db-password: {encoded}\ntype: Opaque\n").encode()


def test_decodes_each_data_value_with_its_place():
    data = manifest(PASSWORD)
    items = list(k8s_secret_data(data))
    assert [(i.key, i.text) for i in items] == [("username", "admin"), ("db-password", PASSWORD)]
    assert data[items[1].start:items[1].end] == base64.b64encode(PASSWORD.encode())


def test_other_kinds_and_binary_values_are_left_alone():
    assert list(k8s_secret_data(manifest(PASSWORD, kind="ConfigMap"))) == []
    binary = b"kind: Secret\ndata:\n  keystore: " + base64.b64encode(bytes(range(200))) + b"\n"
    assert list(k8s_secret_data(binary)) == []


def test_scanner_reports_the_decoded_secret_at_the_encoded_value():
    scanner = Scanner(ruleset(YAML_PASSWORD), FilterPolicy(), "re")
    [finding] = scanner.scan(Blob("secret.yaml", manifest(PASSWORD)))
    assert finding.secret == PASSWORD
    assert (finding.location.line, finding.location.column) == (7, 16)


def test_a_placeholder_decoded_is_still_a_placeholder():
    scanner = Scanner(ruleset(YAML_PASSWORD), FilterPolicy(), "re")
    assert scanner.scan(Blob("secret.yaml", manifest("changeme-please"))) == []


def test_only_manifest_files_are_decoded():
    scanner = Scanner(ruleset(YAML_PASSWORD), FilterPolicy(), "re")
    assert scanner.scan(Blob("notes.txt", manifest(PASSWORD)))[0].secret != PASSWORD

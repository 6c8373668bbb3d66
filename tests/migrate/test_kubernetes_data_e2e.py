"""`keystow migrate` on a Kubernetes Secret's base64 `data:` values, against a moto server: the
decoded secret is stored, its entry moves to an ExternalSecret, and neither the secret nor its
base64 form is written to the plan or the journal; both manifests pass the Kubernetes and ESO
schemas; a rollback rebuilds the manifest exactly."""

from __future__ import annotations

import base64
import json

import pytest

from keystow.migrate.references.base import Edit
from keystow.migrate.rewrite import apply_edits, restore, split_old
from testing.fakes import Fakes
from tests.helpers import commit_file, git
from tests.migrate.migrate_repo import StoreReader, load_yaml, migrate, scan_paths_with_findings
from tests.migrate.validators import manifest_problems


def b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


@pytest.fixture
def secret_repo(repo):
    fakes = Fakes(53)
    values = {"data": fakes.github_token(), "string": fakes.github_token()}
    manifest = (f"apiVersion: v1\nkind: Secret\nmetadata:\n  labels:\n    name: frontend\n  name: api-credentials\n"
                f"  namespace: shop\ntype: Opaque\ndata:\n  username: {b64('admin')}\n"
                f"  token: {b64(values['data'])}\r\n"  # one CRLF line: offsets are characters, line ends kept
                f"stringData:\n  other: \"{values['string']}\"\n")
    commit_file(repo, "deploy/secret.yaml", manifest)
    return repo, values, manifest


def test_data_value_moves_to_the_external_secret(secret_repo, aws_env, eso_command):
    repo, values, _ = secret_repo
    result = migrate(repo, "--to", "ssm", "--apply", "--yes")
    assert result.returncode == 0, result.stderr.decode()
    for path in ("deploy/secret.yaml", "deploy/secret.externalsecret.yaml"):
        assert manifest_problems((repo / path).read_text(), eso_command) == [], path
    secret = load_yaml(repo / "deploy/secret.yaml")
    assert secret["data"] == {"username": b64("admin")} and secret["stringData"] is None
    external = load_yaml(repo / "deploy/secret.externalsecret.yaml")
    assert external["apiVersion"] == "external-secrets.io/v1" and external["kind"] == "ExternalSecret"
    assert external["metadata"] == {"name": "api-credentials-keystow", "namespace": "shop"}
    assert external["spec"]["target"] == {"name": "api-credentials", "creationPolicy": "Merge"}
    store = StoreReader(aws_env)
    stored = {entry["secretKey"]: store.parameter(entry["remoteRef"]["key"]) for entry in external["spec"]["data"]}
    assert stored == {"token": values["data"], "other": values["string"]}  # the decoded secret, not its base64
    assert scan_paths_with_findings(repo) == set()


def test_plan_and_journal_hold_neither_the_secret_nor_its_base64(secret_repo, aws_env):
    repo, values, manifest = secret_repo
    planned = migrate(repo, "--to", "ssm")
    assert planned.returncode == 0, planned.stderr.decode()
    plan_text = (repo / ".keystow" / "plan.json").read_text() + planned.stdout.decode()
    assert "deploy/secret.yaml" in json.loads((repo / ".keystow" / "plan.json").read_text())["changes"]
    done = migrate(repo, "--to", "ssm", "--apply", "--yes")
    assert done.returncode == 0, done.stderr.decode()
    assert b64(values["data"]) not in (repo / "deploy/secret.yaml").read_text()
    [journal] = sorted((repo / ".keystow").glob("journal-*.json"))
    for text in (plan_text, journal.read_text()):
        for value in values.values():
            assert value not in text and b64(value) not in text
    rolled = migrate(repo, "--rollback", str(journal))
    assert rolled.returncode == 0, rolled.stderr.decode()
    assert (repo / "deploy/secret.yaml").read_bytes() == manifest.encode()
    assert not (repo / "deploy/secret.externalsecret.yaml").exists()
    assert git(repo, "status", "--porcelain") == ""


def test_a_base64_piece_is_recorded_by_id_and_restored():
    secret = Fakes(54).github_token()
    text = f"data:\n  token: {b64(secret)}\n  other: {secret}\n"
    edits = [Edit(text.index("  token"), text.index("  other"), "")]
    new, applied = apply_edits(text, edits, {"v": secret})
    assert applied[0].old == (("text", "  token: "), ("base64", "v"), ("text", "\n"))
    assert split_old(secret, {"v": secret}) == (("value", "v"),)
    assert restore(new, applied, {"v": secret}) == text

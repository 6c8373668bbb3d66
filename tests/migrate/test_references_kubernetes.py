"""Kubernetes Secret manifests → an ExternalSecret beside them, located by the YAML parser. Every
rewritten Secret and generated ExternalSecret passes the Kubernetes and ESO schemas (`deployable`)."""

from __future__ import annotations

import base64

import pytest
import yaml

from keystow.migrate.references import plan_file
from keystow.migrate.references.base import FileContext, Site
from keystow.migrate.references.kubernetes import encoded_data_value
from keystow.migrate.rewrite import apply_edits
from keystow.migrate.stores import StoreTarget
from tests.migrate.reference_cases import rewrite
from tests.migrate.validators import manifest_problems

A, B = "Zq8vN2xLp4Rt", "Wm3kP9sD7fHy"
TOKEN = StoreTarget("ssm", "/web/token")


def external_secrets(change) -> list[dict]:
    [generated] = change.generated
    return list(yaml.safe_load_all(generated.render(None)))


@pytest.fixture
def deployable(eso_command):
    """Asserts that each manifest text (a rewritten Secret, a generated ExternalSecret file, or a
    change whose generated file is rendered new) passes its kind's schema."""
    def check(*manifests):
        for manifest in manifests:
            text = manifest if isinstance(manifest, str) else manifest.generated[0].render(None)
            assert manifest_problems(text, eso_command) == [], text
    return check


def test_the_target_is_metadata_name_not_a_label_called_name(deployable):
    text = (f"apiVersion: v1\nkind: Secret\nmetadata:\n  labels:\n    name: frontend\n  name: web-credentials\n"
            f"stringData:\n  token: {A}\n")
    new, change = rewrite("k8s/web.yaml", text, {A: TOKEN})
    deployable(new, change)
    [document] = external_secrets(change)
    assert document["spec"]["target"]["name"] == "web-credentials"
    assert document["metadata"]["name"] == "web-credentials-keystow"


def test_the_external_secret_lives_in_the_secrets_namespace(deployable):
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\n  namespace: shop\nstringData:\n  token: {A}\n"
    new, change = rewrite("k8s/web.yaml", text, {A: TOKEN})
    deployable(new, change)
    [document] = external_secrets(change)
    assert document["metadata"] == {"name": "web-keystow", "namespace": "shop"}
    assert document["apiVersion"] == "external-secrets.io/v1" and document["kind"] == "ExternalSecret"
    assert document["spec"]["target"] == {"name": "web", "creationPolicy": "Merge"}


def test_no_namespace_when_the_secret_has_none(deployable):
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\nstringData:\n  token: {A}\n"
    new, change = rewrite("k8s/web.yaml", text, {A: TOKEN})
    deployable(new, change)
    [document] = external_secrets(change)
    assert document["metadata"] == {"name": "web-keystow"}


def test_secrets_of_one_name_in_two_namespaces_get_one_external_secret_each(deployable):
    text = (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\n  namespace: staging\nstringData:\n"
            f"  token: {A}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  namespace: production\n  name: web\n"
            f"stringData:\n  token: {B}\n")
    new, change = rewrite("web.yaml", text, {A: StoreTarget("ssm", "/staging/token"),
                                             B: StoreTarget("ssm", "/production/token")})
    deployable(new, change)
    staging, production = external_secrets(change)
    assert staging["metadata"] == {"name": "web-keystow", "namespace": "staging"}
    assert production["metadata"] == {"name": "web-keystow", "namespace": "production"}
    assert production["spec"]["data"] == [{"secretKey": "token", "remoteRef": {"key": "/production/token"}}]
    existing = change.generated[0].render(None)
    _, later = rewrite("web.yaml", text.replace(f"  token: {B}\n", f"  other: {B}\n"),
                       {B: StoreTarget("ssm", "/production/other")})
    merged = later.generated[0].render(existing)
    deployable(merged)
    staging, production = yaml.safe_load_all(merged)
    assert [d["secretKey"] for d in staging["spec"]["data"]] == ["token"]
    assert [d["secretKey"] for d in production["spec"]["data"]] == ["token", "other"]


MULTI = f"""# two services
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  mode: fast
---
apiVersion: v1
kind: Secret
metadata:
  name: web
stringData:
  token: '{A}'   # web
---
apiVersion: v1
kind: Secret
metadata:
  name: api
stringData:
  user: api
  token: "{B}"
"""


def test_each_secret_of_a_multi_document_manifest_gets_its_own_external_secret(deployable):
    new, change = rewrite("k8s/app.yaml", MULTI, {A: StoreTarget("ssm", "/web/token"),
                                                   B: StoreTarget("ssm", "/api/token")})
    deployable(new, change)
    assert new == MULTI.replace(f"  token: '{A}'   # web\n", "").replace(f'  token: "{B}"\n', "")
    web, api = external_secrets(change)
    assert web["metadata"] == {"name": "web-keystow"} and web["spec"]["target"]["name"] == "web"
    assert web["spec"]["data"] == [{"secretKey": "token", "remoteRef": {"key": "/web/token"}}]
    assert api["metadata"] == {"name": "api-keystow"} and api["spec"]["target"]["name"] == "api"
    assert api["spec"]["data"] == [{"secretKey": "token", "remoteRef": {"key": "/api/token"}}]


def test_a_later_migration_merges_into_the_matching_document(deployable):
    _, first = rewrite("k8s/app.yaml", MULTI.replace(f"  token: \"{B}\"\n", ""), {A: TOKEN})
    existing = first.generated[0].render(None)
    later = (MULTI.replace(f"'{A}'", "from-store").replace(f'"{B}"', "from-store")
             .replace("  user: api\n", f"  user: api\n  password: {B}\n")
             + f"---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: jobs\nstringData:\n  key: {A}\n")
    new, second = rewrite("k8s/app.yaml", later, {B: StoreTarget("ssm", "/api/password"),
                                                  A: StoreTarget("ssm", "/jobs/key")})
    merged = second.generated[0].render(existing)
    deployable(new, merged)
    assert merged.startswith(existing)  # nothing generated before is rewritten
    web, api, jobs = yaml.safe_load_all(merged)
    assert [d["secretKey"] for d in web["spec"]["data"]] == ["token"]
    assert api["spec"]["data"] == [{"secretKey": "password", "remoteRef": {"key": "/api/password"}}]
    assert jobs["metadata"] == {"name": "jobs-keystow"} and jobs["spec"]["target"]["name"] == "jobs"
    assert second.generated[0].render(merged) == merged  # nothing left to add


def test_entries_are_appended_inside_the_data_list_of_their_document(deployable):
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\nstringData:\n  token: {A}\n"
    _, first = rewrite("web.yaml", text, {A: TOKEN})
    existing = first.generated[0].render(None) + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n"
    _, second = rewrite("web.yaml", text.replace(A, B).replace("token", "other"), {B: StoreTarget("ssm", "/web/other")})
    merged = second.generated[0].render(existing)
    deployable(merged)
    external, config_map = yaml.safe_load_all(merged)
    assert [d["secretKey"] for d in external["spec"]["data"]] == ["token", "other"]
    assert config_map == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other"}}


def test_only_whole_values_of_block_entries_move():
    text = (f"kind: Secret\nmetadata:\n  name: db\nstringData:\n  url: postgres://app:{A}@db/orders\n"
            f"  inline: {{k: {B}}}\n")
    new, change = rewrite("db.yaml", text, {A: TOKEN, B: TOKEN})
    assert new == text and not change.generated
    assert [reason for _, reason in change.manual] == [
        "the secret is only part of this value; the ExternalSecret would replace all of it",
        "only entries of a Secret's stringData or data move to an ExternalSecret"]


def test_a_secret_outside_a_secret_document_is_manual():
    text = (f"kind: Secret\nmetadata:\n  name: web\n---\nkind: Deployment\nspec:\n  template:\n    spec:\n"
            f"      containers:\n        - env:\n            - name: TOKEN\n              value: {A}\n")
    new, change = rewrite("web.yaml", text, {A: TOKEN})
    assert new == text
    assert change.manual[0][1] == "only entries of a Secret's stringData or data move to an ExternalSecret"


def test_unparseable_manifest_is_manual():
    text = f"kind: Secret\nmetadata:\n  name: web\nstringData:\n  token: {A}\n  bad: [\n"
    new, change = rewrite("web.yaml", text, {A: TOKEN})
    assert new == text and change.manual[0][1] == "the file does not parse as YAML"


def encoded_site(path: str, text: str, secret: str, target: StoreTarget) -> Site:
    """The site the planner makes for a secret found by decoding a `data:` value."""
    start, end = encoded_data_value(text, text.count("\n", 0, text.index(b64(secret))) + 1, secret)
    return Site(path, text.count("\n", 0, start) + 1, start, end, "id-enc", "x", target, encoding="base64")


def b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def test_a_data_value_moves_like_a_string_data_value(deployable):
    text = (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\n  namespace: shop\ntype: Opaque\n"
            f"data:\n  username: {b64('admin')}\n  token: \"{b64(A)}\"\n")
    site = encoded_site("k8s/web.yaml", text, A, TOKEN)
    assert text[site.start:site.end] == b64(A)  # inside the quotes
    change = plan_file(FileContext("k8s/web.yaml", text, (site,)))
    new, _ = apply_edits(text, change.edits, {site.item_id: A})
    deployable(new, change)
    assert yaml.safe_load(new)["data"] == {"username": b64("admin")}
    [document] = external_secrets(change)
    assert document["metadata"] == {"name": "web-keystow", "namespace": "shop"}
    assert document["spec"]["data"] == [{"secretKey": "token", "remoteRef": {"key": "/web/token"}}]


def test_a_data_value_is_located_only_as_the_canonical_encoding_of_the_whole_secret():
    text = f"kind: Secret\nmetadata:\n  name: web\ndata:\n  token: {b64(A)}\nstringData:\n  copy: {b64(A)}\n"
    assert encoded_data_value(text, 5, A) == (text.index(b64(A)), text.index(b64(A)) + len(b64(A)))
    assert encoded_data_value(text, 7, A) is None  # not under data:
    assert encoded_data_value(text, 5, A[:-1]) is None
    assert encoded_data_value(text.replace("kind: Secret", "kind: ConfigMap"), 5, A) is None


def test_a_data_value_not_found_by_decoding_stays():
    # A rule matched the base64 text itself: storing it would make ESO encode it a second time.
    text = f"kind: Secret\nmetadata:\n  name: web\ndata:\n  token: {b64(A)}\n"
    new, change = rewrite("web.yaml", text, {b64(A): TOKEN})
    assert new == text and change.manual[0][1] == "a data: value moves only when its decoded value is the secret"


def test_other_writers_leave_an_encoded_site_to_a_human():
    text = f"kind: Secret\nmetadata:\n  name: web\ndata:\n  token: {b64(A)}\n"
    site = encoded_site("docker-compose.yml", text, A, TOKEN)
    change = plan_file(FileContext("docker-compose.yml", text, (site,)))
    assert not change.edits
    assert change.manual == [(site, "the secret is base64-encoded here; only a Kubernetes Secret's data: entry moves")]


def test_a_long_secret_name_gives_an_external_secret_name_the_api_server_accepts(deployable):
    name = "orders-" + "a" * 240 + ".b"  # 249 characters: with -keystow it would be over 253
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\nstringData:\n  token: {A}\n"
    new, change = rewrite("web.yaml", text, {A: TOKEN})
    deployable(new, change)
    [document] = external_secrets(change)
    assert document["metadata"]["name"] == name[:245] + "-keystow" and len(document["metadata"]["name"]) == 253
    assert document["spec"]["target"]["name"] == name  # the Secret itself keeps its name
    _, later = rewrite("web.yaml", text.replace("token", "other"), {A: StoreTarget("ssm", "/web/other")})
    merged = later.generated[0].render(change.generated[0].render(None))
    [document] = yaml.safe_load_all(merged)  # found again by its cut name: one document, both keys
    assert [d["secretKey"] for d in document["spec"]["data"]] == ["token", "other"]


def test_a_cut_name_does_not_end_a_label_with_a_dot():
    name = "a" * 244 + ".b"  # the cut leaves `aaa….`: trimmed, as `.-keystow` is no valid name
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\nstringData:\n  token: {A}\n"
    _, change = rewrite("web.yaml", text, {A: TOKEN})
    [document] = external_secrets(change)
    assert document["metadata"]["name"] == "a" * 244 + "-keystow"


@pytest.mark.parametrize("metadata, reason", [
    ("  generateName: web-\n", "the Secret has no metadata.name for an ExternalSecret to target"),
    ("  labels:\n    name: web\n", "the Secret has no metadata.name for an ExternalSecret to target"),
    ("  name: web\nimmutable: true\n",
     "the Secret is immutable: ESO cannot merge a key into it (drop `immutable: true` first)"),
])
def test_a_secret_eso_cannot_merge_into_is_manual(metadata, reason):
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n{metadata}stringData:\n  token: {A}\n"
    new, change = rewrite("web.yaml", text, {A: TOKEN})
    assert new == text and not change.generated
    assert [r for _, r in change.manual] == [reason]


def test_an_immutable_false_secret_moves(deployable):
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\nimmutable: false\nstringData:\n  token: {A}\n"
    new, change = rewrite("web.yaml", text, {A: TOKEN})
    deployable(new, change)
    assert A not in new and change.generated

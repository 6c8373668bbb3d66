"""The Kubernetes schema check the migrate tests rely on (tests/migrate/validators.py) rejects what
an API server would: a misspelled field, a wrong enum value, a missing required field, a kind it
has no schema for, a Secret value that is not base64. Otherwise a green migrate test would prove
nothing about the manifests it writes."""

from __future__ import annotations

import copy

import pytest
import yaml

from tests.migrate.validators import kubernetes_objects, kubernetes_problems, manifest_problems

EXTERNAL_SECRET = """apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: web-keystow
  namespace: shop
  labels:
    app.kubernetes.io/part-of: web
spec:
  refreshInterval: 1h
  secretStoreRef:
    kind: ClusterSecretStore
    name: keystow-aws-ssm
  target:
    name: web
    creationPolicy: Merge
  data:
    - secretKey: token
      remoteRef:
        key: /web/token
        property: value
"""
CLUSTER_SECRET_STORE = """apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata:
  name: keystow-aws-ssm
spec:
  provider:
    aws:
      service: ParameterStore
      region: eu-west-1
"""
SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: web
  namespace: shop
type: Opaque
data:
  username: YWRtaW4=
stringData:
  mode: fast
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/example/web:1.0
          envFrom:
            - secretRef: {name: web}
"""


def edited(text: str, edit) -> list[dict]:
    document = copy.deepcopy(yaml.safe_load(text))
    edit(document)
    return [document]


def test_valid_manifests_pass(eso_command):
    text = "---\n".join((EXTERNAL_SECRET, CLUSTER_SECRET_STORE, SECRET, DEPLOYMENT))
    assert manifest_problems(text, eso_command) == []


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d["spec"].update(targt=d["spec"].pop("target")), '/spec: unknown field "targt"'),
    (lambda d: d["metadata"].update(nmespace="shop"), '/metadata: unknown field "nmespace"'),
    (lambda d: d["spec"]["data"][0]["remoteRef"].update(ky=d["spec"]["data"][0]["remoteRef"].pop("key")),
     "/spec/data/0/remoteRef: required"),
    (lambda d: d["spec"]["target"].update(creationPolicy="Merg"), "/spec/target/creationPolicy: enum"),
    (lambda d: d["spec"]["secretStoreRef"].update(kind="SecretStores"), "/spec/secretStoreRef/kind: enum"),
    (lambda d: d["spec"]["data"][0].update(secretKey="a key"), "/spec/data/0/secretKey: pattern"),
    (lambda d: d["spec"].update(data={"token": "/web/token"}), "/spec/data: type"),
    (lambda d: d.update(apiVersion="external-secrets.io/v9"), "no schema for ExternalSecret"),
])
def test_a_broken_external_secret_is_rejected(eso_command, edit, expected):
    problems = kubernetes_problems(edited(EXTERNAL_SECRET, edit), eso_command)
    assert any(expected in problem for problem in problems), problems


def test_a_broken_secret_store_is_rejected(eso_command):
    broken = edited(CLUSTER_SECRET_STORE, lambda d: d["spec"]["provider"]["aws"].update(service="ParamStore"))
    assert any("/spec/provider/aws/service: enum" in p for p in kubernetes_problems(broken, eso_command))


@pytest.mark.parametrize("text, edit, expected", [
    (SECRET, lambda d: d.update(stringdata=d.pop("stringData")), "'stringdata' was unexpected"),
    (SECRET, lambda d: d["data"].update(token="not base64!"), "data.token: not base64"),
    (SECRET, lambda d: d["stringData"].update({"a key": "x"}), "stringData.a key: not a valid key name"),
    (SECRET, lambda d: d["metadata"].update(name=["web"]), "metadata.name"),
    (DEPLOYMENT, lambda d: d["spec"]["template"]["spec"]["containers"][0].update(evn=[]), "'evn' was unexpected"),
    (DEPLOYMENT, lambda d: d["spec"].pop("selector"), "'selector' is a required property"),
    (DEPLOYMENT, lambda d: d.update(apiVersion="extensions/v1beta1"), "Couldn't find schema"),
    (SECRET, lambda d: d["metadata"].update(name="Web"), "metadata.name: not a DNS-1123 subdomain"),
    (SECRET, lambda d: d["metadata"].update(name="w" * 254), "metadata.name: not a DNS-1123 subdomain"),
    (SECRET, lambda d: d["metadata"].pop("name"), "metadata.name: required"),
    (SECRET, lambda d: d["metadata"].update(namespace="shop.eu"), "metadata.namespace: not a DNS-1123 label"),
])
def test_a_broken_built_in_object_is_rejected(text, edit, expected):
    problems = kubernetes_problems(edited(text, edit), None)  # no ESO object: no node needed
    assert any(expected in problem for problem in problems), problems


def test_a_list_is_checked_item_by_item(eso_command):
    listed = {"apiVersion": "v1", "kind": "List", "items": [yaml.safe_load(SECRET), yaml.safe_load(EXTERNAL_SECRET)]}
    assert kubernetes_problems([listed], eso_command) == []
    listed["items"][1]["spec"]["target"]["creationPolicy"] = "Merg"
    assert any("creationPolicy: enum" in problem for problem in kubernetes_problems([listed], eso_command))


def test_an_external_secret_name_over_253_characters_is_rejected(eso_command):
    long = edited(EXTERNAL_SECRET, lambda d: d["metadata"].update(name="a" * 254))
    assert kubernetes_problems(long, eso_command) == [
        "ExternalSecret/" + "a" * 254 + " (external-secrets.io/v1): metadata.name: not a DNS-1123 subdomain of at "
        "most 253 characters (254)"]


def test_an_external_secret_without_its_schema_fails_rather_than_passes():
    assert kubernetes_problems(kubernetes_objects(EXTERNAL_SECRET) or [], None) == [
        "external-secrets.io objects present but no ESO schema (node and npm are needed)"]


def test_only_api_objects_are_manifests():
    assert kubernetes_objects(SECRET + "---\n" + DEPLOYMENT) is not None
    assert kubernetes_objects("resources:\n  - deployment.yaml\n") is None  # a kustomization without a kind
    assert kubernetes_objects("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n") is None
    assert kubernetes_objects("apiVersion: v1\nkind: Config\nclusters: []\n") is None  # a kubeconfig
    assert kubernetes_objects("kind: Secret\nmetadata:\n  name: web\n") is None  # no apiVersion
    assert manifest_problems("key: [\n", None) == ["not a Kubernetes manifest"]

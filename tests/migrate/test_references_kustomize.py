"""Kustomize secretGenerator literals: the literal leaves the kustomization for a `files:` entry
whose file `keystow run --file` writes at deploy time; checked with `kubectl kustomize`, whose
output passes the Kubernetes schemas."""

from __future__ import annotations

import yaml

from testing.fakes import ALNUM, Fakes
from tests.migrate.reference_cases import SSM, rewrite
from tests.migrate.validators import manifest_problems

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api:1.0
          envFrom:
            - secretRef: {name: api}
"""

A, B = Fakes(91).chars(ALNUM, 20), Fakes(92).chars(ALNUM, 20)


def test_secret_literals_move_to_an_env_file_the_others_stay():
    text = ("resources:\n  - deployment.yaml\nsecretGenerator:\n  - name: orders\n    literals:\n"
            f"      - LOG_LEVEL=info\n      - GITHUB_TOKEN={A}\n")
    new, change = rewrite("k8s/overlays/prod/kustomization.yaml", text, {A: SSM})
    assert yaml.safe_load(new)["secretGenerator"] == [
        {"name": "orders", "files": ["GITHUB_TOKEN=keystow-secrets/GITHUB_TOKEN"], "literals": ["LOG_LEVEL=info"]}]
    [generated] = change.generated
    assert generated.path == "k8s/overlays/prod/keystow-secrets/.gitignore" and "*\n" in generated.render(None)
    assert ("keystow run --file k8s/overlays/prod/keystow-secrets/GITHUB_TOKEN=ssm:/app/db_password -- "
            "kubectl apply -k k8s/overlays/prod") in change.note


def test_literals_holding_only_secrets_become_envs():
    text = f"secretGenerator:\n- name: api\n  literals:\n  - TOKEN={A}\n  - KEY={B}\n"
    new, change = rewrite("kustomization.yaml", text, {A: SSM, B: SSM})
    assert yaml.safe_load(new) == {"secretGenerator": [{"name": "api", "files": [
        "TOKEN=keystow-secrets/TOKEN", "KEY=keystow-secrets/KEY"]}]}


def test_part_of_a_literal_is_manual():
    new, change = rewrite("kustomization.yaml", f"secretGenerator:\n- name: a\n  literals:\n  - URL=https://u:{A}@h\n",
                          {A: SSM})
    assert "KEY=value" in change.manual[0][1] and A in new


def test_kubectl_kustomize_builds_the_secret_from_the_environment(tmp_path):
    import base64
    import os
    import shutil
    import subprocess

    import pytest

    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the kustomization is checked by text only")
    text = f"resources:\n- deployment.yaml\nsecretGenerator:\n- name: api\n  literals:\n  - MODE=prod\n  - TOKEN={A}\n"
    new, change = rewrite("kustomization.yaml", text, {A: SSM})
    (tmp_path / "kustomization.yaml").write_text(new)
    (tmp_path / "deployment.yaml").write_text(DEPLOYMENT)
    (tmp_path / "keystow-secrets").mkdir()
    (tmp_path / "keystow-secrets/TOKEN").write_text(B)  # what `keystow run --file` writes for the deploy
    built = subprocess.run([kubectl, "kustomize", str(tmp_path)], capture_output=True, text=True, timeout=120,
                           env=dict(os.environ))
    assert built.returncode == 0, built.stderr
    assert manifest_problems(built.stdout, None) == []
    deployment, secret = sorted(yaml.safe_load_all(built.stdout), key=lambda d: d["kind"])
    # the generated Secret's name carries a content hash, and kustomize puts it in the reference
    assert deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"][0]["secretRef"]["name"] == \
        secret["metadata"]["name"]
    assert base64.b64decode(secret["data"]["TOKEN"]).decode() == B
    assert base64.b64decode(secret["data"]["MODE"]).decode() == "prod"

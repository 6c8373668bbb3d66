"""The source, config, notebook, docs and Terraform files of tests/fixtures/migrate/everytype
migrated against the moto server: each rewritten file passes its own validator where the tool
exists, the manifest resolves to every value, a Terraform state is left by design, at most 5%
is manual, and a rollback restores every byte."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import nbformat
import pytest
import yaml

from testing.fakes import Fakes
from testing.local_moto import reset
from tests.helpers import git, run_keystow
from tests.migrate.migrate_repo import PLACEHOLDER, StoreReader, manifest, migrate
from tests.migrate.test_journal import journal_of
from tests.migrate.test_terraform_validate import PLUGIN_DIR
from tests.moto_server import AWS_TEST_ENV

EVERYTYPE = Path(__file__).resolve().parents[1] / "fixtures" / "migrate" / "everytype"
# This helper's part of the shared fixture directory (the CI and package-manager files are tested
# by test_everytype_e2e.py); numbers 50 and up are this part's placeholders.
OURS = ("infra/", "app/", "scripts/", "notebooks/", "config/", "web/", "docs/", "src/main/", "cdk/", "pulumi/",
        "deploy/")
FAKERS = {"GH": lambda f: f.github_token(), "PW": lambda f: f.password(20),
          "AKID": lambda f: f.aws_access_key_id(), "AWSSK": lambda f: f.aws_secret_access_key()}


def _fill(repo: Path) -> dict[str, str]:
    fakes, values = Fakes(17), {}
    for source in sorted(EVERYTYPE.rglob("*")):
        relative = source.relative_to(EVERYTYPE).as_posix()
        if not source.is_file() or not relative.startswith(OURS):
            continue
        text = source.read_bytes().decode("utf-8")
        for kind, number in PLACEHOLDER.findall(text):
            values.setdefault(kind + number, FAKERS[kind](fakes))
        target = repo / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(PLACEHOLDER.sub(lambda m: values[m.group(1) + m.group(2)], text).encode("utf-8"))
    return values


@pytest.fixture(scope="module")
def migrated(moto_server, tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
        for name, value in AWS_TEST_ENV.items():
            monkeypatch.setenv(name, value)
        reset(moto_server)
        repo = tmp_path_factory.mktemp("srcconfig") / "orders"
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        values = _fill(repo)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "every source and config type, with fake credentials")
        original = {p.relative_to(repo).as_posix(): p.read_bytes() for p in repo.rglob("*")
                    if p.is_file() and ".git" not in p.relative_to(repo).parts}
        result = migrate(repo, "--to", "ssm", "--apply", "--yes")
        assert result.returncode == 0, result.stderr.decode()
        yield repo, values, original, StoreReader(moto_server)


def test_at_most_five_percent_manual_and_the_state_file_by_design(migrated):
    repo, values, _, _ = migrated
    summary = json.loads((repo / ".keystow/plan.json").read_text())["summary"]
    assert summary["manual_by_design"] == 1  # infra/terraform.tfstate, with the remote-backend remedy
    assert summary["manual"] <= 0.05 * summary["occurrences"], summary
    assert summary["rewritten"] + summary["manual"] + summary["manual_by_design"] == summary["occurrences"]
    assert values["GH52"] in (repo / "infra/terraform.tfstate").read_text()  # never rewritten
    for path in repo.rglob("*"):
        if path.is_file() and ".git" not in path.parts and path.name != "terraform.tfstate":
            text = path.read_bytes().decode("utf-8", "replace")
            assert not any(value in text for value in values.values()), path


def test_the_manifest_resolves_every_variable_to_its_value(migrated):
    repo, values, _, store = migrated
    refs = manifest(repo)
    expected = {"TF_VAR_db_password": "PW50", "TF_VAR_webhook_token": "GH50", "AWS_ACCESS_KEY_ID": "AKID50",
                "AWS_SECRET_ACCESS_KEY": "AWSSK50", "REPORTS_TOKEN": "GH53", "GitHub__Token": "GH66",
                "GITHUB_CLIENT_TOKEN": "GH70", "GITHUB_WEBHOOK_SECRET": "GH76"}
    for variable, placeholder in expected.items():
        assert store.reference(refs[variable]) == values[placeholder], variable
    # GITHUB_TOKEN names several different values here (Java, C#, the notebook...): one keeps the
    # name, the others get a numeric suffix; every entry resolves to a value that was in a file.
    assert {store.reference(reference) for reference in refs.values()} <= set(values.values())


def test_keystow_run_gives_the_program_every_value(migrated):
    repo, values, _, _ = migrated
    refs = manifest(repo)
    code = "import json, os, sys; print(json.dumps({k: os.environ.get(k) for k in sys.argv[1:]}))"
    result = run_keystow("run", "--", sys.executable, "-c", code, *sorted(refs), cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    given = json.loads(result.stdout)
    assert given["TF_VAR_db_password"] == values["PW50"] and given["GitHub__Token"] == values["GH66"]
    assert given["AWS_ACCESS_KEY_ID"] == values["AKID50"] and given["AWS_SECRET_ACCESS_KEY"] == values["AWSSK50"]
    assert all(given[name] in values.values() for name in refs)


def test_python_with_bom_java_rust_parse(migrated, tmp_path):
    repo, _, _, _ = migrated
    data = (repo / "app/reports_settings.py").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b'REPORTS_TOKEN = os.environ["REPORTS_TOKEN"]' in data
    ast.parse(data)
    go = (repo / "app/main.go").read_text()
    assert go.count("import") == 1 and 'import (\n\t"fmt"\n\t"os"\n)' in go
    _maybe_compile(["javac", "-d", str(tmp_path), str(repo / "app/Main.java")])
    _maybe_compile(["rustc", "--edition", "2021", "--crate-type", "lib", "--emit", "metadata",
                    "-o", str(tmp_path / "lib.rmeta"), str(repo / "app/src/lib.rs")])
    _maybe_compile(["gofmt", "-e", "-l", str(repo / "app/main.go")])
    assert "val RELEASE_TOKEN = System.getenv(" in (repo / "app/Client.kt").read_text()
    assert "$env:GITHUB_TOKEN" in (repo / "scripts/deploy.ps1").read_text()


def _maybe_compile(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        return  # that language's tool is not on this machine: its rewrite is checked by text above
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr


def test_notebook_json_xml_docs(migrated):
    repo, _, _, _ = migrated
    notebook = nbformat.read(str(repo / "notebooks/explore.ipynb"), as_version=4)
    nbformat.validate(notebook)
    setup = notebook.cells[1]
    assert setup.outputs == [] and setup.execution_count == 1 and 'os.environ["GITHUB_TOKEN' in setup.source
    assert notebook.cells[2].outputs  # a cell without the secret keeps its output
    assert json.loads((repo / "web/appsettings.json").read_text())["GitHub"]["Token"] == ""
    assert re.fullmatch(r"\$\{\w+\}", json.loads((repo / "config/service.json").read_text())["github"]["token"])
    for path in ("config/applicationContext.xml", "web/Web.config"):
        ElementTree.fromstring((repo / path).read_bytes())
    assert re.search(r"export GITHUB_TOKEN=<from SSM: /orders/docs/setup/\w+>", (repo / "docs/setup.md").read_text())


def test_terraform_validates(migrated, tmp_path):
    repo, _, _, _ = migrated
    terraform = shutil.which("terraform")
    if terraform is None or not (PLUGIN_DIR / "registry.terraform.io/hashicorp/aws").is_dir():
        pytest.skip("no Terraform CLI or no local hashicorp/aws provider (no network to download it)")
    work = tmp_path / "infra"
    shutil.copytree(repo / "infra", work, ignore=shutil.ignore_patterns("*.tfstate"))
    main = (work / "main.tf").read_text()
    assert not re.search(r"^\s*(access_key|secret_key)\s*=", main, re.M) and "data.aws_ssm_parameter" in main
    for args in (["init", "-backend=false", "-input=false", f"-plugin-dir={PLUGIN_DIR}"], ["validate", "-no-color"]):
        result = subprocess.run([terraform, *args], cwd=work, capture_output=True, text=True, timeout=300,
                                env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CHECKPOINT_DISABLE": "1"})
        assert result.returncode == 0, result.stdout + result.stderr


def test_cdk_and_pulumi_read_the_store_at_deploy(migrated):
    repo, values, _, store = migrated
    cdk = (repo / "cdk/app.ts").read_text()
    name = re.search(r"cdk\.SecretValue\.secretsManager\('([^']+)'\)\.unsafeUnwrap\(\)", cdk).group(1)
    assert store.secret(name) == values["GH72"]
    pulumi = (repo / "pulumi/__main__.py").read_text()
    name = re.search(r'aws\.ssm\.get_parameter_output\(name="([^"]+)", with_decryption=True\)\.value', pulumi).group(1)
    assert store.parameter(name) == values["GH73"]
    ast.parse(pulumi)


def test_helm_and_kustomize_take_the_value_at_deploy(migrated):
    repo, values, _, store = migrated
    helm = yaml.safe_load((repo / "deploy/helm/orders/values.yaml").read_text())
    assert helm["github"]["token"] == "" and helm["replicaCount"] == 2
    kustomization = yaml.safe_load((repo / "deploy/kustomize/kustomization.yaml").read_text())
    assert kustomization["secretGenerator"] == [
        {"name": "orders", "files": ["GITHUB_TOKEN=keystow-secrets/GITHUB_TOKEN"], "literals": ["LOG_LEVEL=info"]}]
    assert (repo / "deploy/kustomize/keystow-secrets/.gitignore").is_file()
    plan = json.loads((repo / ".keystow/plan.json").read_text())
    notes = [o["note"] for i in plan["items"] for m in i["members"] for o in m["occurrences"]
             if o.get("style") == "helm"]
    assert notes and "--set-string 'github.token'=" in notes[0]


def test_rollback_restores_every_byte(migrated):  # last: it undoes the shared migration
    repo, _, original, _ = migrated
    result = migrate(repo, "--rollback", str(journal_of(repo)))
    assert result.returncode == 0, result.stderr.decode()
    now = {p.relative_to(repo).as_posix(): p.read_bytes() for p in repo.rglob("*")
           if p.is_file() and ".git" not in p.relative_to(repo).parts and ".keystow" not in p.relative_to(repo).parts}
    assert now == original

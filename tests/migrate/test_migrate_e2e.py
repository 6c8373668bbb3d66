"""`keystow migrate` end to end against a moto server: every reference style rewritten, still
parsing, and resolving through its own name to the value that was in the file."""

from __future__ import annotations

import ast
import json
import re
import stat

import pytest

from tests.helpers import git
from tests.migrate.migrate_repo import (
    StoreReader,
    fresh_moto_repo,
    load_yaml,
    make_repo,
    manifest,
    migrate,
    scan_paths_with_findings,
)


@pytest.fixture(scope="module")
def migrated(moto_server, tmp_path_factory):
    """One migration of the whole fixture repository, shared by the read-only checks below."""
    with fresh_moto_repo(moto_server, tmp_path_factory, "migrated") as repo:
        values = make_repo(repo)
        result = migrate(repo, "--to", "ssm", "--apply", "--yes")
        assert result.returncode == 0, result.stderr.decode()
        yield repo, values, StoreReader(moto_server)


def test_cloudformation_uses_ssm_secure_only_where_supported(migrated):
    repo, values, store = migrated
    template = load_yaml(repo / "infra/template.yaml")
    password = template["Resources"]["Database"]["Properties"]["MasterUserPassword"]
    name = re.fullmatch(r"\{\{resolve:ssm-secure:(/[\w/.-]+)\}\}", password).group(1)
    assert store.parameter(name) == values["GH1"]
    variable = template["Resources"]["Webhook"]["Properties"]["Environment"]["Variables"]["GITHUB_TOKEN"]
    secret = re.fullmatch(r"\{\{resolve:secretsmanager:([\w/.-]+)\}\}", variable).group(1)
    assert store.secret(secret) == values["GH2"]
    assert "# the database and the webhook function" in (repo / "infra/template.yaml").read_text()


def test_serverless_terraform_ansible(migrated):
    repo, values, store = migrated
    text = (repo / "serverless.yml").read_text()
    assert "  # used by the release hook" in text
    name = re.search(r"DEPLOY_TOKEN: \$\{ssm:(/[\w/.-]+)\}", text).group(1)
    assert load_yaml(repo / "serverless.yml")["provider"]["environment"]["DEPLOY_TOKEN"] == f"${{ssm:{name}}}"
    assert store.parameter(name) == values["GH3"]

    local = re.search(r"token = data\.aws_ssm_parameter\.(\w+)\.value", (repo / "tf/main.tf").read_text()).group(1)
    block = re.search(
        rf'data "aws_ssm_parameter" "{local}" \{{\s*name = "([^"]+)"', (repo / "tf/keystow_secrets.tf").read_text()
    )
    assert store.parameter(block.group(1)) == values["GH4"]

    token = load_yaml(repo / "group_vars/all.yml")["github_token"]
    name = re.fullmatch(r"\{\{ lookup\('amazon.aws.ssm_parameter', '([^']+)'\) \}\}", token).group(1)
    assert store.parameter(name) == values["GH5"]


def test_codebuild_ecs_kubernetes(migrated):
    repo, values, store = migrated
    env = load_yaml(repo / "buildspec.yml")["env"]
    assert env["variables"] == {"LOG_LEVEL": "info"}
    assert store.parameter(env["parameter-store"]["RELEASE_TOKEN"]) == values["GH6"]

    container = json.loads((repo / "ecs/taskdef.json").read_text())["containerDefinitions"][0]
    assert container["environment"] == [{"name": "LOG_LEVEL", "value": "info"}]
    [secret] = container["secrets"]
    assert secret["name"] == "GITHUB_TOKEN"
    assert store.parameter("/" + secret["valueFrom"].split(":parameter/", 1)[1]) == values["GH7"]

    manifest_doc = load_yaml(repo / "k8s/secret.yaml")
    assert manifest_doc["stringData"] == {"username": "web"}
    external = load_yaml(repo / "k8s/secret.externalsecret.yaml")
    assert external["kind"] == "ExternalSecret" and external["spec"]["target"]["name"] == "web-credentials"
    [entry] = external["spec"]["data"]
    assert entry["secretKey"] == "token" and store.parameter(entry["remoteRef"]["key"]) == values["GH8"]


def test_env_and_source_read_the_environment(migrated):
    repo, values, store = migrated
    refs = manifest(repo)
    expected = {".env": ("STATUS_TOKEN=${STATUS_TOKEN}\r\n", "STATUS_TOKEN", "GH9"),
                "src/js/client.js": ("const token = process.env.TOKEN;", "TOKEN", "GH10"),
                "src/go/main.go": ('apiToken := os.Getenv("API_TOKEN")', "API_TOKEN", "GH11"),
                "src/java/Client.java": ('GITHUB_TOKEN = System.getenv("GITHUB_TOKEN");', "GITHUB_TOKEN", "GH12"),
                "deploy.sh": ('export PUBLISH_TOKEN="${PUBLISH_TOKEN}"', "PUBLISH_TOKEN", "GH13"),
                "Dockerfile": ("ARG BUILD_TOKEN\nENV BUILD_TOKEN=\"${BUILD_TOKEN}\"", "BUILD_TOKEN", "GH14")}
    for path, (text, variable, key) in expected.items():
        content = (repo / path).read_bytes().decode()
        assert text in content, path
        assert store.reference(refs[variable]) == values[key], path
    settings = (repo / "src/settings.py").read_text()
    ast.parse(settings)
    assert 'AWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]' in settings
    assert settings.index("from __future__") < settings.index("import os") < settings.index("DEBUG")
    assert store.reference(refs["AWS_SECRET_ACCESS_KEY"]) == values["AWSSK1"]
    assert '\t"os"\n' in (repo / "src/go/main.go").read_text()
    assert stat.S_IMODE((repo / "deploy.sh").stat().st_mode) == 0o755


def test_rescan_finds_only_the_manual_file_and_rerun_is_a_no_op(migrated):
    repo, values, store = migrated
    assert scan_paths_with_findings(repo) == {"notes.txt"}
    before = git(repo, "diff")
    again = migrate(repo, "--to", "ssm", "--apply", "--yes")
    assert again.returncode == 0, again.stderr.decode()
    assert b"stored 0" in again.stdout and b"rewrote 0 file(s)" in again.stdout
    assert git(repo, "diff") == before


def test_dry_run_writes_nothing(repo, aws_env):
    values = make_repo(repo)
    result = migrate(repo, "--to", "ssm")
    assert result.returncode == 0, result.stderr.decode()
    assert git(repo, "status", "--porcelain") == ""
    store = StoreReader(aws_env)
    assert store.parameter_names() == [] and store.secret_names() == []
    plan_text = (repo / ".keystow" / "plan.json").read_text()
    output = result.stdout.decode()
    for value in values.values():
        assert value not in plan_text and value not in output
    plan = json.loads(plan_text)
    manual = [o for i in plan["items"] for m in i["members"] for o in m["occurrences"] if o["action"] == "manual"]
    assert [(o["path"], o["reason"]) for o in manual] == [("notes.txt", "no known reference syntax for this file type")]
    assert "+    MasterUserPassword: {{resolve:ssm-secure:" not in output  # (indentation is the file's own)
    assert (
        "+      MasterUserPassword: '{{resolve:ssm-secure:" in output
        or '+      MasterUserPassword: "{{resolve:ssm-secure:' in output
    )


def test_non_interactive_apply_without_yes_applies_nothing(repo, aws_env):
    make_repo(repo)
    result = migrate(repo, "--to", "ssm", "--apply")
    assert result.returncode == 2
    assert b"pass --yes" in result.stderr
    assert StoreReader(aws_env).parameter_names() == []
    assert git(repo, "status", "--porcelain") == ""


def test_every_style_with_secretsmanager(repo, aws_env):
    values = make_repo(repo)
    result = migrate(repo, "--to", "secretsmanager", "--apply", "--yes")
    assert result.returncode == 0, result.stderr.decode()
    store = StoreReader(aws_env)
    template = (repo / "infra/template.yaml").read_text()
    names = re.findall(r"\{\{resolve:secretsmanager:([\w/.-]+)\}\}", template)
    assert [store.secret(n) for n in names] == [values["GH1"], values["GH2"]]
    name = re.search(r"\$\{ssm:/aws/reference/secretsmanager/([\w/.-]+)\}", (repo / "serverless.yml").read_text())
    assert store.secret(name.group(1)) == values["GH3"]
    secret_id = re.search(r'secret_id = "([^"]+)"', (repo / "tf/keystow_secrets.tf").read_text()).group(1)
    assert "data.aws_secretsmanager_secret_version." in (repo / "tf/main.tf").read_text()
    assert store.secret(secret_id) == values["GH4"]
    lookup = load_yaml(repo / "group_vars/all.yml")["github_token"]
    assert store.secret(re.search(r"secretsmanager_secret', '([^']+)'", lookup).group(1)) == values["GH5"]
    assert store.secret(load_yaml(repo / "buildspec.yml")["env"]["secrets-manager"]["RELEASE_TOKEN"]) == values["GH6"]
    [secret] = json.loads((repo / "ecs/taskdef.json").read_text())["containerDefinitions"][0]["secrets"]
    assert secret["valueFrom"].startswith("arn:aws:secretsmanager:us-east-1:")
    assert store.secret(secret["valueFrom"]) == values["GH7"]
    [entry] = load_yaml(repo / "k8s/secret.externalsecret.yaml")["spec"]["data"]
    assert store.secret(entry["remoteRef"]["key"]) == values["GH8"]
    refs = manifest(repo)
    assert refs["AWS_ACCESS_KEY_ID"].endswith("#aws_access_key_id")
    assert store.reference(refs["AWS_ACCESS_KEY_ID"]) == values["AKID1"]
    assert store.reference(refs["AWS_SECRET_ACCESS_KEY"]) == values["AWSSK1"]
    assert store.reference(refs["STATUS_TOKEN"]) == values["GH9"]
    assert scan_paths_with_findings(repo) == {"notes.txt"}

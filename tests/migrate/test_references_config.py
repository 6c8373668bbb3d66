from __future__ import annotations

import json

import yaml

from keystow.migrate.stores import StoreTarget
from tests.migrate.reference_cases import SM, SM_KEY, SSM, rewrite

A, B = "Zq8vN2xLp4Rt", "Wm3kP9sD7fHy"
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf"


def test_serverless_and_grouped_secret_manual():
    text = f"provider:\n  environment:\n    K: {A}\n    J: \"{B}\"\n"
    new, change = rewrite("serverless.yml", text, {A: SSM, B: SM_KEY})
    assert new == f"provider:\n  environment:\n    K: ${{ssm:/app/db_password}}\n    J: \"{B}\"\n"
    assert change.manual[0][1].startswith("a key of a grouped Secrets Manager secret")
    new, _ = rewrite("serverless.yml", text, {B: SM})
    assert yaml.safe_load(new)["provider"]["environment"]["J"] == "${ssm:/aws/reference/secretsmanager/app/db}"


def test_ansible_single_quotes_are_doubled():
    text = f"---\ntoken: '{A}'\nurl: https://u:{B}@h/\n"
    new, _ = rewrite("group_vars/all.yml", text, {A: SSM, B: SM_KEY})
    data = yaml.safe_load(new)
    assert data["token"] == "{{ lookup('amazon.aws.ssm_parameter', '/app/db_password') }}"
    assert data["url"] == ("https://u:{{ lookup('amazon.aws.secretsmanager_secret', 'app/db.password', "
                           "nested=true) }}@h/")


def test_terraform_literal_interpolation_and_secrets_file():
    text = f'resource "x" "y" {{\n  password = "{A}"\n  url      = "https://u:{B}@h"\n}}\n'
    new, change = rewrite("infra/main.tf", text, {A: SSM, B: SM_KEY})
    assert '  password = data.aws_ssm_parameter.keystow_app_db_password.value\n' in new
    assert '"https://u:${jsondecode(data.aws_secretsmanager_secret_version.keystow_app_db.secret_string)' \
           '["password"]}@h"' in new
    [generated] = change.generated
    assert generated.path == "infra/keystow_secrets.tf"
    body = generated.render(None)
    assert 'data "aws_ssm_parameter" "keystow_app_db_password" {\n  name = "/app/db_password"\n}' in body
    assert generated.render(body) == body  # merging again adds nothing


def test_codebuild_moves_into_existing_section_and_drops_empty_variables():
    text = (f"version: 0.2\r\nenv:\r\n  parameter-store:\r\n    OLD: /x\r\n  variables:\r\n"
            f"    TOKEN: \"{A}\"\r\nphases:\r\n  build:\r\n    commands:\r\n      - make\r\n")
    new, _ = rewrite("buildspec.yml", text, {A: SSM})
    assert new == ("version: 0.2\r\nenv:\r\n  parameter-store:\r\n    TOKEN: /app/db_password\r\n    OLD: /x\r\n"
                   "phases:\r\n  build:\r\n    commands:\r\n      - make\r\n")
    text = f"env:\n  variables:\n    A: 1\n    TOKEN: {B}\n"
    new, _ = rewrite("buildspec.yaml", text, {B: SM_KEY})
    assert yaml.safe_load(new) == {"env": {"secrets-manager": {"TOKEN": "app/db:password"}, "variables": {"A": 1}}}


def test_ecs_environment_to_existing_secrets():
    task = {"family": "f", "containerDefinitions": [{"name": "c", "secrets": [{"name": "X", "valueFrom": "/x"}],
                                                      "environment": [{"name": "TOKEN", "value": A}]}]}
    text = json.dumps(task, indent=2) + "\n"
    new, _ = rewrite("task.json", text, {A: SM_KEY}, arn=lambda target: ARN)
    container = json.loads(new)["containerDefinitions"][0]
    assert container["environment"] == []
    assert container["secrets"][1] == {"name": "TOKEN", "valueFrom": ARN + ":password::"}


def test_ecs_creates_secrets_before_environment():
    text = ('{"containerDefinitions": [\n  {\n    "name": "c",\n    "environment": [\n'
            f'      {{"name": "A", "value": "1"}},\n      {{"name": "TOKEN", "value": "{A}"}}\n    ]\n  }}\n]}}\n')
    new, _ = rewrite("task.json", text, {A: SSM}, arn=lambda target: "/app/db_password")
    assert new == ('{"containerDefinitions": [\n  {\n    "name": "c",\n    "secrets": [\n'
                   '      {"name": "TOKEN", "valueFrom": "/app/db_password"}\n    ],\n    "environment": [\n'
                   '      {"name": "A", "value": "1"}\n    ]\n  }\n]}\n')


def test_kubernetes_external_secret_beside_the_manifest():
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\nstringData:\n  user: web\n  token: {A}\n"
    new, change = rewrite("k8s/web.yaml", text, {A: StoreTarget("secretsmanager", "app/web", "token")})
    assert yaml.safe_load(new)["stringData"] == {"user": "web"}
    [generated] = change.generated
    document = yaml.safe_load(generated.render(None))
    assert generated.path == "k8s/web.externalsecret.yaml"
    assert document["spec"]["target"] == {"name": "web", "creationPolicy": "Merge"}
    assert document["spec"]["data"] == [{"secretKey": "token", "remoteRef": {"key": "app/web", "property": "token"}}]
    assert document["spec"]["secretStoreRef"]["name"] == "keystow-aws-secretsmanager"


def test_dotenv():
    text = f"A={A}\nB='{B}'\nC='x{A}y'\n"
    new, change = rewrite(".env.production", text, {A: SSM, B: SSM}, {A: "A", B: "B"})
    assert new.startswith("A=${A}\nB=${B}\n")
    assert change.kind == "dotenv"


def test_unknown_file_type_is_manual_and_untouched():
    new, change = rewrite("notes.txt", f"token {A}\n", {A: SSM})
    assert new == f"token {A}\n" and change.resolves == "manual" and not change.edits


def test_terraform_variable_defaults_are_manual():
    text = f'variable "token" {{\n  default = "{A}"\n}}\n\nresource "x" "y" {{\n  token = "{B}"\n}}\n'
    new, change = rewrite("main.tf", text, {A: SSM, B: SSM})
    assert f'default = "{A}"' in new and "token = data.aws_ssm_parameter." in new
    assert change.manual[0][1] == "a variable block cannot refer to a data source"


def test_kubernetes_second_migration_keeps_earlier_entries():
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\nstringData:\n  token: {A}\n"
    _, first = rewrite("web.yaml", text, {A: StoreTarget("ssm", "/web/token")})
    existing = first.generated[0].render(None)
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: web\nstringData:\n  other: {B}\n"
    _, second = rewrite("web.yaml", text, {B: StoreTarget("ssm", "/web/other")})
    merged = yaml.safe_load(second.generated[0].render(existing))
    assert [d["secretKey"] for d in merged["spec"]["data"]] == ["token", "other"]


def test_docker_compose_interpolates_from_the_environment():
    text = f"services:\n  web:\n    environment:\n      TOKEN: {A}\n      URL: \"https://u:{B}@h\"\n"
    new, change = rewrite("docker-compose.yml", text, {A: SSM, B: SSM}, {A: "TOKEN", B: "URL_PASSWORD"})
    assert yaml.safe_load(new)["services"]["web"]["environment"] == {"TOKEN": "${TOKEN}",
                                                                     "URL": "https://u:${URL_PASSWORD}@h"}
    assert change.manifest == {"TOKEN": "ssm:/app/db_password", "URL_PASSWORD": "ssm:/app/db_password"}


def test_spring_properties_placeholder():
    text = f"spring.datasource.username=app\nspring.datasource.password={A}\n"
    new, change = rewrite("src/main/resources/application.properties", text, {A: SSM}, {A: "DB_PASSWORD"})
    assert new == "spring.datasource.username=app\nspring.datasource.password=${DB_PASSWORD}\n"
    assert change.manifest == {"DB_PASSWORD": "ssm:/app/db_password"}

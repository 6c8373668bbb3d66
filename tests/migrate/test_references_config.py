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


def _old_terraform_variable_defaults_are_manual():
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


def test_terraform_aws_provider_keys_are_removed_never_a_data_source():
    text = (f'provider "aws" {{\n  region     = "us-east-1"\n  access_key = "{A}"\n  secret_key = "{B}"\n}}\n\n'
            f'provider "github" {{\n  token = "{A}gh"\n}}\n')
    targets = {A: StoreTarget("secretsmanager", "app/aws", "aws_access_key_id"),
               B: StoreTarget("secretsmanager", "app/aws", "aws_secret_access_key"), A + "gh": SM_KEY}
    new, change = rewrite("infra/main.tf", text, targets)
    provider = new.split('provider "github"')[0]
    assert "data." not in provider and A not in provider and B not in provider
    assert "  # access_key: removed (the AWS provider reads AWS_ACCESS_KEY_ID)" in provider
    assert change.manifest == {"AWS_ACCESS_KEY_ID": "secretsmanager:app/aws#aws_access_key_id",
                               "AWS_SECRET_ACCESS_KEY": "secretsmanager:app/aws#aws_secret_access_key"}
    assert "assume_role" in change.note and "profile" in change.note
    assert "token = jsondecode(data.aws_secretsmanager_secret_version" in new  # another provider: no cycle


def test_terraform_variable_default_moves_to_tf_var():
    text = (f'variable "token" {{\n  type    = string\n  default = "{A}"\n}}\n\n'
            f'resource "x" "y" {{\n  token = "{B}"\n}}\n')
    new, change = rewrite("main.tf", text, {A: SSM, B: SSM})
    assert A not in new and "  # default: default removed (Terraform reads TF_VAR_token)" in new
    assert change.manifest == {"TF_VAR_token": "ssm:/app/db_password"}
    assert "token = data.aws_ssm_parameter." in new


def test_tfvars_assignment_becomes_tf_var():
    text = f'region = "eu-west-1"\ndb_password = "{A}" # prod\nsettings = {{\n  key = "{B}"\n}}\n'
    new, change = rewrite("infra/prod.tfvars", text, {A: SSM, B: SSM})
    assert new.startswith('region = "eu-west-1"\n# db_password: moved to the secret store; keystow run sets '
                          'TF_VAR_db_password from ssm:/app/db_password\nsettings')
    assert change.manifest == {"TF_VAR_db_password": "ssm:/app/db_password"}
    assert "inside a map or object" in change.manual[0][1]


def test_terraform_state_is_flagged_by_design_and_untouched():
    text = json.dumps({"version": 4, "resources": [{"instances": [{"attributes": {"password": A}}]}]})
    new, change = rewrite("terraform.tfstate", text, {A: SSM})
    assert new == text and not change.edits
    assert change.manual[0][1].startswith("by design: Terraform state is never rewritten")
    assert "-migrate-state" in change.manual[0][1]

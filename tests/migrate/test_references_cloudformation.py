from __future__ import annotations

import json

import yaml

from keystow.migrate.references import secretsmanager_reason
from tests.migrate.reference_cases import SM, SM_KEY, SSM, rewrite, site_for

PASSWORD, TOKEN, STAGE = "dbPassw0rdAx", "tok3nValueBx", "stageValueCx"
YAML_TEMPLATE = f"""AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage:
    Default: {STAGE}
Resources:
  Db:
    Type: AWS::RDS::DBCluster
    Properties:
      MasterUserPassword: {PASSWORD}   # keep me
  Hook:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          TOKEN: '{TOKEN}'
"""


def test_ssm_secure_only_in_documented_property():
    new, _ = rewrite("t.yaml", YAML_TEMPLATE, {PASSWORD: SSM})
    assert "      MasterUserPassword: \"{{resolve:ssm-secure:/app/db_password}}\"   # keep me\n" in new
    assert yaml.safe_load(new)["Resources"]["Db"]["Properties"]["MasterUserPassword"].startswith("{{resolve:")
    assert new.replace('"{{resolve:ssm-secure:/app/db_password}}"', PASSWORD) == YAML_TEMPLATE


def test_ssm_elsewhere_is_refused_and_secretsmanager_works_everywhere_in_resources():
    _, change = rewrite("t.yaml", YAML_TEMPLATE, {TOKEN: SSM})
    assert change.manual[0][1] == "ssm-secure is not supported in this property"
    new, _ = rewrite("t.yaml", YAML_TEMPLATE, {TOKEN: SM_KEY})
    assert "TOKEN: '{{resolve:secretsmanager:app/db:SecretString:password}}'" in new
    yaml.safe_load(new)
    _, change = rewrite("t.yaml", YAML_TEMPLATE, {STAGE: SM})
    assert "only rewritten inside Resources" in change.manual[0][1]


def test_json_template_keeps_layout():
    text = json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"U": {
        "Type": "AWS::IAM::User", "Properties": {"LoginProfile": {"Password": PASSWORD}}}}}, indent=4) + "\n"
    new, _ = rewrite("t.json", text, {PASSWORD: SSM})
    assert json.loads(new)["Resources"]["U"]["Properties"]["LoginProfile"]["Password"] == \
        "{{resolve:ssm-secure:/app/db_password}}"
    assert new.replace("{{resolve:ssm-secure:/app/db_password}}", PASSWORD) == text


def test_planner_moves_unsupported_ssm_item_to_secretsmanager():
    site = site_for("t.yaml", YAML_TEMPLATE, TOKEN, SSM)
    assert "not supported in AWS::Lambda::Function.TOKEN" in secretsmanager_reason("t.yaml", YAML_TEMPLATE, site)
    site = site_for("t.yaml", YAML_TEMPLATE, PASSWORD, SSM)
    assert secretsmanager_reason("t.yaml", YAML_TEMPLATE, site) is None


def test_inside_a_block_scalar_the_reference_is_plain_text():
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Box:\n    Type: AWS::EC2::Instance\n"
            f"    Properties:\n      UserData: !Base64\n        Fn::Sub: |\n          #!/bin/sh\n          {TOKEN}\n")
    new, _ = rewrite("t.yaml", text, {TOKEN: SM})
    assert "          {{resolve:secretsmanager:app/db}}\n" in new

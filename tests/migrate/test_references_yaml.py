"""YAML writers edit only the scalar the parser places a secret in; a file that does not parse
as YAML is left to a human, with the reason."""

from __future__ import annotations

import json

import yaml

from tests.migrate.reference_cases import SM, SM_KEY, SSM, rewrite

A, B = "Zq8vN2xLp4Rt", "Wm3kP9sD7fHy"


def test_unparseable_yaml_is_manual_and_untouched():
    text = f"provider:\n  environment:\n    K: {A}\n   bad: [\n"
    new, change = rewrite("serverless.yml", text, {A: SSM})
    assert new == text and not change.edits
    assert change.manual[0][1] == "the file does not parse as YAML"
    new, change = rewrite("buildspec.yml", f"env:\n  variables:\n    T: {A}\n  x: [\n", {A: SSM})
    assert change.manual[0][1] == "the file does not parse as YAML" and not change.edits


def test_a_secret_in_a_comment_is_manual():
    text = f"---\ntoken: x  # was {A}\n"
    new, change = rewrite("group_vars/all.yml", text, {A: SSM})
    assert new == text and change.manual[0][1] == "not inside a YAML value (a comment?)"


def test_every_document_of_a_stream_is_rewritten_in_place():
    text = f"---\n# first\nuser: app\n---\ntoken: \"{A}\"   # second\nother: '{B}'\n...\n"
    new, _ = rewrite("group_vars/all.yml", text, {A: SSM, B: SSM})
    lookup = "{{ lookup('amazon.aws.ssm_parameter', '/app/db_password') }}"
    doubled = lookup.replace("'", "''")
    assert new == f"---\n# first\nuser: app\n---\ntoken: \"{lookup}\"   # second\nother: '{doubled}'\n...\n"
    assert list(yaml.safe_load_all(new))[1] == {"token": lookup, "other": lookup}


def test_plain_scalars_are_quoted_only_when_the_whole_value_needs_it():
    text = f"services:\n  web:\n    environment: {{TOKEN: {A}, URL: u-{B}}}\n"
    new, change = rewrite("docker-compose.yml", text, {A: SSM, B: SSM}, {A: "TOKEN", B: "URL_PASSWORD"})
    assert new == f"services:\n  web:\n    environment: {{TOKEN: \"${{TOKEN}}\", URL: u-{B}}}\n"
    # `{` would end a plain scalar inside a flow mapping: quoting all of `u-...` is not this writer's call.
    assert change.manual[0][1] == "the reference cannot sit inside this plain scalar"


def test_a_whole_plain_value_whose_reference_has_colon_space_is_quoted():
    text = f"---\ntoken: {A}\n"
    new, _ = rewrite("group_vars/all.yml", text, {A: SM_KEY})
    assert yaml.safe_load(new)["token"] == ("{{ lookup('amazon.aws.secretsmanager_secret', 'app/db.password', "
                                            "nested=true) }}")


def test_cloudformation_json_with_tabs_and_sections_by_path():
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Parameters": {"Stage": {"Default": B}},
                "Resources": {"U": {"Type": "AWS::IAM::User", "Properties": {"LoginProfile": {"Password": A}}}}}
    text = json.dumps(template, indent="\t") + "\n"
    new, change = rewrite("t.json", text, {A: SSM, B: SM})
    assert json.loads(new)["Resources"]["U"]["Properties"]["LoginProfile"]["Password"] == \
        "{{resolve:ssm-secure:/app/db_password}}"
    assert new.replace("{{resolve:ssm-secure:/app/db_password}}", A) == text
    assert change.manual[0][1] == "dynamic references are only rewritten inside Resources (found in Parameters)"


def test_cloudformation_resource_type_comes_from_the_resource_itself():
    # A `Type:` earlier in the text (here inside another resource's properties) is not this one's.
    text = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n    Properties:\n"
            f"      Tags: [{{Key: Type, Value: x}}]\n      MasterUserPassword: {A}\n    Type: AWS::RDS::DBInstance\n"
            f"  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n"
            f"          Type: AWS::RDS::DBInstance\n          MasterUserPassword: {B}\n")
    new, change = rewrite("t.yaml", text, {A: SSM, B: SSM})
    assert yaml.safe_load(new)["Resources"]["Db"]["Properties"]["MasterUserPassword"] == \
        "{{resolve:ssm-secure:/app/db_password}}"
    assert change.manual[0][1] == "ssm-secure is not supported in this property"


def test_codebuild_moves_only_whole_block_variables():
    text = (f"version: 0.2\nenv:\n  parameter-store:\n  variables:\n    AUTH: \"Bearer {A}\"\n"
            f"    TOKEN: '{B}'  # release\n    FLOW: {{X: 1}}\n")
    new, change = rewrite("buildspec.yml", text, {A: SSM, B: SSM})
    assert new == ("version: 0.2\nenv:\n  parameter-store:\n    TOKEN: /app/db_password\n  variables:\n"
                   f"    AUTH: \"Bearer {A}\"\n    FLOW: {{X: 1}}\n")
    assert change.manual[0][1] == "only a variable whose whole value is the secret can move to the store's section"


def test_codebuild_flow_variables_are_manual():
    text = f"env:\n  variables: {{TOKEN: {A}}}\n"
    new, change = rewrite("buildspec.yml", text, {A: SSM})
    assert new == text and change.manual[0][1] == "only block-style entries of env: variables: (one per line) can move"

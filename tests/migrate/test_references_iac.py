"""CDK and Pulumi programs: the framework's own deploy-time reference, never an environment read."""

from __future__ import annotations

import ast

from keystow.migrate.references import secretsmanager_reason
from keystow.migrate.stores import StoreTarget
from testing.fakes import ALNUM, Fakes
from tests.migrate.reference_cases import SSM, rewrite

SECRET = Fakes(71).chars(ALNUM, 22)
SM = StoreTarget("secretsmanager", "orders/github_token")


def test_cdk_typescript_uses_the_existing_alias_and_resolves_at_deploy():
    text = ("#!/usr/bin/env node\nimport * as cdk from 'aws-cdk-lib';\n"
            "import * as lambda from 'aws-cdk-lib/aws-lambda';\n"
            f"new lambda.Function(stack, 'Fn', {{ environment: {{ TOKEN: '{SECRET}' }} }});\n")
    new, change = rewrite("cdk/app.ts", text, {SECRET: SM})
    assert "TOKEN: cdk.SecretValue.secretsManager('orders/github_token').unsafeUnwrap() }" in new
    assert change.kind == "iac:cdk" and change.resolves == "deploy" and not change.manifest


def test_cdk_python_adds_the_secretvalue_import_after_the_docstring():
    text = f'"""Stack."""\nfrom aws_cdk import Stack\n\nTOKEN = "{SECRET}"\n'
    new, _ = rewrite("cdk/stack.py", text, {SECRET: SM})
    assert new == ('"""Stack."""\nfrom aws_cdk import SecretValue\nfrom aws_cdk import Stack\n\n'
                   'TOKEN = SecretValue.secrets_manager("orders/github_token").unsafe_unwrap()\n')
    ast.parse(new)


def test_cdk_values_go_to_secrets_manager():
    text = f"import * as cdk from 'aws-cdk-lib';\nconst t = '{SECRET}';\n"
    assert "SecretValue.secretsManager resolves in every" in secretsmanager_reason("cdk/app.ts", text, None)


def test_pulumi_typescript_and_python():
    text = f'import * as aws from "@pulumi/aws";\nconst token = "{SECRET}";\n'
    new, change = rewrite("infra/index.ts", text, {SECRET: SSM})
    assert new == ('import * as aws from "@pulumi/aws";\nconst token = '
                   "aws.ssm.getParameterOutput({ name: '/app/db_password', withDecryption: true }).value;\n")
    text = f'import pulumi_aws as aws\n\ntoken = "{SECRET}"\nurl = "https://x:{SECRET}y@h"\n'
    new, change = rewrite("infra/__main__.py", text, {SECRET: SM, SECRET + "y": SM})
    assert 'token = aws.secretsmanager.get_secret_version_output(secret_id="orders/github_token").secret_string' in new
    assert "part of a string literal" in change.manual[0][1]
    ast.parse(new)


def test_pulumi_without_an_alias_falls_back_to_the_environment():
    text = f'import pulumi\nfrom pulumi_aws import s3\n\ntoken = "{SECRET}"\n'
    new, change = rewrite("infra/__main__.py", text, {SECRET: SSM}, {SECRET: "TOKEN"})
    assert 'token = os.environ["TOKEN"]' in new and change.manifest == {"TOKEN": "ssm:/app/db_password"}

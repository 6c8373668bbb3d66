"""CI and package-manager writers on small texts: what each edit looks like, where the steps that
read from AWS go, and what stays manual."""

from __future__ import annotations

import yaml

from tests.migrate.reference_cases import SM_KEY, SSM, rewrite

A, B = "Zq8vN2xLp4RtXw", "Wm3kP9sD7fHyQe"
ARN = lambda target: f"arn:aws:ssm:eu-west-1:123456789012:parameter{target.name}"  # noqa: E731


def test_github_job_permissions_get_id_token_and_steps_go_first():
    text = ("on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
            "    permissions:\n      id-token: none\n"
            f"    steps:\n      - run: echo hi\n        env:\n          TOKEN: {A}\n"
            f"  b:\n    runs-on: ubuntu-latest\n    steps:\n    - run: ./release --token '{B}'\n")
    new, change = rewrite(".github/workflows/ci.yml", text, {A: SSM, B: SM_KEY}, {B: "RELEASE_TOKEN"}, arn=ARN)
    doc = yaml.safe_load(new)
    assert not change.manual
    assert doc["jobs"]["a"]["permissions"] == {"id-token": "write"}
    assert doc["permissions"] == {"id-token": "write", "contents": "read"}
    a_steps, b_steps = doc["jobs"]["a"]["steps"], doc["jobs"]["b"]["steps"]
    assert a_steps[0]["with"] == {"role-to-assume": "${{ secrets.KEYSTOW_AWS_ROLE_ARN }}", "aws-region": "eu-west-1"}
    assert "--name '/app/db_password'" in a_steps[1]["run"]
    assert 'echo "TOKEN=$TOKEN" >> "$GITHUB_ENV"' in a_steps[1]["run"]
    assert a_steps[2] == {"run": "echo hi"}
    assert "jq -r '.[\"password\"]'" in b_steps[1]["run"]
    assert b_steps[2] == {"run": "./release --token ''\"${RELEASE_TOKEN}\"''"}


def test_github_aws_keys_become_the_role_step_only():
    text = (f"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      AWS_ACCESS_KEY_ID: {A}\n"
            f"      AWS_SECRET_ACCESS_KEY: {B}\n    steps:\n      - run: aws s3 ls\n")
    new, change = rewrite(".github/workflows/ci.yml", text, {A: SSM, B: SSM})
    steps = yaml.safe_load(new)["jobs"]["a"]["steps"]
    assert [s.get("uses") for s in steps] == ["aws-actions/configure-aws-credentials@v4", None]
    assert "env" not in yaml.safe_load(new)["jobs"]["a"]
    assert steps[0]["with"]["aws-region"] == "${{ secrets.AWS_REGION }}"  # no region known in the plan


def test_github_service_container_env_is_manual():
    text = (f"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres\n"
            f"        env:\n          POSTGRES_PASSWORD: {A}\n    steps:\n      - run: make test\n")
    new, change = rewrite(".github/workflows/ci.yml", text, {A: SSM})
    assert new == text and "service or container env" in change.manual[0][1]


def test_github_reusable_workflow_call_is_manual():
    text = f"on: push\njobs:\n  a:\n    uses: acme/wf/.github/workflows/x.yml@v1\n    with:\n      token: {A}\n"
    new, change = rewrite(".github/workflows/ci.yml", text, {A: SSM})
    assert new == text and "reusable" in change.manual[0][1]


def test_gitlab_global_variable_reaches_every_job_before_its_script():
    text = (f"variables:\n  TOKEN: {A}\nbuild:\n  before_script:\n    - make deps\n  script:\n    - make\n"
            "test:\n  script: [make test]\n")
    new, change = rewrite(".gitlab-ci.yml", text, {A: SSM})
    # `test`'s script is a flow sequence: no step can be added there, so nothing is half-done
    assert new == text and "cannot add the step" in change.manual[0][1]
    text = text.replace("[make test]", "\n    - make test")
    new, change = rewrite(".gitlab-ci.yml", text, {A: SSM})
    doc = yaml.safe_load(new)
    fetch = "TOKEN=\"$(aws ssm get-parameter --with-decryption --name '/app/db_password' " \
            "--query Parameter.Value --output text)\" && export TOKEN"
    assert "variables" not in doc
    assert doc["build"]["before_script"] == [fetch, "make deps"] and doc["test"]["script"] == [fetch, "make test"]


def test_package_manager_files():
    new, _ = rewrite(".npmrc", f"//r.example/:_authToken={A}\n", {A: SSM}, {A: "NPM_TOKEN"})
    assert new == "//r.example/:_authToken=${NPM_TOKEN}\n"
    new, change = rewrite(".pypirc", f"[pypi]\r\nusername = __token__\r\npassword = {A}\r\n", {A: SSM})
    assert new == "[pypi]\r\nusername = __token__\r\n" and change.manifest == {"TWINE_PASSWORD": "ssm:/app/db_password"}
    new, change = rewrite("gradle.properties", f"a=1\nrepo.password={A}\nb=2\n", {A: SSM})
    assert new == "a=1\nb=2\n" and list(change.manifest) == ["ORG_GRADLE_PROJECT_repo.password"]
    new, _ = rewrite("NuGet.config", f'<c><add key="ClearTextPassword" value="{A}" /></c>', {A: SSM}, {A: "FEED_PW"})
    assert new == '<c><add key="ClearTextPassword" value="%FEED_PW%" /></c>'
    new, _ = rewrite("m2/settings.xml", f"<settings><password>{A}</password></settings>", {A: SSM}, {A: "PW"})
    assert new == "<settings><password>${env.PW}</password></settings>"


def test_jenkinsfile_environment_only():
    text = f"pipeline {{\n  environment {{\n    TOKEN = '{A}'\n  }}\n  stages {{ sh \"x {B}\" }}\n}}\n"
    new, change = rewrite("Jenkinsfile", text, {A: SSM, B: SSM})
    assert "TOKEN = sh(script: \"aws ssm get-parameter --with-decryption --name '/app/db_password'" in new
    assert [reason for _, reason in change.manual] == ["only a quoted value assigned in an environment { } block is "
                                                       "rewritten"]


def test_secret_file_is_deleted_and_ignored():
    from keystow.migrate.references.secretfile import ignore_path

    text = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
    new, change = rewrite("deploy/id_ed25519", text, {text: SSM})
    assert new == "" and change.delete and change.manifest == {"file:deploy/id_ed25519": "ssm:/app/db_password"}
    assert [g.path for g in change.generated] == [".gitignore"]
    assert ignore_path(None, "keys/a b[1].pem") == "/keys/a\\ b\\[1\\].pem\n"
    assert ignore_path("node_modules\r\n/x", "x") == "node_modules\r\n/x"
    assert ignore_path("node_modules", "k/id_rsa") == "node_modules\n/k/id_rsa\n"
    _, partial = rewrite("deploy/id_ed25519", text, {"AAAA": SSM})
    assert not partial.edits and partial.manual[0][1] == "only part of the file is being migrated"


def test_azure_list_form_variable_item_is_removed():
    text = (f"variables:\n  - group: shared\n  - name: SONAR_TOKEN\n    value: {A}\n  - name: LEVEL\n    value: info\n"
            "jobs:\n  - job: a\n    steps:\n      - script: ./gradlew sonar\n")
    new, change = rewrite("azure-pipelines.yml", text, {A: SSM})
    doc = yaml.safe_load(new)
    assert not change.manual
    assert doc["variables"] == [{"group": "shared"}, {"name": "LEVEL", "value": "info"}]
    first = doc["jobs"][0]["steps"][0]
    assert "set -e" in first["bash"] and "##vso[task.setvariable variable=SONAR_TOKEN]$value" in first["bash"]


def test_gitlab_expanded_variable_is_removed_whole():
    text = (f"variables:\n  TOKEN:\n    value: {A}\n    description: release token\n  LEVEL: info\n"
            "build:\n  script:\n    - make\n")
    new, change = rewrite(".gitlab-ci.yml", text, {A: SSM})
    doc = yaml.safe_load(new)
    assert not change.manual and doc["variables"] == {"LEVEL": "info"}
    script = doc["build"]["script"]
    assert script[0].startswith('TOKEN="$(aws ssm get-parameter') and script[1] == "make"


def test_credential_files_are_secret_files():
    from keystow.migrate.references import secretfile, writer_for

    gcp = '{"type": "service_account", "client_email": "a@p.iam.gserviceaccount.com", "private_key": "-----"}'
    for path, text in ((".git-credentials", "https://u:t@github.com\n"), ("ops/.pgpass", "db:5432:*:app:pw\n"),
                       ("gcp/key.json", gcp), ("auth.json", '{"github-oauth": {"github.com": "t"}}')):
        assert writer_for(path, text) is secretfile, path
    assert writer_for("auth.json", '{"require": {}}') is not secretfile
    new, _ = rewrite(".yarnrc.yml", f"npmAuthToken: {A}\n", {A: SSM}, {A: "NPM_TOKEN"})
    assert yaml.safe_load(new) == {"npmAuthToken": "${NPM_TOKEN}"}

"""The harder half of the corpus (issue 15 items 2 and 3): more assignment syntaxes, credential
files and infrastructure structures, weak passwords only an audit run should report, and hard
negatives real repositories are full of (minified JS, digests under digest names, i18n strings,
provider sample values)."""

from __future__ import annotations

import base64
import json

from kinds import ALNUM, HEX, clean, generic_password

WEAK = ("gorilla", "changeme1", "summer2024", "hunter22", "welcome1", "qwerty12")


def harder_cases(w, i: int) -> None:
    for write in (_code_syntaxes, _scripts, _credential_files, _terraform, _cloudformation, _docker, _vendor,
                  _weak_passwords, _negatives):
        write(w, i)


def _code_syntaxes(w, i: int) -> None:
    f = w.fakes
    d = f"syntax2/{i}"
    w.add(f"{d}/Secrets.cs", "namespace Acme.Orders {\n  public static class Secrets {")
    w.add(f"{d}/Secrets.cs", f'    public const string ApiSecret = "{clean(generic_password, f)}";', "password:csharp-const")
    w.add(f"{d}/Secrets.cs", f'    var cred = new NetworkCredential("svc", "{clean(generic_password, f)}");',
          "password:csharp-credential")
    w.add(f"{d}/Secrets.cs", "  }\n}")
    w.add(f"{d}/Client.java", "@Configuration\npublic class Client {")
    w.add(f"{d}/Client.java", f'    @Value("{clean(generic_password, f)}") private String clientSecret;',
          "password:java-annotation")
    w.add(f"{d}/Client.java", f'    Map<String, String> creds = Map.of("password", "{clean(generic_password, f)}");',
          "password:java-map")
    w.add(f"{d}/Client.java", "}")
    w.add(f"{d}/config.php", "<?php\n$dsn = 'mysql:host=db;dbname=shop';")
    w.add(f"{d}/config.php", f"$auth_token .= '{clean(generic_password, f)}';", "password:php-append")
    w.add(f"{d}/config.pl", "use strict;\nmy %cfg = (")
    w.add(f"{d}/config.pl", f"    password => '{clean(generic_password, f)}',", "password:perl-hash")
    w.add(f"{d}/config.pl", ");")
    w.add(f"{d}/Makefile", ".PHONY: deploy\ndeploy:\n\t./deploy.sh")
    for op in ("::=", "?=", "+="):
        w.add(f"{d}/Makefile", f"API_SECRET {op} {clean(generic_password, f)}", f"password:makefile{op}")
    w.add(f"{d}/settings.py", "import os\n")
    w.add(f"{d}/settings.py", f'DB_PASSWORD\t\t\t= "{clean(generic_password, f)}"', "password:tab-aligned")
    w.add(f"{d}/values.yaml", "service:\n  name: orders")
    w.add(f"{d}/values.yaml", f"  client_secret:\t{clean(generic_password, f)}", "password:yaml-tab")
    embedded = json.dumps({"name": "worker", "config": f"[db]\nhost=db\npassword={clean(generic_password, f)}\n"})
    w.add(f"{d}/deploy.json", embedded, "password:json-escaped")
    w.add(f"{d}/web.xml", '<?xml version="1.0"?>\n<config>')
    w.add(f"{d}/web.xml", f'  <datasource user="app"\n      password="{clean(generic_password, f)}"/>', "password:xml-attr-multiline")
    w.add(f"{d}/web.xml", "</config>")


def _scripts(w, i: int) -> None:
    f = w.fakes
    d = f"scripts/{i}"
    w.add(f"{d}/bootstrap.sh", "#!/bin/sh\nset -eu\ncat > /etc/app.conf <<EOF\n[db]")
    w.add(f"{d}/bootstrap.sh", f"password = {clean(generic_password, f)}", "password:heredoc")
    w.add(f"{d}/bootstrap.sh", "EOF")
    w.add(f"{d}/bootstrap.sh", f"curl -fsS -u deploy:{clean(generic_password, f)} https://nexus.acme.internal/upload",
          "password:curl-user")
    w.add(f"{d}/bootstrap.sh", f"wget --password={clean(generic_password, f)} --user=ci https://files.acme.internal/a.tgz",
          "password:wget-flag")
    w.add(f"{d}/bootstrap.sh", f"http -a admin:{clean(generic_password, f)} POST https://api.acme.internal/jobs",
          "password:httpie-auth")
    w.add(f"{d}/.gitlab-ci.yml", "deploy:\n  stage: deploy\n  script:\n    - |")
    w.add(f"{d}/.gitlab-ci.yml", f'      curl -H "Authorization: Bearer {f.chars(ALNUM, 40)}" https://api.acme.io/deploy',
          "bearer:yaml-block-scalar")
    w.add(f"{d}/.gitlab-ci.yml", f"      export REGISTRY_PASSWORD={clean(generic_password, f)}", "password:yaml-block-export")
    w.add(f"{d}/INSTALL.md", "# Installing\n\nRun the installer:\n\n```sh")
    w.add(f"{d}/INSTALL.md", f"./install --admin-user root --password {clean(generic_password, f)}", "password:markdown-cli")
    w.add(f"{d}/INSTALL.md", "```")


def _credential_files(w, i: int) -> None:
    f = w.fakes
    d = f"credfiles/{i}"
    w.add(f"{d}/gradle.properties", "org.gradle.jvmargs=-Xmx2g")
    w.add(f"{d}/gradle.properties", f"mavenPassword={clean(generic_password, f)}", "password:gradle-properties")
    w.add(f"{d}/settings.xml", "<settings>\n  <servers>\n    <server>\n      <id>releases</id>\n      <username>ci</username>")
    w.add(f"{d}/settings.xml", f"      <password>{clean(generic_password, f)}</password>", "password:maven-settings")
    w.add(f"{d}/settings.xml", "    </server>\n  </servers>\n</settings>")
    w.add(f"{d}/NuGet.config", '<configuration>\n  <packageSourceCredentials>\n    <acme>\n      <add key="Username" value="ci" />')
    w.add(f"{d}/NuGet.config", f'      <add key="ClearTextPassword" value="{clean(generic_password, f)}" />',
          "password:nuget-config")
    w.add(f"{d}/NuGet.config", "    </acme>\n  </packageSourceCredentials>\n</configuration>")
    w.add(f"{d}/credentials.xml", "<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n  <id>deploy</id>")
    w.add(f"{d}/credentials.xml", f"  <password>{clean(generic_password, f)}</password>", "password:jenkins-credentials")
    w.add(f"{d}/credentials.xml", "</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>")
    encoded = base64.b64encode(clean(generic_password, f).encode()).decode()
    w.add(f"{d}/sitemanager.xml", "<FileZilla3>\n <Servers>\n  <Server>\n   <Host>ftp.acme.internal</Host>\n   <User>ops</User>")
    w.add(f"{d}/sitemanager.xml", f'   <Pass encoding="base64">{encoded}</Pass>', "password:filezilla")
    w.add(f"{d}/sitemanager.xml", "  </Server>\n </Servers>\n</FileZilla3>")
    w.add(f"{d}/WinSCP.ini", "[Sessions\\ops@sftp]\nHostName=sftp.acme.internal\nUserName=ops")
    w.add(f"{d}/WinSCP.ini", f"Password={clean(generic_password, f)}", "password:winscp")
    w.add(f"{d}/robomongo.json", '{\n  "connections": [{\n    "serverHost": "mongo.acme.internal",')
    w.add(f"{d}/robomongo.json", f'    "userPassword": "{clean(generic_password, f)}",', "password:robomongo")
    w.add(f"{d}/robomongo.json", "  }]\n}")


def _terraform(w, i: int) -> None:
    f = w.fakes
    d = f"tf/{i}"
    w.add(f"{d}/provider.tf", 'provider "aws" {\n  region     = "eu-west-1"')
    w.add(f"{d}/provider.tf", f'  access_key = "{f.aws_access_key_id()}"', "aws-key-id")
    w.add(f"{d}/provider.tf", f'  secret_key = "{f.aws_secret_access_key()}"', "aws-secret-key")
    w.add(f"{d}/provider.tf", "}")
    w.add(f"{d}/prod.tfvars", 'environment = "prod"')
    w.add(f"{d}/prod.tfvars", f'db_password          = "{clean(generic_password, f)}"', "password:tfvars-aligned")
    state = {"version": 4, "terraform_version": "1.7.5", "resources": [
        {"mode": "managed", "type": "random_password", "name": "db", "instances": [
            {"attributes": {"id": "none", "length": 24, "result": clean(generic_password, f)},
             "sensitive_attributes": [[{"type": "get_attr", "value": "result"}]]}]},
        {"mode": "managed", "type": "aws_iam_access_key", "name": "smtp", "instances": [
            {"attributes": {"id": f.aws_access_key_id(), "user": "smtp",
                            "ses_smtp_password_v4": f.chars(ALNUM + "+/", 44)},
             "sensitive_attributes": []}]}]}
    lines = json.dumps(state, indent=2).split("\n")
    for line in lines:
        kind = ("tfstate-random-password" if '"result": "' in line
                else "tfstate-smtp-password" if '"ses_smtp_password_v4"' in line
                else "tfstate-access-key-id" if '"id": "AKIA' in line else None)  # the key id is half the pair
        w.add(f"{d}/terraform.tfstate", line, kind)


def _cloudformation(w, i: int) -> None:
    f = w.fakes
    d = f"cfn/{i}"
    w.add(f"{d}/template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
          "    Properties:\n      Engine: postgres\n      MasterUsername: admin")
    w.add(f"{d}/template.yaml", f"      MasterUserPassword: {clean(generic_password, f)}", "password:cfn-yaml")
    w.add(f"{d}/template.yaml", "      VPCSecurityGroups:\n        - !Ref DbSecurityGroup")
    w.add(f"{d}/template.yaml", "  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:")
    w.add(f"{d}/template.yaml", "      AuthToken: '{{resolve:secretsmanager:cache-token}}'", "neg:cfn-dynamic-reference", False)
    w.add(f"{d}/template.json", '{\n  "Resources": {\n    "Db": {\n      "Type": "AWS::RDS::DBCluster",\n      "Properties": {')
    w.add(f"{d}/template.json", f'        "MasterUserPassword": "{clean(generic_password, f)}",', "password:cfn-json")
    w.add(f"{d}/template.json", '        "Engine": "aurora-postgresql"\n      }\n    }\n  }\n}')


def _docker(w, i: int) -> None:
    f = w.fakes
    d = f"dockercfg/{i}"
    config = json.dumps({"auths": {"ghcr.io": {"auth": base64.b64encode(
        f"bot:{clean(generic_password, f)}".encode()).decode()}}})
    w.add(f"{d}/pull-secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:")
    w.add(f"{d}/pull-secret.yaml", f"  .dockerconfigjson: {base64.b64encode(config.encode()).decode()}", "dockerconfigjson")


def _vendor(w, i: int) -> None:
    f = w.fakes
    w.add(f"vendor/{i}/datadog.yaml", "site: datadoghq.eu\nlogs_enabled: true")
    w.add(f"vendor/{i}/datadog.yaml", f"api_key: {f.chars(HEX, 32)}", "hex-key:datadog")
    w.add(f"vendor/{i}/newrelic.yml", "common: &default_settings")
    w.add(f"vendor/{i}/newrelic.yml", f"  license_key: '{f.chars(HEX, 40)}'", "hex-key:newrelic")
    for name in ("SECRET_KEY", "JWT_SECRET", "WEBHOOK_SECRET"):
        w.add(f"vendor/{i}/settings.py", f'{name} = "{f.chars(HEX, 64)}"', "hex-key:64")


def _weak_passwords(w, i: int) -> None:
    """Short dictionary passwords: real leaks, but only an audit (`--min-confidence low`) reports them."""
    f = w.fakes
    for path, line in ((f"weak/{i}/docker-compose.yml", "      POSTGRES_PASSWORD: {}"),
                       (f"weak/{i}/settings.py", 'DATABASE_PASSWORD = "{}"'),
                       (f"weak/{i}/.env", "ADMIN_PASSWORD={}"),
                       (f"weak/{i}/app.properties", "spring.datasource.password={}")):
        w.add(path, line.format(f.rng.choice(WEAK)), "weak-password", audit=True)


def _negatives(w, i: int) -> None:
    f = w.fakes
    d = f"negatives/{i}"
    minified = "".join(f"var {f.chars('abcdefghij', 2)}=function(t){{return t.{f.chars('abcdef', 3)}}};" for _ in range(8))
    w.add(f"{d}/vendor.min.js", minified + 'var apiKey=e.apiKey||"";var token=n.token;', "neg:minified-js", False)
    w.add(f"{d}/i18n/en.json", '{\n  "login.password": "Password",\n  "login.forgot": "Forgot your password?",')
    w.add(f"{d}/i18n/en.json", '  "settings.api_key_help": "Paste the API key from your dashboard here",', "neg:i18n", False)
    w.add(f"{d}/i18n/en.json", '  "x": "y"\n}')
    w.add(f"{d}/checksums.py", f'sha256_digest = "{f.chars(HEX, 64)}"', "neg:hex-digest-named", False)
    w.add(f"{d}/checksums.py", f'ETAG = "{f.chars(HEX, 32)}"', "neg:hex-digest-named", False)
    w.add(f"{d}/Pipfile.lock", '{\n  "default": {\n    "requests": {\n      "hashes": [')
    w.add(f"{d}/Pipfile.lock", f'        "sha256:{f.chars(HEX, 64)}"', "neg:lockfile-integrity", False)
    w.add(f"{d}/Pipfile.lock", "      ]\n    }\n  }\n}")
    w.add(f"{d}/docs.md", "Set the key in your shell:\n")
    w.add(f"{d}/docs.md", "    export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "neg:provider-sample", False)
    w.add(f"{d}/docs.md", "    stripe.api_key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'", "neg:provider-sample", False)
    w.add(f"{d}/test_client.py", "def test_login(client):")
    w.add(f"{d}/test_client.py", f'    response = client.login(password="{f.rng.choice(WEAK)}")', "neg:test-fixture", False)

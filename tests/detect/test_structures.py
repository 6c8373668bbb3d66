"""Infrastructure files read by structure: Terraform state, CloudFormation/SAM templates, Docker
registry logins, vendor agent configs whose keys are hex. Each is scanned as a user scans it
(the CLI over a real git repository) or through the Scanner, with positives and hard negatives."""

from __future__ import annotations

import base64
import json

import pytest

from keystow.config import Config
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset
from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow

ENGINES = ["re"] + (["hyperscan"] if hyperscan_available() else [])
ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
HEX = "0123456789abcdef"
_fakes = Fakes(151)


def _password() -> str:
    return _fakes.chars(ALNUM, 12) + "#" + _fakes.chars(ALNUM, 7)


@pytest.fixture(scope="module", params=ENGINES)
def scanner(request):
    return Scanner(load_ruleset(Config()), FilterPolicy(), request.param)


def line_of(text: str, value: str) -> int:
    return text[:text.index(value)].count("\n") + 1


def scan_json(repo, *args: str) -> list[dict]:
    result = run_keystow("scan", ".", "--format", "json", *args, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


# --- Terraform state ------------------------------------------------------------------------

DB_PASSWORD, SSM_VALUE, RANDOM_RESULT, IAM_SECRET, SMTP_PASSWORD, OUTPUT_TOKEN = (_password() for _ in range(6))
PEM = _fakes.pem_private_key("RSA")
NOT_SECRETS = {
    "db_arn": "arn:aws:rds:eu-west-1:111122223333:db:orders",
    "pet": "lucky-ferret",
    "random_id_hex": _fakes.chars(HEX, 16),
    "random_id_b64": _fakes.chars(ALNUM, 11),
    "kms": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
}


def _resource(rtype: str, name: str, attributes: dict, sensitive: tuple[str, ...] = ()) -> dict:
    steps = [[{"type": "get_attr", "value": attribute}] for attribute in sensitive]
    return {"mode": "managed", "type": rtype, "name": name, "provider": "provider[\"registry.terraform.io/x/y\"]",
            "instances": [{"schema_version": 0, "attributes": attributes, "sensitive_attributes": steps}]}


def terraform_state() -> str:
    resources = [
        _resource("aws_db_instance", "orders", {
            "arn": NOT_SECRETS["db_arn"], "id": "db-ORDERS", "username": "app", "password": DB_PASSWORD,
            "master_user_secret_kms_key_id": NOT_SECRETS["kms"], "port": 5432}, sensitive=("password",)),
        _resource("aws_ssm_parameter", "dsn", {"name": "/orders/dsn", "type": "SecureString", "value": SSM_VALUE},
                  sensitive=("value",)),
        _resource("random_password", "admin", {"id": "none", "length": 20, "result": RANDOM_RESULT}),
        _resource("random_pet", "suffix", {"id": NOT_SECRETS["pet"], "length": 2, "separator": "-"}),
        _resource("random_id", "bucket", {"id": NOT_SECRETS["random_id_b64"], "hex": NOT_SECRETS["random_id_hex"],
                                          "b64_url": NOT_SECRETS["random_id_b64"], "byte_length": 8}),
        _resource("aws_iam_access_key", "ci", {"id": "AKIAEXAMPLEID", "user": "ci", "secret": IAM_SECRET,
                                               "ses_smtp_password_v4": SMTP_PASSWORD, "status": "Active"}),
        _resource("tls_private_key", "deploy", {"algorithm": "RSA", "private_key_pem": PEM,
                                                "public_key_fingerprint_md5": "aa:bb:cc"}),
    ]
    outputs = {"admin_token": {"value": OUTPUT_TOKEN, "type": "string", "sensitive": True},
               "db_arn": {"value": NOT_SECRETS["db_arn"], "type": "string"}}
    state = {"version": 4, "terraform_version": "1.7.5", "serial": 12, "lineage": "3c1f", "outputs": outputs,
             "resources": resources}
    return json.dumps(state, indent=2) + "\n"


@pytest.mark.parametrize("name", ["terraform.tfstate", "envs/prod/terraform.tfstate.backup"])
def test_terraform_state_reports_sensitive_and_secret_named_attributes(repo, name):
    text = terraform_state()
    commit_file(repo, name, text)
    findings = scan_json(repo, "--show-secrets")
    by_secret = {f["secret"]: f for f in findings if f["rule_id"] == "terraform-state-secret"}
    for value in (DB_PASSWORD, SSM_VALUE, RANDOM_RESULT, IAM_SECRET, SMTP_PASSWORD, OUTPUT_TOKEN):
        assert value in by_secret, (value, [f["rule_name"] for f in findings])
        assert by_secret[value]["path"] == name
        assert by_secret[value]["line"] == line_of(text, json.dumps(value)[1:-1])
    where = "aws_db_instance.orders $.resources[0].instances[0].attributes.password"
    assert where in by_secret[DB_PASSWORD]["rule_name"]
    assert "random_password.admin" in by_secret[RANDOM_RESULT]["rule_name"]
    assert "output admin_token" in by_secret[OUTPUT_TOKEN]["rule_name"]
    # The key is the private-key rule's (it says more); the state's reading of it gives way.
    [key] = [f for f in findings if f["secret"].startswith("-----BEGIN RSA PRIVATE KEY-----")]
    assert key["rule_id"] != "terraform-state-secret" and key["line"] == line_of(text, "-----BEGIN RSA")
    reported = {f["secret"] for f in findings}
    assert not reported & set(NOT_SECRETS.values())


def test_terraform_state_nested_sensitive_paths_and_nulls(scanner):
    secret = _password()
    resource = _resource("aws_db_instance", "db", {"password": None, "id": "x"}, sensitive=("password",))
    nested = {"mode": "managed", "type": "kubernetes_secret", "name": "app", "instances": [{
        "attributes": {"data": {"DB_URL": secret, "mode": "ro"}, "metadata": [{"name": "app"}]},
        "sensitive_attributes": [[{"type": "get_attr", "value": "data"}, {"type": "index", "value": {
            "value": "DB_URL", "type": "string"}}]]}]}
    text = json.dumps({"version": 4, "terraform_version": "1.6.0", "resources": [resource, nested]}, indent=2)
    findings = scanner.scan(Blob("terraform.tfstate", text.encode()))
    assert [f.secret for f in findings if f.rule_id == "terraform-state-secret"] == [secret]


def test_terraform_state_as_go_writes_it_and_a_value_given_twice(scanner):
    """Terraform's encoder escapes `<`, `>` and `&`; the same password in two attributes is
    reported at each place."""
    secret = _fakes.chars(ALNUM, 8) + "<" + _fakes.chars(ALNUM, 4) + "&>" + _fakes.chars(ALNUM, 4)
    attributes = {"password": secret, "id": "db", "master_password": secret}
    text = json.dumps({"version": 4, "terraform_version": "1.7.5", "resources": [
        _resource("aws_rds_cluster", "main", attributes, sensitive=("password", "master_password"))]}, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    findings = scanner.scan(Blob("terraform.tfstate", text.encode()))
    spelled = json.dumps(secret).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    first = text.index(spelled)
    lines = [text[:first].count("\n") + 1, text[:text.index(spelled, first + 1)].count("\n") + 1]
    assert sorted((f.secret, f.location.line) for f in findings) == [(secret, lines[0]), (secret, lines[1])]


def test_terraform_state_format_3(scanner):
    """Terraform 0.11 and older: flat attribute maps under `modules[].resources`."""
    password, result = _password(), _password()
    state = {"version": 3, "terraform_version": "0.11.14", "modules": [{"path": ["root"], "outputs": {}, "resources": {
        "aws_db_instance.db": {"type": "aws_db_instance", "primary": {"id": "db", "attributes": {
            "id": "db", "password": password, "arn": NOT_SECRETS["db_arn"]}}},
        "random_password.admin": {"type": "random_password", "primary": {"id": "none", "attributes": {
            "result": result, "length": "20"}}},
        "random_pet.name": {"type": "random_pet", "primary": {"id": "p", "attributes": {"id": NOT_SECRETS["pet"]}}}}}]}
    text = json.dumps(state, indent=2)
    found = {f.secret: f for f in scanner.scan(Blob("terraform.tfstate", text.encode()))}
    assert set(found) == {password, result}
    assert found[result].rule_id == "terraform-state-secret" and "random_password.admin" in found[result].rule_name
    assert found[password].location.line == line_of(text, password)


def test_terraform_state_shape_outside_a_state_file_is_left_to_the_text_rules(scanner):
    text = terraform_state()
    findings = scanner.scan(Blob("docs/state-example.json", text.encode()))
    assert not [f for f in findings if f.rule_id == "terraform-state-secret"]


def test_broken_state_file_is_scanned_as_text(scanner):
    text = terraform_state()[:-40]  # truncated: not JSON any more
    findings = scanner.scan(Blob("terraform.tfstate", text.encode()))
    assert not [f for f in findings if f.rule_id == "terraform-state-secret"]
    assert DB_PASSWORD in {f.secret for f in findings}  # the generic password rule still reads it


# --- CloudFormation / SAM -------------------------------------------------------------------

MASTER, NOECHO_DEFAULT, AUTH_TOKEN, SECRET_STRING, CLIENT_SECRET = (_password() for _ in range(5))

TEMPLATE_YAML = f"""AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  AdminPassword:
    Type: String
    NoEcho: true
    Default: "{NOECHO_DEFAULT}"
  DBPassword:
    Type: String
    NoEcho: true
  Stage:
    Type: String
    Default: prod-2024
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUsername: app
      MasterUserPassword: '{MASTER}'
  Replica:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: !Ref DBPassword
  Reader:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: '{{{{resolve:secretsmanager:prod/db:SecretString:password}}}}'
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      AuthToken: {AUTH_TOKEN}
  Cache2:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      AuthToken: !Sub '${{CacheToken}}'
  AppSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: '{SECRET_STRING}'
  Ssm:
    Type: AWS::SSM::Parameter
    Properties:
      Value: '{{{{resolve:ssm:/app/key:1}}}}'
  Pool:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      ClientSecret: !GetAtt Other.Secret
  Idp:
    Type: AWS::Cognito::UserPoolIdentityProvider
    Properties:
      ProviderDetails:
        client_id: acme
      AttributeMapping:
        ClientSecret: "{CLIENT_SECRET}"
"""


def test_cloudformation_yaml_with_short_form_tags(repo):
    commit_file(repo, "template.yaml", TEMPLATE_YAML)
    findings = scan_json(repo, "--show-secrets")
    mine = {f["secret"]: f for f in findings if f["rule_id"] == "cloudformation-credential-literal"}
    assert set(mine) == {MASTER, NOECHO_DEFAULT, AUTH_TOKEN, SECRET_STRING, CLIENT_SECRET}
    for value, finding in mine.items():
        assert finding["line"] == line_of(TEMPLATE_YAML, value)
    assert "Resources.Database.Properties.MasterUserPassword" in mine[MASTER]["rule_name"]
    assert "Parameters.AdminPassword.Default" in mine[NOECHO_DEFAULT]["rule_name"]
    assert {f["secret"] for f in findings} == set(mine)  # no reference, no `prod-2024` default


def test_cloudformation_json_template(scanner):
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"MasterUserPassword": MASTER}},
        "Db2": {"Type": "AWS::RDS::DBInstance", "Properties": {"MasterUserPassword": {"Ref": "DBPassword"}}},
        "Db3": {"Type": "AWS::RDS::DBInstance", "Properties": {
            "MasterUserPassword": {"Fn::Sub": "{{resolve:secretsmanager:${SecretArn}:SecretString:password}}"}}},
        "Key": {"Type": "AWS::IAM::AccessKey", "Properties": {"UserName": "ci"}},
        "Out": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": {"Fn::GetAtt": ["Key", "SecretAccessKey"]}}}}}
    text = json.dumps(template, indent=2)
    findings = scanner.scan(Blob("stack.template.json", text.encode()))
    assert [(f.rule_id, f.secret, f.location.line) for f in findings] == [
        ("cloudformation-credential-literal", MASTER, line_of(text, MASTER))]


def test_hostile_documents_cost_little_and_still_get_the_text_rules(scanner):
    """An alias bomb (each level nine times the one below) and a state nested past the recursion
    limit: read once per node, or left to the text rules."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = ("AWSTemplateFormatVersion: '2010-09-09'\n" + "\n".join(levels) + "\nResources:\n  Db:\n"
            f"    Type: AWS::RDS::DBInstance\n    Properties:\n      Tags: *a9\n      MasterUserPassword: '{MASTER}'\n")
    assert [(f.rule_id, f.secret) for f in scanner.scan(Blob("template.yaml", bomb.encode()))] == [
        ("cloudformation-credential-literal", MASTER)]
    deep = ('{"terraform_version": "1.7.5", "resources": ' + "[" * 100000 + "]" * 100000
            + f', "password": "{DB_PASSWORD}"}}')
    assert [f.secret for f in scanner.scan(Blob("terraform.tfstate", deep.encode()))] == [DB_PASSWORD]


def test_yaml_that_is_not_a_template_is_not_read_as_one(scanner):
    text = f"Resources:\n  Database:\n    Properties:\n      Password: {MASTER}\n"  # no AWS:: type
    assert not [f for f in scanner.scan(Blob("values.yaml", text.encode())) if f.rule_id.startswith("cloudformation")]


# --- Docker registry logins -----------------------------------------------------------------

def _auth(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def test_docker_config_every_registry_login_is_reported(scanner):
    first, second = _auth("ci-bot", _password()), _auth("deployer", _password())
    token = _fakes.chars(ALNUM + "-_", 60)
    config = {"auths": {"registry.acme.io": {"auth": first}, "ghcr.io": {"auth": second},
                        "acme.azurecr.io": {"auth": "", "identitytoken": token},
                        "quay.io": {"auth": base64.b64encode(b"no-colon-in-here-at-all").decode()}},
              "credsStore": "desktop"}
    text = json.dumps(config, indent=2)
    findings = scanner.scan(Blob(".docker/config.json", text.encode()))
    assert sorted((f.rule_id, f.secret, f.location.line) for f in findings) == sorted([
        ("docker-config-auth", first, line_of(text, first)),
        ("docker-config-auth", second, line_of(text, second)),
        ("docker-config-identity-token", token, line_of(text, token))])


def test_kubernetes_dockerconfigjson_is_decoded_twice(repo):
    auth = _auth("ci-bot", _password())
    inner = base64.b64encode(json.dumps({"auths": {"registry.acme.io": {"auth": auth}}}).encode()).decode()
    manifest = (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\ntype: kubernetes.io/dockerconfigjson\n"
                f"data:\n  .dockerconfigjson: {inner}\n")
    commit_file(repo, "k8s/pull-secret.yaml", manifest)
    findings = scan_json(repo, "--show-secrets")
    assert [(f["rule_id"], f["secret"], f["line"]) for f in findings] == [("docker-config-auth", auth, 7)]


def test_dockerconfigjson_without_a_password_is_not_reported(scanner):
    inner = base64.b64encode(json.dumps({"auths": {"registry.acme.io": {
        "auth": base64.b64encode(b"only-a-user-name").decode()}}}).encode()).decode()
    manifest = f"kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {inner}\n"
    assert scanner.scan(Blob("pull.yaml", manifest.encode())) == []


# --- vendor agent configs: hex keys judged by their name ------------------------------------

@pytest.mark.parametrize("path, template, length", [
    ("datadog.yaml", "site: datadoghq.eu\napi_key: {value}\nlogs_enabled: true\n", 32),
    ("conf.d/datadog.yaml", "api_key: \"{value}\"\n", 32),
    ("newrelic.yml", "common: &default_settings\n  license_key: '{value}'\n  app_name: orders\n", 40),
    ("newrelic.yml", "common: &default_settings\n  license_key: {value}\n", 40),
    ("newrelic.js", "exports.config = {{\n  app_name: ['orders'],\n  license_key: '{value}',\n}}\n", 40),
])
def test_vendor_agent_hex_key_is_reported(scanner, path, template, length):
    value = _fakes.chars(HEX, length)
    text = template.format(value=value)
    assert [(f.secret, f.location.line) for f in scanner.scan(Blob(path, text.encode()))] == [
        (value, line_of(text, value))]


@pytest.mark.parametrize("template", [
    "checksum: {value}\n",
    "  sha256: \"{value}\"\n",
    "  \"integrity\": \"{value}\",\n",
    "digest = '{value}'\n",
    "etag: {value}\n",
    "commit_sha={value}\n",
    "<checksum>{value}</checksum>\n",
])
def test_hex_under_a_digest_name_is_not_reported_in_any_syntax(scanner, template):
    assert scanner.scan(Blob("agent.yaml", template.format(value=_fakes.chars(HEX, 64)).encode())) == []


def test_short_hex_ids_in_generated_data_are_not_keys(scanner):
    """cfn-lint's schema index maps each resource type to a 16-hex id: `"AWS::ApiGateway::ApiKey": "..."`."""
    ids = Fakes(16)  # its own seed: the values do not depend on which tests ran before
    text = "".join(f'  "AWS::ApiGateway::{name}": "{ids.chars(HEX, 16)}",\n' for name in ("ApiKey", "Account"))
    assert scanner.scan(Blob("schemas/providers/us-east-1.json", text.encode())) == []


@pytest.mark.parametrize("template", [
    "secret_key: {value}\n",
    "  api_token: \"{value}\"\n",
    "  \"apiKey\": \"{value}\",\n",
    "PASSWORD='{value}'\n",
    "<apiKey>{value}</apiKey>\n",
    "client_secret = \"{value}\"\n",
    "{{\"api_key\": \"{value}\", \"integrity\": \"sha512-abc\"}}\n",
])
@pytest.mark.parametrize("length", [32, 40, 48, 64])
def test_hex_under_a_secret_name_is_reported_in_any_syntax(scanner, template, length):
    value = _fakes.chars(HEX, length)
    assert [f.secret for f in scanner.scan(Blob("agent.yaml", template.format(value=value).encode()))] == [value]


def _b64_text(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("path, text", [
    ("terraform.tfstate", terraform_state()),
    ("template.yaml", TEMPLATE_YAML),
    ("sitemanager.xml", f"<Server><Pass encoding=\"base64\">{_b64_text('sunshine42')}</Pass></Server>"),
])
def test_the_hooks_quick_path_leaves_structured_files_to_the_full_scan(path, text):
    """The quick test reads text as it is; a value only a structure reader or a decoder sees
    (a `random_password` result) needs the full scan."""
    from keystow.detect.quick import quick_test_applies

    assert not quick_test_applies(text.encode(), path)
    assert quick_test_applies(text.encode(), "notes.txt")

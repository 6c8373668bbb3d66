"""Every assignment syntax of issue 15 (item 2), one row each: a random password and a
high-entropy token are reported at the default confidence; a weak one (`sunshine42`) only at low
confidence and severity, which only an audit run (`--min-confidence low`) shows."""

from __future__ import annotations

import base64

import pytest

from keystow.config import Config
from keystow.detect.entropy import shannon_entropy
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset
from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow

ENGINES = ["re"] + (["hyperscan"] if hyperscan_available() else [])
ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
_fakes = Fakes(419)
PASSWORD = _fakes.chars(ALNUM, 9) + "#" + _fakes.chars(ALNUM, 4) + "!" + _fakes.chars("0123456789", 3)
TOKEN = _fakes.chars(ALNUM, 32)
HEX_KEY = _fakes.chars("0123456789abcdef", 64)  # secrets.token_hex(): a key by its place, a digest by its shape
WEAK = "sunshine42"
# Weak passwords people set, one of each shape: words (7 characters is what a password rule takes at
# the least), a keyboard run, a placeholder padded to pass a policy (placeholders.PADDED_DEFAULT).
WEAK_PASSWORDS = (WEAK, "gorilla", "hunter2", "qwerty12", "changeme1", "Changeme123!")
PAD = " " * 40


@pytest.fixture(scope="module", params=ENGINES)
def scanner(request):
    return Scanner(load_ruleset(Config()), FilterPolicy(), request.param)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# (row id, path, template): `{v}` is the value, `{b64}` its base64.
SYNTAXES: list[tuple[str, str, str]] = [
    ("align-equals-spaces", "main.tf", "  password" + PAD + "= \"{v}\"\n"),
    ("align-equals-tabs", ".env", "DB_PASSWORD\t\t\t\t=\t{v}\n"),
    ("align-colon-yaml", "values.yaml", "db:\n  password:" + PAD + "{v}\n"),
    ("align-arrow-perl", "config.pl", "my %db = (\n  password\t\t=> '{v}',\n);\n"),
    ("align-walrus-go", "main.go", "\tdbPassword" + PAD + ":= \"{v}\"\n"),
    ("go-var-typed", "config.go", "var dbPassword string = \"{v}\"\n"),
    ("go-const", "config.go", "const dbPassword = \"{v}\"\n"),
    ("go-const-block", "config.go", "const (\n\tadminPassword = \"{v}\"\n)\n"),
    ("php-variable", "config.php", "$db_password = '{v}';\n"),
    ("php-append", "config.php", "$password .= '{v}';\n"),
    ("php-array-arrow", "config.php", "$cfg = array(\n    'db_password' => '{v}',\n);\n"),
    ("perl-scalar", "deploy.pl", "my $db_pass = \"{v}\";\n"),
    ("make-colon-equals", "Makefile", "DB_PASSWORD := {v}\n"),
    ("make-double-colon-equals", "Makefile", "DB_PASSWORD ::= {v}\n"),
    ("make-conditional", "Makefile", "DB_PASSWORD ?= {v}\n"),
    ("make-append", "Makefile", "DB_PASSWORD += {v}\n"),
    ("ruby-hash-symbol-key", "client.rb", "conf = {{ password: \"{v}\" }}\n"),
    ("ruby-hash-rocket", "client.rb", "conf = {{ :password => '{v}' }}\n"),
    ("ruby-capistrano-set", "deploy.rb", "set :password, '{v}'\n"),
    ("csharp-field", "Config.cs", "private const string AdminPassword = \"{v}\";\n"),
    ("csharp-object-initializer", "Config.cs", "var c = new SmtpConfig {{ Password = \"{v}\" }};\n"),
    ("csharp-network-credential", "Mailer.cs", "var c = new NetworkCredential(\"svc\", \"{v}\");\n"),
    ("java-field", "Config.java", "private static final String DB_PASSWORD = \"{v}\";\n"),
    ("java-value-annotation", "Config.java", "@Value(\"{v}\")\nprivate String dbPassword;\n"),
    ("kotlin-val", "Config.kt", "private const val DB_PASSWORD: String = \"{v}\"\n"),
    ("swift-let", "Config.swift", "let dbPassword: String = \"{v}\"\n"),
    ("xml-attribute-multiline", "app.xml", "<datasource user=\"app\"\n    password=\"{v}\"\n/>\n"),
    ("xml-element-multiline", "app.xml", "<datasource>\n  <password>\n    {v}\n  </password>\n</datasource>\n"),
    ("json-escaped-ini", "settings.json", "{{\"config\": \"host=db\\npassword={v}\\nport=5432\\n\"}}\n"),
    ("json-escaped-yaml", "settings.json", "{{\"values\": \"db:\\n  password: {v}\\n\"}}\n"),
    ("shell-heredoc", "setup.sh", "cat > .env <<EOF\nDB_PASSWORD={v}\nEOF\n"),
    ("yaml-block-scalar-script", ".github/workflows/ci.yml",
     "jobs:\n  deploy:\n    steps:\n      - run: |\n          export DB_PASSWORD={v}\n          ./deploy\n"),
    ("curl-user", "deploy.sh", "curl -sS -u deploy:{v} https://nexus.acme.io/repo\n"),
    ("curl-user-dockerfile", "Dockerfile", "RUN curl --user deploy:{v} -o /app.jar https://nexus.acme.io/a.jar\n"),
    ("wget-password", "fetch.sh", "wget --user=deploy --password={v} https://nexus.acme.io/a.jar\n"),
    ("wget-http-password", "fetch.sh", "wget --http-user=deploy --http-password={v} https://nexus.acme.io/a\n"),
    ("httpie-auth", "README.md", "```\nhttp -a deploy:{v} GET https://api.acme.io/v1/status\n```\n"),
    # Command-line credentials in every file they are written in (issue 15, item 2): shell scripts,
    # Dockerfile RUN lines, CI steps and block scalars, Makefile recipes, Markdown code blocks.
    ("curl-user-long", "deploy.sh", "curl --user 'deploy:{v}' -T app.tgz https://nexus.acme.io/repo/\n"),
    ("curl-user-attached", "deploy.sh", "curl -sS -udeploy:{v} https://jenkins.acme.io/job/app/build\n"),
    ("curl-user-flag-cluster", "deploy.sh", "curl -fsSLu deploy:{v} -o app.tgz https://nexus.acme.io/a.tgz\n"),
    ("curl-proxy-user", "deploy.sh", "curl --proxy-user ops:{v} -x http://proxy.acme.internal:3128 https://acme.io\n"),
    ("curl-user-continuation", "Dockerfile",
     "FROM alpine:3.20\nRUN curl -fsSL \\\n    --user ci:{v} \\\n    -o /app.jar https://nexus.acme.io/app.jar\n"),
    ("curl-user-ci-run", ".github/workflows/ci.yml",
     "jobs:\n  deploy:\n    steps:\n      - run: curl -fsS -u ci:{v} https://nexus.acme.io/api\n"),
    ("curl-user-ci-block-scalar", ".gitlab-ci.yml",
     "deploy:\n  script:\n    - |\n      curl -fsS \\\n        -u ci:{v} \\\n        https://nexus.acme.io/upload\n"),
    ("curl-user-makefile", "Makefile", "publish:\n\t@curl -fsS -u ci:{v} -T dist/app.tgz https://nexus.acme.io/\n"),
    ("curl-user-markdown", "README.md", "Check the API:\n\n```sh\n$ curl -u admin:{v} https://jenkins.acme.io/api/json\n```\n"),
    ("wget-password-dockerfile", "Dockerfile", "RUN wget --user=ci --password={v} https://nexus.acme.io/a.jar\n"),
    ("wget-http-password-ci", ".gitlab-ci.yml",
     "fetch:\n  script:\n    - wget --http-user=ci --http-password={v} https://nexus.acme.io/a\n"),
    ("wget-password-makefile", "Makefile", "fetch:\n\twget --user ci --password {v} https://nexus.acme.io/a.jar\n"),
    ("wget-http-password-markdown", "INSTALL.md", "```sh\nwget --http-user=ci --http-password={v} https://nexus.acme.io/a\n```\n"),
    ("httpie-auth-long", "deploy.sh", "http --auth ci:{v} POST https://api.acme.io/v1/jobs name=nightly\n"),
    ("httpie-auth-equals", ".gitlab-ci.yml", "deploy:\n  script:\n    - http --auth=ci:{v} POST https://api.acme.io/v1/jobs\n"),
    ("httpie-auth-attached", "Dockerfile", "RUN http -aci:{v} GET https://api.acme.io/v1/status\n"),
    ("httpie-auth-makefile", "Makefile", "status:\n\t@http -a ci:{v} GET https://api.acme.io/v1/status\n"),
    ("httpie-auth-continuation", "deploy.sh", "https --check-status \\\n  -a ci:{v} \\\n  POST api.acme.io/v1/jobs\n"),
    # YAML keys aligned or indented with tabs, and Makefile assignments with tabs or spaces.
    ("yaml-tab-aligned", "values.yaml", "service:\n  name:\t\torders\n  password:\t\t{v}\n"),
    ("yaml-tab-indented", "config.yml", "db:\n\tpassword:\t{v}\n"),
    ("make-tabs", "Makefile", "DB_PASSWORD\t:=\t{v}\n"),
    ("make-tabs-double-colon", "Makefile", "DB_PASSWORD\t::=\t{v}\n"),
    ("make-tabs-conditional", "Makefile", "DB_PASSWORD\t?=\t{v}\n"),
    ("make-tabs-append", "Makefile", "DB_PASSWORD\t+=\t{v}\n"),
    ("make-recursive", "Makefile", "DB_PASSWORD = {v}\n"),
    ("cli-password-flag-ci", ".gitlab-ci.yml", "deploy:\n  script:\n    - ./migrate --db-password={v}\n"),
    (".netrc", ".netrc", "machine git.acme.internal\n  login ci\n  password {v}\n"),
    (".pgpass", ".pgpass", "db.acme.internal:6432:orders:app_rw:{v}\n"),
    ("git-credentials-store", ".git-credentials", "https://ci-bot:{v}@git.acme.internal\n"),
    ("gradle.properties", "gradle.properties", "nexusPassword={v}\nsigning.password={v}\n"),
    ("maven-settings", "settings.xml",
     "<settings><servers><server>\n  <id>nexus</id>\n  <password>{v}</password>\n</server></servers></settings>\n"),
    ("nuget-config", "NuGet.config",
     "<packageSourceCredentials><acme>\n  <add key=\"ClearTextPassword\" value=\"{v}\" />\n</acme>"
     "</packageSourceCredentials>\n"),
    ("jenkins-credentials", "credentials.xml",
     "<com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n  <username>ci</username>\n"
     "  <password>{v}</password>\n</com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>\n"),
    ("filezilla-base64", "sitemanager.xml",
     "<Server>\n  <Host>ftp.acme.io</Host>\n  <User>ci</User>\n  <Pass encoding=\"base64\">{b64}</Pass>\n</Server>\n"),
    ("winscp-ini", "WinSCP.ini", "[Sessions\\ci@ftp.acme.io]\nHostName=ftp.acme.io\nPassword={v}\n"),
    ("robomongo-json", "robo3t.json",
     "{{\"connections\": [{{\"credentials\": [{{\"userName\": \"ci\", \"userPassword\": \"{v}\"}}]}}]}}\n"),
]
# DBeaver's credentials-config.json is AES-encrypted with a key in DBeaver itself: not text a
# rule can read, so it has no row.


def _render(template: str, value: str) -> str:
    return template.format(v=value, b64=_b64(value))


def _found(scanner: Scanner, path: str, template: str, value: str) -> list:
    return [f for f in scanner.scan(Blob(path, _render(template, value).encode())) if f.secret == value]


@pytest.mark.parametrize("value", [PASSWORD, TOKEN, HEX_KEY], ids=["password", "token", "hex-key"])
@pytest.mark.parametrize("row, path, template", SYNTAXES, ids=[row[0] for row in SYNTAXES])
def test_each_syntax_reports_a_random_secret(scanner, row, path, template, value):
    findings = _found(scanner, path, template, value)
    assert findings, row
    assert {f.confidence for f in findings} & {"medium", "high"}, [(f.rule_id, f.confidence) for f in findings]
    text = _render(template, value)
    value_line = text[:text.index(value if "{v}" in template else _b64(value))].count("\n") + 1
    assert findings[0].location.line == value_line


@pytest.mark.parametrize("weak", WEAK_PASSWORDS)
@pytest.mark.parametrize("row, path, template", SYNTAXES, ids=[row[0] for row in SYNTAXES])
def test_a_weak_password_is_reported_only_at_low_confidence(scanner, row, path, template, weak):
    findings = _found(scanner, path, template, weak)
    assert findings, row
    assert {(f.confidence, f.severity) for f in findings} == {("low", "low")}, [(f.rule_id, f.confidence)
                                                                                for f in findings]


@pytest.mark.parametrize("lead", ["#", "%", "@", "?"])
@pytest.mark.parametrize("key", ["password", "client_secret"])
def test_a_tab_aligned_yaml_value_may_start_with_a_symbol(scanner, key, lead):
    """A generated password starts with any of its symbols; YAML would read `#...` as a comment and
    reject `%`/`@`, but the literal is committed all the same."""
    value = lead + TOKEN[:20] + "#" + PASSWORD[-4:]
    found = _found(scanner, "values.yaml", "service:\n  name:\torders\n  " + key + ":\t{v}\n", value)
    assert [(f.location.line, f.confidence) for f in found] == [(3, "medium")]


@pytest.mark.parametrize("op", [":=", "::=", "?=", "+=", "="])
def test_a_makefile_secret_whose_only_symbol_is_a_plus(scanner, op):
    """14 characters at 3.24 bits: under the secret rules' 3.5, over random base64's expectation."""
    value = _fakes.chars(ALNUM, 5) + "+" + _fakes.chars(ALNUM, 8)
    while not 3.21 < shannon_entropy(value) < 3.5:
        value = _fakes.chars(ALNUM, 5) + "+" + _fakes.chars(ALNUM, 8)
    found = _found(scanner, "Makefile", ".PHONY: deploy\nCLIENT_SECRET " + op + "\t{v}\n", value)
    assert [(f.location.line, f.confidence) for f in found] == [(2, "medium")]


@pytest.mark.parametrize("text", [
    "password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n",
    "client_secret: *default_client_secret\n",
    "api_token: !Ref ApiTokenParameter\n",
])
def test_yaml_tags_anchors_and_aliases_are_no_values(scanner, text):
    assert [f.secret for f in scanner.scan(Blob("values.yaml", text.encode())) if f.confidence != "low"] == []


@pytest.mark.parametrize("text", [
    "bypass = 'Kq7zXm3vTpWn#Lr42'\n",  # not a `pass` name
    "compass_heading := \"Kq7zXm3vTpWn#Lr42\"\n",
    "login(password, \"Kq7zXm3vTpWn#Lr42\")\n",  # a literal beside a password variable is no pair
    "http GET https://api.acme.io -a $API_USER:$API_PASSWORD\n",
    "wget --http-user=deploy --http-password=\"$NEXUS_PASSWORD\" https://nexus.acme.io/a\n",
    "{\"config\": \"host=db\\npassword=${DB_PASSWORD}\\n\"}\n",
    "set :password, ENV.fetch('DEPLOY_PASSWORD')\n",
    "<Pass encoding=\"base64\"></Pass>\n",
    # Placeholders and references where a command-line credential goes: not at any confidence.
    "curl -u $USER:$PASS https://nexus.acme.io\n",
    "curl -u \"deploy:${NEXUS_TOKEN}\" https://nexus.acme.io\n",
    "curl -u \"ci:${{ secrets.NEXUS_PASSWORD }}\" https://nexus.acme.io\n",
    "curl -u admin:password https://jenkins.acme.io/api/json\n",
    "curl -u admin:<password> https://jenkins.acme.io/api/json\n",
    "curl --user admin:changeme https://jenkins.acme.io/api/json\n",
    "curl -fsSLu \"$NEXUS_USER:$NEXUS_PASSWORD\" \\\n  https://nexus.acme.io/a.tgz\n",
    "\tcurl -u $(NEXUS_USER):$(NEXUS_PASSWORD) -T app.tgz https://nexus.acme.io/\n",
    "curl --url https://jenkins.acme.io:8443/api/json -o status.json\n",
    "http --auth admin:<password> GET https://api.acme.io\n",
    "http -a \"$API_USER:$API_PASSWORD\" GET https://api.acme.io\n",
    "wget --password=<password> https://nexus.acme.io/a.jar\n",
    "wget --user=ci --password=\"$WGET_PASSWORD\" https://nexus.acme.io/a.jar\n",
])
def test_hard_negatives_stay_quiet(scanner, text):
    assert scanner.scan(Blob("deploy.sh", text.encode())) == []
    assert scanner.scan(Blob("sitemanager.xml", text.encode())) == []


@pytest.mark.parametrize("path, text", [
    (".netrc", "machine git.acme.internal login ci password " + "password\n"),
    ("settings.xml", "<server>\n  <password>changeme</password>\n</server>\n"),
    ("deploy.sh", "curl -u deploy:aaaaaaaa https://nexus.acme.io\n"),
    (".pgpass", "db.acme.internal:6432:orders:app_rw:required\n"),
    ("networks.py", "    e.g. `pass` in `https://user:pass@host:port/path?query#fragment`\n"),
    ("state_type.py", "    Pass = ASLLexer.PASS\n"),
    ("versioncontrol.py", "        information can be provided via the --username and --password options\n"),
])
def test_slots_and_fills_are_no_weak_password(scanner, path, text):
    assert scanner.scan(Blob(path, text.encode())) == []


@pytest.mark.parametrize("path, text", [
    ("credentials.xml", "<password>{AQAAABAAAAAQm2ZyT1qKXZ0Zn7yXN6UuVh8TjO2uHh6hYQeDnLhbXkY=}</password>\n"),
    ("settings.xml", "<server>\n  <password>{COQLCE6DU6GtcS5P=}</password>\n</server>\n"),
    ("sitemanager.xml", "<Server>\n  <Pass encoding=\"crypt\">Y2lwaGVydGV4dGhlcmUtbm90LWEtcGFzcw==</Pass>\n</Server>"),
])
def test_ciphertext_is_no_password(scanner, path, text):
    """Jenkins and Maven encrypt with a key kept elsewhere, FileZilla with a master password."""
    assert scanner.scan(Blob(path, text.encode())) == []


def test_a_weak_password_needs_an_audit_run(repo):
    commit_file(repo, "docker-compose.yml", f"services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {WEAK}\n")
    default = run_keystow("scan", ".", cwd=repo)
    assert default.returncode == 0, default.stdout
    audit = run_keystow("scan", ".", "--min-confidence", "low", "--show-secrets", cwd=repo)
    assert audit.returncode == 1 and WEAK.encode() in audit.stdout

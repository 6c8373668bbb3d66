"""Every assignment syntax of issue 15 (item 2), one row each: a random password and a
high-entropy token are reported at the default confidence; a weak one (`sunshine42`) only at low
confidence and severity, which only an audit run (`--min-confidence low`) shows."""

from __future__ import annotations

import base64

import pytest

from keystow.config import Config
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


@pytest.mark.parametrize("row, path, template", SYNTAXES, ids=[row[0] for row in SYNTAXES])
def test_a_weak_password_is_reported_only_at_low_confidence(scanner, row, path, template):
    findings = _found(scanner, path, template, WEAK)
    assert findings, row
    assert {(f.confidence, f.severity) for f in findings} == {("low", "low")}, [(f.rule_id, f.confidence)
                                                                                for f in findings]


@pytest.mark.parametrize("text", [
    "bypass = 'Kq7zXm3vTpWn#Lr42'\n",  # not a `pass` name
    "compass_heading := \"Kq7zXm3vTpWn#Lr42\"\n",
    "login(password, \"Kq7zXm3vTpWn#Lr42\")\n",  # a literal beside a password variable is no pair
    "http GET https://api.acme.io -a $API_USER:$API_PASSWORD\n",
    "wget --http-user=deploy --http-password=\"$NEXUS_PASSWORD\" https://nexus.acme.io/a\n",
    "{\"config\": \"host=db\\npassword=${DB_PASSWORD}\\n\"}\n",
    "set :password, ENV.fetch('DEPLOY_PASSWORD')\n",
    "<Pass encoding=\"base64\"></Pass>\n",
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

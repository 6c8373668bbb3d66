"""Generic detection across assignment syntaxes (alignment included), and the false positives that
context removes: example hosts, test expectations, placeholders in documentation comments."""

from __future__ import annotations

import pytest

from keystow.config import Config
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset
from testing.fakes import Fakes

ENGINES = ["re"] + (["hyperscan"] if hyperscan_available() else [])
_fakes = Fakes(53)
# Random, with symbols, never a word: what every generic rule must report.
PW = _fakes.chars("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 14) + "#" + _fakes.chars("0123456789", 3)
TOKEN = _fakes.chars("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 28)


@pytest.fixture(scope="module", params=ENGINES)
def scanner(request):
    return Scanner(load_ruleset(Config()), FilterPolicy(), request.param)


def secrets_in(scanner: Scanner, text: str, path: str = "file.txt") -> list[str]:
    return [f.secret for f in scanner.scan(Blob(path, text.encode()))]


SYNTAXES = [
    ("main.tf", f'resource "aws_db_instance" "db" {{\n  username          = "app"\n  password          = "{PW}"\n}}\n'),
    ("main.tf", f'  password\t\t\t= "{PW}"\n'),
    ("values.yaml", f"db:\n  user:                 app\n  password:             {PW}\n"),
    ("config.go", f'var dbPassword string = "{PW}"\n'),
    ("config.go", f'const apiToken = "{TOKEN}"\n'),
    ("config.go", f'\tdbPassword := "{PW}"\n'),
    ("config.php", f"$db_password = '{PW}';\n"),
    ("config.php", f"$password .= '{PW}';\n"),
    ("config.php", f"return array(\n    'db_password' => '{PW}',\n);\n"),
    ("config.pl", f"my $password = '{PW}';\n"),
    ("Makefile", f"DB_PASSWORD := {PW}\n"),
    ("Makefile", f"DB_PASSWORD ::= {PW}\n"),
    ("Makefile", f"DB_PASSWORD ?= {PW}\n"),
    ("Makefile", f"ADMIN_PASSWORD += {PW}\n"),
    ("client.rb", f'Client.new(api_key: "{TOKEN}")\n'),
    ("client.rb", f'settings = {{ :api_key => "{TOKEN}" }}\n'),
    ("Config.cs", f'var credentials = new NetworkCredential("svc-report", "{PW}");\n'),
    ("Config.java", f'@Value("{PW}")\nprivate String dbPassword;\n'),
    ("Config.kt", f'val dbPassword = "{PW}"\n'),
    ("Config.swift", f'let dbPassword: String = "{PW}"\n'),
    ("deploy.sh", f'export DB_PASSWORD="{PW}"\n'),
    ("web.config", f'<connection host="db" password="{PW}" />\n'),
    ("settings.xml", f"<server>\n  <password>\n    {PW}\n  </password>\n</server>\n"),
    ("deploy.sh", f'curl -s -H "X-Auth-Token: {TOKEN}" https://api.acme.io/v1/servers\n'),
    ("README.md", f'    curl -H "Authorization: Bearer {TOKEN}" https://api.acme.io/v1/me\n'),
    ("Dockerfile", f"RUN /opt/app/bin/setup --set-admin-password={PW}\n"),
    (".gitlab-ci.yml", f"  script:\n    - ./migrate --db-password={PW}\n"),
    (".netrc", f"machine git.acme.internal login ci password {PW}\n"),
    (".pgpass", f"db.acme.internal:6432:app:app_rw:{PW}\n"),
    (".git-credentials", f"https://ci-bot:{TOKEN}@git.acme.internal\n"),
]


@pytest.mark.parametrize("path, text", SYNTAXES, ids=[f"{i}-{p}" for i, (p, _) in enumerate(SYNTAXES)])
def test_syntax_is_detected(scanner, path, text):
    found = secrets_in(scanner, text, path)
    assert found and set(found) <= {PW, TOKEN}, found


def test_curl_user_password(scanner):
    assert secrets_in(scanner, f"curl -u deploy:{PW} https://nexus.acme.io\n", "ci.sh") == [PW]


@pytest.mark.parametrize("text", [
    "JENKINS_URL=https://admin:admin123@localhost:8080/\n",
    "git clone https://jdoe:mypassword@git.example.com/team/app.git\n",
    "DATABASE_URL=postgres://postgres:postgres1@localhost:5432/app\n",
    "mysql://root:rootpass@127.0.0.1:3306/app\n",
    "See `https://admin:admin123@localhost:8080`, for instance.\n",
])
def test_wordy_password_on_an_example_host_is_not_reported(scanner, text):
    assert secrets_in(scanner, text, "docker-compose.yml") == []


def test_random_password_on_localhost_is_still_reported(scanner):
    assert secrets_in(scanner, f"DATABASE_URL=postgres://app:{TOKEN}@localhost:5432/app\n", ".env") == [TOKEN]


def test_expected_constants_are_not_reported(scanner):
    assert (
        secrets_in(scanner, f'expected_password = "{PW}"\nEXPECTED_API_KEY = "{TOKEN}"\n', "tests/test_auth.py") == []
    )
    assert secrets_in(scanner, f'self.expectedToken = "{TOKEN}"\n', "AuthTest.java") == []


def test_placeholder_password_in_a_doc_comment_is_not_reported(scanner):
    text = "```yaml\n# password: mypassword123\n```\n"
    assert secrets_in(scanner, text, "docs/setup.md") == []
    assert secrets_in(scanner, text.replace("mypassword123", PW), "docs/setup.md") == [PW]
    # Outside a comment the same word is a (weak) password: reported, at low confidence only.
    [weak] = scanner.scan(Blob("docs/setup.md", b"DB_PASSWORD=mypassword123\n"))
    assert weak.confidence == "low"

"""Write the labelled corpus: files with known credentials and hard negatives, and truth.json.

Deterministic: the same seed writes byte-identical files. A label is (file, line, kind,
positive); a multi-line secret (a PEM block) carries `span`, the number of lines it covers.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from harder import harder_cases
from kinds import ALNUM, B64, GENERIC_NAMES, HEX, NEGATIVES, PROVIDER_POSITIVES, clean, generic_password, integrity
from syntaxes import SYNTAXES, yaml_scalar

from testing.fakes import Fakes

COPIES = 3  # each syntax gets this many files, each with its share of positives and negatives


@dataclass
class Label:
    file: str
    line: int
    kind: str
    positive: bool
    span: int = 1
    audit: bool = False  # a weak value only a `--min-confidence low` audit is expected to report


class Writer:
    def __init__(self, fakes: Fakes) -> None:
        self.fakes = fakes
        self.files: dict[str, list[str]] = {}
        self.labels: list[Label] = []

    def lines(self, path: str) -> list[str]:
        return self.files.setdefault(path, [])

    def add(self, path: str, text: str, kind: str | None = None, positive: bool = True, audit: bool = False) -> None:
        lines = self.lines(path)
        new = text.rstrip("\n").split("\n")
        if kind:
            self.labels.append(Label(path, len(lines) + 1, kind, positive, len(new), audit))
        lines.extend(new)

    def filler(self, path: str, choices: tuple[str, ...], count: int = 2) -> None:
        for _ in range(count):
            self.add(path, self.fakes.rng.choice(choices))

    def write(self, root: Path) -> None:
        for path, lines in self.files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        truth = [asdict(label) for label in self.labels]
        (root.parent / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")


def assignments(w: Writer) -> None:
    """Every syntax: generic passwords, provider tokens and hard negatives as assignments."""
    f = w.fakes
    for copy in range(COPIES):
        for syntax in SYNTAXES.values():
            path = f"{syntax.name}/{copy}/{syntax.filename}"
            cases = [(f"password:{syntax.name}", True, f.rng.choice(GENERIC_NAMES), clean(generic_password, f))
                     for _ in range(2)]
            for kind, name, make in PROVIDER_POSITIVES:
                if f.rng.random() < 0.25:
                    cases.append((kind, True, name, clean(make, f)))
            for kind, name, make in NEGATIVES:
                if f.rng.random() < 0.35:
                    cases.append((f"neg:{kind}", False, name, make(f)))
            f.rng.shuffle(cases)
            w.filler(path, syntax.filler, 3)
            for kind, positive, name, value in cases:
                w.add(path, syntax.assign(name, value), kind, positive)
                w.filler(path, syntax.filler, f.rng.randrange(1, 4))


def structured(w: Writer) -> None:
    """Formats with their own shape: PEM blocks, k8s Secrets, .npmrc, kubeconfig, connection strings."""
    f = w.fakes
    for i in range(6):
        kind = f.rng.choice(["RSA", "EC", "OPENSSH", ""])
        w.add(f"keys/{i}/id_key.pem", f.pem_private_key(kind, 300 if kind == "EC" else 1190), "private-key-pem")
        escaped = f.pem_private_key("", 1190).replace("\n", "\\n")
        w.add(f"keys/{i}/service-account.json", "{")
        w.add(f"keys/{i}/service-account.json", '  "type": "service_account",')
        w.add(f"keys/{i}/service-account.json", f'  "private_key": "{escaped}",', "private-key-escaped")
        w.add(f"keys/{i}/service-account.json", '  "client_email": "svc@acme-prod.iam.gserviceaccount.com"\n}')
        _public_material(w, i)
        _k8s_secret(w, i)
        _client_configs(w, i)
        _lockfiles(w, i)
        _context_cases(w, i)
        harder_cases(w, i)


def _public_material(w: Writer, i: int) -> None:
    f = w.fakes
    body = base64.b64encode(f.rng.randbytes(900)).decode()
    block = "\n".join(body[j:j + 64] for j in range(0, len(body), 64))
    w.add(f"certs/{i}/server.crt", "-----BEGIN CERTIFICATE-----\n" + block + "\n-----END CERTIFICATE-----", "neg:certificate", False)
    w.add(f"certs/{i}/key.pub", "-----BEGIN PUBLIC KEY-----\n" + block[:400] + "\n-----END PUBLIC KEY-----", "neg:public-key", False)
    ssh = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + f.chars(B64, 43) + " ops@bastion"
    w.add(f"certs/{i}/authorized_keys", ssh, "neg:public-key", False)
    w.add(f"certs/{i}/deploy.tf", f'  public_key = "{ssh}"', "neg:public-key", False)
    w.add(f"certs/{i}/vault.yml", "db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  " + f.chars("0123456789abcdef", 64), "neg:ansible-vault", False)


def _k8s_secret(w: Writer, i: int) -> None:
    f = w.fakes
    path = f"k8s/{i}/secret.yaml"
    w.add(path, f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-{i}\ntype: Opaque\nstringData:")
    w.add(path, f"  password: {yaml_scalar(clean(generic_password, f))}", "password:k8s-stringdata")
    w.add(path, "data:")
    encoded = base64.b64encode(clean(generic_password, f).encode()).decode()
    w.add(path, f"  db-password: {encoded}", "password:k8s-data")
    ref = f"k8s/{i}/deployment.yaml"
    w.add(ref, "        env:\n          - name: DB_PASSWORD\n            valueFrom:\n              secretKeyRef:")
    w.add(ref, "                name: app-secret\n                key: password")


def _client_configs(w: Writer, i: int) -> None:
    f = w.fakes
    w.add(f"npm/{i}/.npmrc", "registry=https://registry.npmjs.org/")
    w.add(f"npm/{i}/.npmrc", "//registry.npmjs.org/:_authToken=" + f.crc32_token("npm"), "npmrc-auth-token")
    w.add(f"kube/{i}/config", "apiVersion: v1\nkind: Config\nusers:\n- name: deployer\n  user:")
    w.add(f"kube/{i}/config", "    token: " + clean(lambda g: g.chars(B64.replace("+", "-").replace("/", "_"), 48), f), "kubeconfig-token")
    jdbc = f"jdbc:mysql://db.internal:3306/orders?user=app&password={clean(generic_password, f)}"
    w.add(f"java/{i}/datasource.properties", f"spring.datasource.url={jdbc}", "jdbc-password")
    w.add(f"pypi/{i}/.pypirc", "[distutils]\nindex-servers = internal\n\n[internal]\nrepository = https://pypi.acme.internal/\nusername = deploy")
    w.add(f"pypi/{i}/.pypirc", f"password = {clean(generic_password, f)}", "pypirc-password")
    auth = base64.b64encode(f"deploy:{clean(generic_password, f)}".encode()).decode()
    w.add(f"docker/{i}/config.json", '{\n  "auths": {\n    "registry.acme.io": {')
    w.add(f"docker/{i}/config.json", f'      "auth": "{auth}"', "docker-config-auth")
    w.add(f"docker/{i}/config.json", "    }\n  }\n}")
    notebook = f"notebooks/{i}/analysis.ipynb"
    w.add(notebook, '{\n "cells": [\n  {\n   "cell_type": "code",\n   "metadata": {},\n   "source": [\n    "import requests\\n",')
    w.add(notebook, f'    "api_key = \\"{clean(generic_password, f)}\\"\\n",', "password:notebook")
    w.add(notebook, '    "requests.get(url, headers={\\"X-Key\\": api_key})"\n   ]\n  }\n ],\n "nbformat": 4\n}')
    ado = f"Server=tcp:sql.internal,1433;Database=orders;User Id=app;Password={clean(generic_password, f)};"
    w.add(f"dotnet/{i}/appsettings.json", '{\n  "ConnectionStrings": {')
    w.add(f"dotnet/{i}/appsettings.json", f'    "Default": "{ado}"', "adonet-password")
    w.add(f"dotnet/{i}/appsettings.json", "  }\n}")


def _lockfiles(w: Writer, i: int) -> None:
    f = w.fakes
    path = f"lock/{i}/package-lock.json"
    w.add(path, '{\n  "name": "web",\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/left-pad": {')
    w.add(path, '      "version": "1.3.0",\n      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",')
    w.add(path, f'      "integrity": "{integrity(f)}"', "neg:lockfile-integrity", False)
    w.add(path, "    }\n  }\n}")
    w.add(f"lock/{i}/yarn.lock", 'left-pad@^1.3.0:\n  version "1.3.0"')
    w.add(f"lock/{i}/yarn.lock", f"  integrity {integrity(f)}", "neg:lockfile-integrity", False)
    digest = f.chars("0123456789abcdef", 64)
    w.add(f"lock/{i}/requirements.txt", f"requests==2.31.0 \\\n    --hash=sha256:{digest}", "neg:lockfile-integrity", False)
    w.add(f"lock/{i}/go.sum", "golang.org/x/net v0.17.0 h1:" + base64.b64encode(f.rng.randbytes(32)).decode(), "neg:lockfile-integrity", False)
    css = f"lock/{i}/styles.css"
    w.add(css, ".logo {\n  background-image: url(\"data:image/png;base64," + base64.b64encode(f.rng.randbytes(600)).decode() + "\");", "neg:base64-image", False)
    w.add(css, "}")


def _context_cases(w: Writer, i: int) -> None:
    """Context over shape and the command-line/credential-file syntaxes: hex keys under secret names
    (and hex digests under digest names and in lock files), .netrc, .pgpass, .git-credentials, curl
    headers and setup flags; made-up passwords on example hosts and expected values in tests."""
    f = w.fakes
    py = f"context/{i}/settings.py"
    name = f.rng.choice(["SECRET_KEY", "JWT_SECRET", "API_KEY", "WEBHOOK_SECRET", "NEW_RELIC_LICENSE_KEY"])
    w.add(py, f'{name} = "{f.chars(HEX, f.rng.choice([32, 40, 64]))}"', "hex-key")
    digest_name = f.rng.choice(["FILE_SHA256", "checksum", "content_digest", "etag", "commit_rev", "asset_hash"])
    w.add(py, f'{digest_name} = "{f.chars(HEX, 64)}"', "neg:hex-digest-named", False)
    w.add(f"context/{i}/Cargo.lock", '[[package]]\nname = "serde"\nversion = "1.0.190"')
    w.add(f"context/{i}/Cargo.lock", f'checksum = "{f.chars(HEX, 64)}"', "neg:lockfile-integrity", False)
    w.add(f"context/{i}/tests/test_auth.py", f'EXPECTED_API_KEY = "{clean(generic_password, f)}"', "neg:test-expectation", False)
    host = f.rng.choice(["localhost:8080", "git.example.com", "registry.example.org", "127.0.0.1:5432"])
    word = f.rng.choice(["admin123", "mypassword", "postgres1", "letmein"])
    w.add(f"context/{i}/README.md", f"    git clone https://jdoe:{word}@{host}/team/app.git", "neg:example-host-url", False)
    password = clean(generic_password, f)
    w.add(f"context/{i}/.netrc", f"machine git.acme.internal login ci password {password}", "netrc-password")
    w.add(f"context/{i}/.pgpass", f"db.acme.internal:6432:app:app_rw:{clean(generic_password, f)}", "pgpass-entry")
    token = f.chars(ALNUM, 32)
    w.add(f"context/{i}/.git-credentials", f"https://ci-bot:{token}@git.acme.internal", "git-credentials")
    header = f.rng.choice(["X-Auth-Token", "X-API-Key", "PRIVATE-TOKEN"])
    w.add(f"context/{i}/ci.sh", f'curl -s -H "{header}: {f.chars(ALNUM, 32)}" https://api.acme.io/v1/servers', "curl-header")
    w.add(f"context/{i}/Dockerfile", f"RUN /opt/app/bin/setup --set-admin-password={clean(generic_password, f)}", "cli-flag-password")


def generate(root: Path, seed: int = 2024) -> list[Label]:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    writer = Writer(Fakes(seed))
    assignments(writer)
    structured(writer)
    writer.write(root)
    # Its own git repository: tools that consult git see an ordinary project, not bench/work.
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return writer.labels

"""Test helpers for migrate: a repository built from tests/fixtures/migrate/repo with generated
fake credentials, and a reader that follows each ecosystem's reference back to the store."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from testing.fakes import ALNUM, Fakes
from tests.helpers import git, run_keystow, run_keystow_crashing

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "migrate" / "repo"
EVERYTYPE = FIXTURE.parent / "everytype"
PLACEHOLDER = re.compile(r"@@([A-Z]+)(\d+)@@")
# Placeholder kinds (`@@KIND<n>@@`) and the fake each is filled with.
FAKERS = {
    "GH": lambda f: f.github_token(),
    "GHBASE": lambda f: base64.b64encode(f.github_token().encode()).decode(),  # a Kubernetes Secret's data: value
    "AKID": lambda f: f.aws_access_key_id(),
    "AWSSK": lambda f: f.aws_secret_access_key(),
    "SLACK": lambda f: f.slack_bot_token(),
    "NPM": lambda f: f.crc32_token("npm"),
    "PYPI": lambda f: f.token("pypi-AgEIcHlwaS5vcmc", ALNUM + "_-", 120),
    "PW": lambda f: f.password(20),
    "GRADLE": lambda f: f.chars(ALNUM, 32),
    "DOCKERAUTH": lambda f: base64.b64encode(f"acme-ci:{f.github_token()}".encode()).decode(),
    "JWT": lambda f: f.jwt(),
    "PEM": lambda f: f.pem_private_key("RSA").rstrip("\n"),  # the fixture file has its own line end
    "PEMESC": lambda f: f.pem_private_key("").replace("\n", "\\n"),  # inside a JSON string
}


def fake_values(seed: int = 11) -> dict[str, str]:
    fakes, values = Fakes(seed), {}
    for number in range(1, 16):
        values[f"GH{number}"] = fakes.github_token()
    values["AKID1"] = fakes.aws_access_key_id()
    values["AWSSK1"] = fakes.aws_secret_access_key()
    return values


def make_repo(repo: Path, seed: int = 11) -> dict[str, str]:
    """Copy the fixture tree into `repo` (modes kept), fill in fake credentials, commit."""
    values = fake_values(seed)
    shutil.copytree(FIXTURE, repo, dirs_exist_ok=True)
    for path in repo.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            data = path.read_bytes()
            filled = PLACEHOLDER.sub(lambda m: values[m.group(1) + m.group(2)], data.decode()).encode()
            if filled != data:
                path.write_bytes(filled)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "services with hardcoded credentials")
    return values


@contextlib.contextmanager
def fresh_moto_repo(moto_server: str, tmp_path_factory, name: str):
    """An empty git repository, with AWS pointed at a freshly reset moto server meanwhile
    (module-scoped fixtures use this where the function-scoped `aws_env` cannot serve)."""
    import pytest

    from testing.local_moto import reset
    from tests.moto_server import AWS_TEST_ENV

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
        for variable, value in AWS_TEST_ENV.items():
            monkeypatch.setenv(variable, value)
        reset(moto_server)
        repo = tmp_path_factory.mktemp(name) / "repo"
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        yield repo


def fill_tree(source: Path, repo: Path, seed: int = 11) -> dict[str, str]:
    """Copy `source` into `repo` (modes kept) with every `@@KIND<n>@@` replaced by a fake of that
    kind (the same placeholder, the same value, in every file); the values by placeholder."""
    shutil.copytree(source, repo, dirs_exist_ok=True)
    files = sorted(p for p in repo.rglob("*") if p.is_file() and ".git" not in p.relative_to(repo).parts)
    texts = {path: path.read_bytes().decode() for path in files}
    wanted = sorted({(kind, int(n)) for text in texts.values() for kind, n in PLACEHOLDER.findall(text)})
    fakes = Fakes(seed)
    values = {f"{kind}{n}": FAKERS[kind](fakes) for kind, n in wanted}
    for path, text in texts.items():
        filled = PLACEHOLDER.sub(lambda m: values[m.group(1) + m.group(2)], text)
        if filled != text:
            path.write_bytes(filled.encode())
    return values


def migrate(repo: Path, *args: str, env: dict | None = None):
    """`keystow migrate ARGS` in `repo`: in this process (fast) unless `env` asks for a
    subprocess (see `migrate_killed_after` for a run that crashes)."""
    args = ("migrate", *args, "--writes-per-second", "1000")
    return run_keystow(*args, cwd=repo, env=env) if env else run_in_process(repo, *args)


def migrate_killed_after(point: str, repo: Path, *args: str) -> subprocess.CompletedProcess:
    """`keystow migrate ARGS` in a subprocess killed (exit 137) right after `point`: "store-write"
    (every value stored, no file rewritten) or "file-write" (the first file rewritten)."""
    return run_keystow_crashing(point, "migrate", *args, "--writes-per-second", "1000", cwd=repo)


def run_in_process(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    from keystow.cli.main import main

    out, err = io.BytesIO(), io.BytesIO()
    stdout, stderr = io.TextIOWrapper(out, write_through=True), io.TextIOWrapper(err, write_through=True)
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), \
                _no_stdin():
            code = main(list(args))
    finally:
        os.chdir(previous)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _no_stdin():
    saved = sys.stdin
    sys.stdin = io.StringIO()
    try:
        yield
    finally:
        sys.stdin = saved


class StoreReader:
    """Values behind references, read from the moto server with boto3."""

    def __init__(self, endpoint: str) -> None:
        import boto3

        self.ssm = boto3.client("ssm", endpoint_url=endpoint, region_name="us-east-1")
        self.sm = boto3.client("secretsmanager", endpoint_url=endpoint, region_name="us-east-1")

    def parameter(self, name: str) -> str:
        return self.ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]

    def secret(self, name: str, key: str | None = None) -> str:
        value = self.sm.get_secret_value(SecretId=name)["SecretString"]
        return json.loads(value)[key] if key else value

    def reference(self, reference: str) -> str:
        """`ssm:/name` or `secretsmanager:name#key` (the manifest syntax)."""
        store, _, rest = reference.partition(":")
        if store == "ssm":
            return self.parameter(rest)
        name, _, key = rest.partition("#")
        return self.secret(name, key or None)

    def parameter_names(self) -> list[str]:
        return [p["Name"] for p in self.ssm.describe_parameters()["Parameters"]]

    def secret_names(self) -> list[str]:
        return [s["Name"] for s in self.sm.list_secrets()["SecretList"]]


def manifest(repo: Path) -> dict[str, str]:
    from keystow.config import toml_parser

    tomllib = toml_parser()

    return tomllib.loads((repo / ".keystow-refs.toml").read_text())


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text())


def scan_paths_with_findings(repo: Path) -> set[str]:
    result = run_in_process(repo, "scan", "--format", "json", ".")
    assert result.returncode in (0, 1), result.stderr
    return {f["path"] for f in json.loads(result.stdout)["findings"]}

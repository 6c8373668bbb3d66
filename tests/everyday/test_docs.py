"""The docs site builds strictly, shell completion works as documented, `make moto` serves a
moto endpoint, and `make` says what it installs before installing it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testing.local_moto import answers

ROOT = Path(__file__).resolve().parents[2]
KEYSTOW = Path(sys.executable).parent / "keystow"


@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None, reason="mkdocs is not installed (pip install -e '.[docs]')"
)
def test_docs_site_builds_strictly(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "shell-completion/index.html", "migrate-locally/index.html"):
        assert (tmp_path / "site" / page).is_file(), page


def test_every_docs_page_is_in_the_nav():
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in (ROOT / "docs").glob("*.md"):
        assert page.name in nav, page.name


def test_shell_completion_as_documented(tmp_path):
    doc = (ROOT / "docs/shell-completion.md").read_text()
    assert "_KEYSTOW_COMPLETE=bash_source keystow" in doc
    source = subprocess.run(
        [str(KEYSTOW)],
        env={**os.environ, "_KEYSTOW_COMPLETE": "bash_source"},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert "_keystow_completion()" in source.stdout
    env = {**os.environ, "_KEYSTOW_COMPLETE": "bash_complete", "COMP_WORDS": "keystow scan --for", "COMP_CWORD": "2"}
    options = subprocess.run([str(KEYSTOW)], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert "plain,--format" in options.stdout.splitlines()
    env.update(COMP_WORDS="keystow scan --format js", COMP_CWORD="3")
    formats = subprocess.run([str(KEYSTOW)], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert set(formats.stdout.split()) == {"plain,json", "plain,jsonl"}


def test_local_moto_command_serves_an_endpoint_until_stopped():
    process = subprocess.Popen(
        [sys.executable, "-m", "testing.local_moto"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        endpoint = process.stdout.readline().strip()
        assert endpoint.startswith("http://127.0.0.1:")
        assert answers(endpoint)
        assert (
            "--endpoint-url " + endpoint
            in process.stdout.readline() + process.stdout.readline() + process.stdout.readline()
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_make_says_what_it_installs_before_installing(tmp_path):
    plan = subprocess.run(["make", "-n", "demo", f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True, text=True)
    lines = plan.stdout.splitlines()
    said = next(i for i, line in enumerate(lines) if "installing keystow" in line)
    installs = next(i for i, line in enumerate(lines) if "pip install" in line and not line.startswith("echo"))
    assert said < installs

"""The `keystow-files` hook (pass_filenames: true) under the real pre-commit framework: what
`pre-commit run --all-files` and pre-commit.ci run, where nothing is staged."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow
from tests.workflow.readme import ROOT, workflow_section
from tests.workflow.test_pre_commit import BIN, MANIFEST, _env


def _setup(repo: Path, tmp_path: Path) -> dict:
    hook = {**MANIFEST["keystow-files"], "language": "system"}
    commit_file(repo, ".pre-commit-config.yaml", yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}),
                "pre-commit config")
    return _env(tmp_path)


def _run(repo: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "pre-commit"), "run", *args], cwd=repo, env=env, capture_output=True, text=True)


def test_manifest_passes_filenames_and_the_readme_says_where_to_use_it():
    hook = MANIFEST["keystow-files"]
    assert hook["pass_filenames"] is True and hook["entry"] == "keystow scan"
    assert "always_run" not in hook  # with no file to pass, there is nothing to scan
    section = workflow_section()
    assert "`keystow-files`" in section and "pre-commit.ci" in section and "--all-files" in section
    assert "keystow-files" in (ROOT / ".pre-commit-hooks.yaml").read_text()


def test_all_files_finds_a_committed_secret_and_a_baseline_clears_it(repo, tmp_path):
    env = _setup(repo, tmp_path)
    commit_file(repo, "clean.py", "x = 1\n")
    commit_file(repo, "settings.py", f'TOKEN = "{Fakes(41).github_token()}"\n')
    # nothing staged: the staged hook would pass, the files hook must not
    assert run_keystow("scan", "--staged", cwd=repo).returncode == 0
    blocked = _run(repo, env, "--all-files")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "settings.py" in output and "github-classic-pat" in output
    assert "clean.py" not in output.split("github-classic-pat")[0]
    assert run_keystow("baseline", "update", cwd=repo).returncode == 0  # the hint of a path scan
    passed = _run(repo, env, "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_only_the_files_passed_are_scanned(repo, tmp_path):
    env = _setup(repo, tmp_path)
    commit_file(repo, "clean.py", "x = 1\n")
    commit_file(repo, "settings.py", f'TOKEN = "{Fakes(42).github_token()}"\n')
    assert _run(repo, env, "keystow-files", "--files", "clean.py").returncode == 0
    blocked = _run(repo, env, "keystow-files", "--files", "settings.py")
    assert blocked.returncode != 0 and "settings.py" in blocked.stdout + blocked.stderr

"""The real pre-commit framework running keystow's hooks in a temporary repository.

The config is the README's snippet. The fast tests swap its `repo:` for a `local` repo whose
hooks are copied from `.pre-commit-hooks.yaml` with `language: system` (keystow from this venv),
because a real install has pre-commit pip-install keystow and its dependencies into a fresh
virtualenv, which takes about a minute. `test_real_install_from_this_checkout` does exactly
that; it runs when KEYSTOW_PRE_COMMIT_INSTALL=1 (the network to PyPI is needed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from testing.fakes import Fakes
from tests.helpers import git
from tests.workflow.readme import ROOT, pre_commit_config
from tests.workflow.test_hook import placeholder_key

BIN = Path(sys.executable).parent
MANIFEST = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def _env(tmp_path: Path) -> dict:
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_COLOR": "never"}


def local_config() -> dict:
    """The README config with each hook's definition taken from our manifest, run from this venv."""
    config = pre_commit_config()
    hooks = []
    for ref in config["repos"][0]["hooks"]:
        hook = dict(MANIFEST[ref["id"]])
        hook["language"] = "system"
        hooks.append(hook)
    return {"repos": [{"repo": "local", "hooks": hooks}]}


def _setup(repo: Path, tmp_path: Path, config: dict) -> dict:
    env = _env(tmp_path)
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(repo, "add", ".pre-commit-config.yaml")
    subprocess.run([str(BIN / "pre-commit"), "install", "--hook-type", "pre-commit", "--hook-type", "pre-push"],
                   cwd=repo, env=env, check=True, capture_output=True)
    return env


def _commit(repo: Path, env: dict, name: str, text: str, *flags: str) -> subprocess.CompletedProcess:
    (repo / name).write_text(text)
    git(repo, "add", name)
    return subprocess.run(["git", "commit", "-m", f"add {name}", *flags], cwd=repo, env=env,
                          capture_output=True, text=True)


def test_readme_snippet_names_our_hooks():
    config = pre_commit_config()
    assert [h["id"] for h in config["repos"][0]["hooks"]] == ["keystow", "keystow-push"]
    assert MANIFEST["keystow"]["entry"] == "keystow scan --staged"
    assert MANIFEST["keystow-push"]["stages"] == ["pre-push"]


def test_commit_blocked_clean_passes_placeholder_passes(repo, tmp_path):
    env = _setup(repo, tmp_path, local_config())
    blocked = _commit(repo, env, "settings.py", f'DEBUG = True\nTOKEN = "{Fakes(31).github_token()}"\n')
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "settings.py" in output and "2:" in output and "github-classic-pat" in output
    assert "keystow:allow" in output
    git(repo, "rm", "-q", "--cached", "settings.py")
    assert _commit(repo, env, "clean.py", "x = 1\n").returncode == 0
    assert _commit(repo, env, "docs.md", f"aws_access_key_id = {placeholder_key()}\n").returncode == 0


def test_push_stage_blocks_secret_pushed_past_the_commit_hook(repo, tmp_path):
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(repo, "remote", "add", "origin", str(remote))
    env = _setup(repo, tmp_path, local_config())
    assert _commit(repo, env, "clean.py", "x = 1\n").returncode == 0
    first = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    assert _commit(repo, env, "leak.py", f'T = "{Fakes(32).github_token()}"\n', "--no-verify").returncode == 0
    blocked = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo, env=env, capture_output=True, text=True)
    assert blocked.returncode != 0 and "leak.py" in blocked.stdout + blocked.stderr


@pytest.mark.skipif(os.environ.get("KEYSTOW_PRE_COMMIT_INSTALL") != "1",
                    reason="installs keystow from PyPI into a fresh venv (~1 min); set KEYSTOW_PRE_COMMIT_INSTALL=1")
def test_real_install_from_this_checkout(repo, tmp_path):
    config = pre_commit_config()
    config["repos"][0]["repo"] = str(ROOT)
    config["repos"][0]["rev"] = git(ROOT, "rev-parse", "HEAD").strip()
    env = _setup(repo, tmp_path, config)
    env["PATH"] = os.environ["PATH"]  # keystow must come from pre-commit's own venv
    blocked = _commit(repo, env, "settings.py", f'TOKEN = "{Fakes(33).github_token()}"\n')
    assert blocked.returncode != 0 and "github-classic-pat" in blocked.stdout + blocked.stderr
    git(repo, "rm", "-q", "--cached", "settings.py")
    assert _commit(repo, env, "clean.py", "x = 1\n").returncode == 0

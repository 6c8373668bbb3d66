"""`keystow-push` under the pre-commit framework must scan every pushed ref.

pre-commit (hook_impl.py `_pre_push_ns`) reads git's pre-push lines itself and hands its hooks
only the FIRST pushed ref (PRE_COMMIT_FROM_REF/TO_REF); hooks never see the other lines. So
`git push origin clean leaky` used to scan `clean` only and let `leaky` through.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from testing.fakes import Fakes
from tests.helpers import commit_file, git

BIN = Path(sys.executable).parent
PUSH_HOOK = {"id": "keystow-push", "name": "keystow push", "entry": "keystow hook pre-push", "language": "system",
             "pass_filenames": False, "always_run": True, "require_serial": True, "stages": ["pre-push"]}


def _setup(repo: Path, tmp_path: Path) -> dict:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_COLOR": "never"}
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(repo, "remote", "add", "origin", str(remote))
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [PUSH_HOOK]}]}))
    commit_file(repo, ".pre-commit-config.yaml", (repo / ".pre-commit-config.yaml").read_text(), "config")
    subprocess.run([str(BIN / "pre-commit"), "install", "--hook-type", "pre-push"], cwd=repo, env=env,
                   check=True, capture_output=True)
    return env


def _push(repo: Path, env: dict, *refs: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "push", "-q", "origin", *refs], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=120)


def _branch(repo: Path, name: str, path: str, text: str) -> None:
    git(repo, "checkout", "-q", "-b", name, "main")
    commit_file(repo, path, text, f"{name}: {path}")
    git(repo, "checkout", "-q", "main")


def test_second_pushed_ref_is_scanned(repo, tmp_path):
    env = _setup(repo, tmp_path)
    assert _push(repo, env, "main").returncode == 0
    _branch(repo, "clean", "ok.py", "x = 1\n")
    _branch(repo, "leaky", "leak.py", f'T = "{Fakes(51).github_token()}"\n')
    for order in (("clean", "leaky"), ("leaky", "clean")):
        blocked = _push(repo, env, *order)
        assert blocked.returncode != 0, order
        assert "leak.py" in blocked.stdout + blocked.stderr
    assert git(tmp_path / "remote.git", "branch", "--list", "leaky").strip() == ""


def test_pushed_tag_after_a_clean_branch_is_scanned(repo, tmp_path):
    env = _setup(repo, tmp_path)
    assert _push(repo, env, "main").returncode == 0
    _branch(repo, "clean", "ok.py", "x = 1\n")
    _branch(repo, "tagged", "leak.py", f'T = "{Fakes(52).github_token()}"\n')
    git(repo, "tag", "-a", "-m", "release", "v1", "tagged")
    git(repo, "branch", "-D", "tagged")
    blocked = _push(repo, env, "clean", "v1")
    assert blocked.returncode != 0 and "leak.py" in blocked.stdout + blocked.stderr


def test_clean_pushes_still_pass(repo, tmp_path):
    env = _setup(repo, tmp_path)
    assert _push(repo, env, "main").returncode == 0
    _branch(repo, "one", "a.py", "a = 1\n")
    _branch(repo, "two", "b.py", "b = 2\n")
    result = _push(repo, env, "one", "two")
    assert result.returncode == 0, result.stdout + result.stderr

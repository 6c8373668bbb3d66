"""Running git-filter-repo (keystow purge) with the same hardening as every other git call."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from keystow.errors import GitError
from keystow.git.run import HARDENING, git_env

# Sub-commands git-filter-repo runs get the same hardening, through git's environment config.
# Smudge/clean filters (Git LFS) stay active: filter-repo's final `git reset --hard` checks out
# the work tree the user goes on working in, as their own checkouts do.
_HARDENING_PAIRS = tuple(HARDENING[i + 1].split("=", 1) for i in range(0, len(HARDENING), 2))


def filter_repo_env() -> dict[str, str]:
    env = git_env()
    env["GIT_CONFIG_COUNT"] = str(len(_HARDENING_PAIRS))
    for index, (key, value) in enumerate(_HARDENING_PAIRS):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env


def filter_repo_command() -> list[str]:
    """git-filter-repo from this Python's environment (the `purge` extra), else from PATH."""
    beside = Path(sys.executable).parent / "git-filter-repo"
    if beside.is_file():
        return [sys.executable, str(beside)]
    found = shutil.which("git-filter-repo")
    if found is None:
        raise GitError("git-filter-repo is not installed: pip install 'keystow[purge]'")
    return [found]


def run_filter_repo(repo: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """Run git-filter-repo in `repo`; its output is returned, not printed."""
    result = subprocess.run([*filter_repo_command(), *args], cwd=repo, capture_output=True,
                            env=filter_repo_env(), stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git-filter-repo failed in {repo}: {lines[-1] if lines else 'no message'}")
    return result



"""What every demo step uses: a banner, the real `keystow` command, git, a file."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path


def banner(text: str) -> None:
    print(f"\n\033[1m==> {text}\033[0m" if sys.stdout.isatty() else f"\n==> {text}", flush=True)


def keystow(repo: Path, *args: str, check_codes: tuple[int, ...] = (0, 1)) -> int:
    print(f"$ keystow {shlex.join(args)}", flush=True)
    code = subprocess.call([sys.executable, "-m", "keystow", *args], cwd=repo)
    if code not in check_codes:
        raise SystemExit(f"demo: keystow {args[0]} exited {code}")
    return code


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Demo Dev", "GIT_AUTHOR_EMAIL": "dev@example.invalid",
           "GIT_COMMITTER_NAME": "Demo Dev", "GIT_COMMITTER_EMAIL": "dev@example.invalid"}
    subprocess.run(["git", *args], cwd=repo, check=True, env=env)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")

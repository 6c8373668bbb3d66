"""`make demo`: keystow's main job, end to end, on a throwaway repository with fake credentials.

Each step is a function that prints what it does and runs the real `keystow` command, so the demo
shows exactly what a user would type and see.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from keystow.fakes import Fakes


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="keystow-demo-") as tmp:
        repo = Path(tmp) / "shop"
        build_demo_repository(repo, Fakes(seed=2024))
        banner(f"A demo repository with planted fake credentials: {repo}")
        keystow(repo, "scan", ".")
        banner("Every version of every file, each unique blob once (finds the deleted key too)")
        keystow(repo, "scan", "--history", ".")
        for step in demo_extensions():
            step(repo)
    return 0


def build_demo_repository(repo: Path, fakes: Fakes) -> None:
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    write(repo / "settings.py", f'DEBUG = False\nDATABASE_URL = "{fakes.postgres_url()}"\n'
                                f'AWS_ACCESS_KEY_ID = "{fakes.aws_access_key_id()}"\n'
                                f'AWS_SECRET_ACCESS_KEY = "{fakes.aws_secret_access_key()}"\n')
    write(repo / ".env", f"STRIPE_API_KEY={fakes.stripe_live_key()}\nLOG_LEVEL=info\n")
    write(repo / "deploy" / "ci.sh", f"#!/bin/sh\nexport GITHUB_TOKEN={fakes.github_token()}\n")
    write(repo / "README.md", "Set DB_PASSWORD=changeme locally; never commit a real one.\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "initial import")
    write(repo / "notify.js", f'const slack = "{fakes.slack_bot_token()}";\n')
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "add slack notifications")
    git(repo, "rm", "-q", "notify.js")
    git(repo, "commit", "-q", "-m", "remove slack notifications")


def demo_extensions() -> list:
    """Later stages (migrate, run, purge) add themselves here when their modules exist."""
    steps = []
    try:
        from keystow.migrate.demo import demo_migration

        steps.append(demo_migration)
    except ImportError:
        pass
    try:
        from keystow.purge_demo import demo_purge

        steps.append(demo_purge)
    except ImportError:
        pass
    return steps


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


if __name__ == "__main__":
    raise SystemExit(main())

"""`make demo`: keystow's main job, end to end, on a throwaway repository with fake credentials.

Each step is a function that prints what it does and runs the real `keystow` command, so the demo
shows exactly what a user would type and see.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from testing.fakes import Fakes
from tools.demo.migrate import demo_migration
from tools.demo.purge import demo_purge
from tools.demo.steps import banner, git, keystow, write


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="keystow-demo-") as tmp:
        repo = Path(tmp) / "shop"
        build_demo_repository(repo, Fakes(seed=2024))
        banner(f"A demo repository with planted fake credentials: {repo}")
        keystow(repo, "scan", ".")
        banner("Every version of every file, each unique blob once (finds the deleted key too)")
        keystow(repo, "scan", "--history", ".")
        demo_migration(repo)
        demo_purge(repo)
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
    write(repo / ".npmrc", f"//registry.npmjs.org/:_authToken={fakes.crc32_token('npm')}\n")
    write(repo / "deploy" / "id_ed25519", fakes.pem_private_key("OPENSSH", 400))
    write(repo / ".github" / "workflows" / "release.yml",
          "on:\n  push:\n    tags: ['v*']\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    env:\n"
          f"      AWS_ACCESS_KEY_ID: {fakes.aws_access_key_id()}\n"
          f"      AWS_SECRET_ACCESS_KEY: {fakes.aws_secret_access_key()}\n"
          "    steps:\n      - uses: actions/checkout@v4\n      - run: npm publish\n        env:\n"
          f"          NODE_AUTH_TOKEN: {fakes.crc32_token('npm')}\n")
    write(repo / "infra" / "main.tf", 'resource "aws_db_instance" "orders" {\n  engine   = "postgres"\n'
                                      f'  password = "{fakes.password(20)}"\n}}\n')
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "initial import")
    write(repo / "notify.js", f'const slack = "{fakes.slack_bot_token()}";\n')
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "add slack notifications")
    git(repo, "rm", "-q", "notify.js")
    git(repo, "commit", "-q", "-m", "remove slack notifications")


if __name__ == "__main__":
    raise SystemExit(main())

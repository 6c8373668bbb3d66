"""A small organisation of real repositories, and the list that names them.

Five local repositories (one clean, one whose secret was deleted in a later commit, one with a
secret only on a side branch), a `file://` URL that git clones, and a path that does not exist.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, git

CLEAN_LINES = "def handler(event):\n    return {'status': 200}\n"


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "commit.gpgsign", "false")
    commit_file(path, "README.md", "# service\n", "start")
    return path


def build_org(base: Path) -> dict[str, Path]:
    fakes = Fakes(seed=81)
    repos = {name: make_repo(base / name) for name in ("billing", "clean", "deleted", "branchy", "tokens")}
    commit_file(repos["billing"], "settings.py", f'AWS_ACCESS_KEY_ID = "{fakes.aws_access_key_id()}"\n')
    commit_file(repos["clean"], "app.py", CLEAN_LINES)
    commit_file(repos["deleted"], "deploy.sh", f"export GITHUB_TOKEN={fakes.github_token()}\n", "add token")
    commit_file(repos["deleted"], "deploy.sh", "export GITHUB_TOKEN=$CI_TOKEN\n", "remove token")
    git(repos["branchy"], "checkout", "-q", "-b", "experiment")
    commit_file(repos["branchy"], "conf/slack.env", f"SLACK_BOT_TOKEN={fakes.slack_bot_token()}\n")
    git(repos["branchy"], "checkout", "-q", "main")
    commit_file(repos["tokens"], "a.py", f'KEY = "{fakes.aws_access_key_id()}"\n')
    commit_file(repos["tokens"], "b.py", f'TOKEN = "{fakes.github_token()}"\n')
    return repos


@pytest.fixture(scope="session")
def org(tmp_path_factory) -> Path:
    """The repository list file; entries are relative to it, as a team would keep one."""
    base = tmp_path_factory.mktemp("org")
    repos = build_org(base)
    entries = ["# our services", *repos, "missing-repo   # decommissioned",
               repos["tokens"].as_uri(), (base / "nowhere").as_uri()]
    listing = base / "repos.txt"
    listing.write_text("\n".join(entries) + "\n", encoding="utf-8")
    return listing

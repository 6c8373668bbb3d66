"""Every README shell snippet that can run here runs: each ```sh block, command by command, in a
real repository with fake secrets, through the installed `keystow`. A command may find secrets
(exit 1) but must not fail as usage, configuration or internal error (2, 3) or crash.

Blocks that need what a test may not have are skipped by their first command, each with why."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, git
from tests.workflow.readme import ROOT

BIN = Path(sys.executable).parent
SKIPPED = {
    "make demo": "installs the demo's own venv and runs the whole test suite: minutes, and covered by make's own "
    "targets",
    "pip install .": "installs packages from PyPI into the environment the tests run in",
    "keystow migrate --to ssm": "writes to AWS (the migrate tests run the same commands against a local moto server)",
    "cat > repos.txt <<'LIST'": "clones from example hosts over the network (scan-repos is tested on local "
    "repositories)",
    "pip install '.[dask]'": "starts a Dask cluster on other machines",
}
# Single commands that ask on a terminal (their --yes / --json forms in the same blocks run).
INTERACTIVE = {
    "keystow baseline audit": "asks about each entry on a terminal (tests/workflow drive it with input)",
    "keystow purge --history": "asks for confirmation on a terminal; the --yes forms below it run",
}
# Placeholders a reader replaces; the test does the same.
SUBSTITUTIONS = {"--history [REPO]": "--history"}


def shell_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def _first_command(block: str) -> str:
    return block.strip().splitlines()[0].split("  #")[0].strip()


def test_every_skip_names_a_block_or_command_that_exists():
    firsts = {_first_command(block) for block in shell_blocks()}
    assert set(SKIPPED) <= firsts, set(SKIPPED) - firsts
    commands = {line.split("  #")[0].strip() for block in shell_blocks() for line in block.splitlines()}
    assert set(INTERACTIVE) <= commands, set(INTERACTIVE) - commands


@pytest.fixture(scope="module")
def readme_repo(tmp_path_factory) -> Path:
    """A repository with a remote, a tag, fake secrets in history and in the work tree, and a
    detect-secrets baseline to import."""
    base = tmp_path_factory.mktemp("readme")
    repo = base / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    fakes = Fakes(31)
    commit_file(repo, "app.py", "x = 1\n")
    git(repo, "tag", "v1.4.0")
    commit_file(repo, "config.yml", f"token: {fakes.github_token()}\n")
    (repo / "src").mkdir()
    commit_file(repo, "src/settings.py", f'AWS_KEY = "{fakes.aws_access_key_id()}"\n')
    remote = base / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(remote)], check=True)
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "fetch", "-q", "origin")
    commit_file(repo, "later.py", f'T = "{fakes.github_token()}"\n')
    (repo / "file").write_text("nothing here\n")
    (repo / ".secrets.baseline").write_text(
        '{"version": "1.5.0", "plugins_used": [], "filters_used": [], '
        '"results": {}, "generated_at": "2024-01-01T00:00:00Z"}\n'
    )
    git(repo, "add", "file", ".secrets.baseline")
    git(repo, "commit", "-q", "-m", "more")
    # the report `purge --from-report report.json` reads: another block writes it too, but blocks
    # may run in other worker processes, each with its own copy of this fixture
    subprocess.run(
        [str(BIN / "keystow"), "scan", "--history", "--format", "json", "-o", "report.json"],
        cwd=repo,
        capture_output=True,
        check=False,
    )
    assert (repo / "report.json").is_file()
    # As the README tells it, purge comes after `keystow migrate` has taken the secrets out of the
    # current code (purge refuses a secret still in a branch tip): do that by hand here, so the
    # purge block does not depend on which blocks ran before it in this worker.
    git(repo, "rm", "-q", "config.yml", "later.py", "src/settings.py")
    git(repo, "commit", "-q", "-m", "secrets moved to the store")
    return repo


@pytest.mark.parametrize("index", range(len(shell_blocks())))
def test_readme_shell_block(readme_repo, index):
    block = shell_blocks()[index]
    reason = SKIPPED.get(_first_command(block))
    if reason:
        pytest.skip(reason)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    for line in block.strip().splitlines():
        command = line.split("  #")[0].strip()
        for placeholder, value in SUBSTITUTIONS.items():
            command = command.replace(placeholder, value)
        if command in INTERACTIVE:
            continue
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=readme_repo,
            env=env,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=300,
        )
        assert result.returncode in (0, 1), f"{command!r} exited {result.returncode}: {result.stderr[-600:]}"
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, command

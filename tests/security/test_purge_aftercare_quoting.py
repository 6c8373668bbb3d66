"""Purge aftercare commands are copied into a shell: every ref, remote and path in them is
shell-quoted, so a tag named `v1;touch${IFS}x` is a name, not a second command."""

from __future__ import annotations

import shlex
import subprocess

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow

HOSTILE_TAG = "v1;touch${IFS}pwned"


def _commands(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("git ")]


def test_every_printed_command_is_quoted(repo, tmp_path):
    commit_file(repo, "deploy.sh", f"export GITHUB_TOKEN={Fakes(31).github_token()}\n", "deploy")
    git(repo, "tag", HOSTILE_TAG)
    git(repo, "remote", "add", "up;touch${IFS}remote", str(tmp_path / "nowhere.git"))
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    report = (repo / "keystow-purge-report.md").read_text()
    pushes = [c for c in _commands(report) if c.startswith("git push")]
    assert any(HOSTILE_TAG in c for c in pushes)
    for command in pushes:
        words = shlex.split(command)
        assert ";" not in "".join(w for w in words if "touch" not in w)
        assert any(w.endswith(HOSTILE_TAG) for w in words) or HOSTILE_TAG not in command
    # running the printed command in a shell creates no file (push fails: no such remote)
    tag_push = next(c for c in pushes if HOSTILE_TAG in c)
    subprocess.run(tag_push, shell=True, cwd=repo, capture_output=True)
    assert not (repo / "pwned").exists() and not (repo / "remote").exists()

"""purge ends with filter-repo's checkout, which runs the clean/smudge filters the repository
configures: keystow says so (one line) before it rewrites anything."""

from __future__ import annotations

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow


def _leaky(repo):
    commit_file(repo, "deploy.sh", f"export GITHUB_TOKEN={Fakes(41).github_token()}\n", "deploy")


def _filter_lines(stderr: bytes) -> list[str]:
    return [line for line in stderr.decode().splitlines() if "filter" in line.lower()]


def test_filters_in_gitattributes_and_config_are_announced_before_the_rewrite(repo):
    commit_file(repo, ".gitattributes", "*.txt filter=shout\n", "attributes")
    git(repo, "config", "filter.shout.smudge", "cat")
    git(repo, "config", "filter.shout.clean", "cat")
    _leaky(repo)
    dry = run_keystow("purge", "--history", "--dry-run", cwd=repo)
    assert len(_filter_lines(dry.stderr)) == 1
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    lines = _filter_lines(result.stderr)
    assert len(lines) == 1 and "shout" in lines[0]


def test_filter_only_in_config_is_announced(repo):
    git(repo, "config", "filter.secretive.smudge", "cat")
    _leaky(repo)
    result = run_keystow("purge", "--history", "--dry-run", cwd=repo)
    assert len(_filter_lines(result.stderr)) == 1 and "secretive" in result.stderr.decode()


def test_no_filters_no_warning(repo):
    _leaky(repo)
    result = run_keystow("purge", "--history", "--yes", "--include-head", cwd=repo)
    assert result.returncode == 0
    assert _filter_lines(result.stderr) == []

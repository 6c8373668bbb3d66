"""Reading a repository's state in tests: refs, commits, file contents across history."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import git


def all_commits(repo: Path) -> set[str]:
    return set(git(repo, "rev-list", "--all").split())


def ref_state(repo: Path) -> str:
    return git(repo, "for-each-ref", "--format=%(objectname) %(refname)")


def object_at(repo: Path, commit: str, path: str) -> str | None:
    """The blob or tree id at `commit:path`, or None where the path does not exist."""
    import subprocess

    result = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{commit}:{path}"], cwd=repo,
                            capture_output=True)
    return result.stdout.decode().strip() or None


def grep_all_commits(repo: Path, needle: str) -> str:
    """`git grep -F` over every commit; the matching lines (empty when none)."""
    import subprocess

    commits = sorted(all_commits(repo))
    result = subprocess.run(["git", "grep", "-F", "-e", needle, *commits, "--"], cwd=repo, capture_output=True)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.decode("utf-8", "replace")


def commit_map(repo: Path) -> dict[str, str]:
    lines = (repo / ".git" / "filter-repo" / "commit-map").read_text().splitlines()[1:]
    return dict(line.split() for line in lines)

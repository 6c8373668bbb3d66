"""keystow.git: the one module that runs git, against real temporary repositories."""

from __future__ import annotations

import pytest

from keystow import git
from keystow.errors import GitError
from keystow.git.catfile import MISSING, TOO_LARGE, ReadProblem
from keystow.sources.git_log import iter_introductions
from tests.helpers import commit_file
from tests.helpers import git as run


def blob_id(repo, spec):
    return run(repo, "rev-parse", spec).strip()


def test_cat_file_reads_in_order_and_names_missing_and_oversized(repo):
    commit_file(repo, "small.txt", "small\n")
    commit_file(repo, "big.txt", "x" * 5000)
    small, big = blob_id(repo, "HEAD:small.txt"), blob_id(repo, "HEAD:big.txt")
    missing = "1" * 40
    answers = list(git.CatFile(repo, max_size=1000).read([small, missing, big, small]))
    assert answers == [(small, b"small\n", None), (missing, None, ReadProblem(MISSING)),
                       (big, None, ReadProblem(TOO_LARGE, 5000)), (small, b"small\n", None)]
    assert [a[2].permanent for a in answers if a[2]] == [False, True]


def test_cat_file_takes_a_generator_and_passes_on_its_error(repo):
    commit_file(repo, "a.txt", "a\n")
    a = blob_id(repo, "HEAD:a.txt")

    def ids():
        yield a
        raise GitError("log failed")

    reader = git.CatFile(repo, 1000).read(ids())
    assert next(reader) == (a, b"a\n", None)
    with pytest.raises(GitError, match="log failed"):
        next(reader)


def test_log_attributes_each_blob_and_path_to_its_first_commit(repo):
    first = commit_file(repo, "odd\nname ü.txt", "same\n", "first")
    second = commit_file(repo, "copy.txt", "same\n", "second")
    commit_file(repo, "other.txt", "other\n", "third")
    found = [(path, p.commit) for _, path, p in iter_introductions(repo, ["--all"])]
    assert found[:2] == [("odd\nname ü.txt", first), ("copy.txt", second)]


def test_not_a_repository_and_unknown_revisions(tmp_path, repo):
    with pytest.raises(GitError, match="not a git repository"):
        git.require_repository(tmp_path)
    assert git.resolve_commit(repo, "HEAD") is None  # no commits yet
    with pytest.raises(GitError):
        list(git.stream_git(["log", "no-such-rev", "--"], repo))


def test_env_strips_git_variables_but_can_keep_the_index(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_DIR", "/elsewhere")
    monkeypatch.setenv("GIT_INDEX_FILE", ".git/index.lock")
    assert "GIT_DIR" not in git.git_env() and "GIT_INDEX_FILE" not in git.git_env()
    kept = git.git_env(keep_index=True)
    assert kept["GIT_INDEX_FILE"] == str(tmp_path / ".git" / "index.lock")
    assert "GIT_DIR" not in kept

"""The repository list: paths relative to the list, URLs as git reads them, tokens hidden."""

from __future__ import annotations

from pathlib import Path

import pytest

from keystow.errors import FatalError
from keystow.multirepo.repolist import anonymize_url, is_url, parse_repo_list


def test_entries_comments_duplicates_and_relative_paths(tmp_path):
    text = "# services\n\nbilling\n  ./api  # the API\nbilling\n/srv/git/ops.git\n"
    specs = parse_repo_list(text, tmp_path)
    assert [s.display for s in specs] == ["billing", "./api", "/srv/git/ops.git"]
    assert [s.source for s in specs] == [str(tmp_path / "billing"), str(tmp_path / "api"), "/srv/git/ops.git"]
    assert [s.index for s in specs] == [0, 1, 2] and not any(s.is_url for s in specs)


@pytest.mark.parametrize("entry", ["https://git.example.invalid/org/a.git", "ssh://git@host/org/a",
                                   "git@github.example.invalid:org/a.git", "file:///srv/git/a"])
def test_urls(entry):
    assert is_url(entry)
    assert parse_repo_list(entry, Path("/"))[0].source == entry


@pytest.mark.parametrize("entry", ["/srv/a", "./a:b", "relative/dir", "C:\\repos\\a", "a#b"])
def test_paths(entry):
    assert not is_url(entry)


def test_url_credentials_never_shown():
    assert anonymize_url("https://user:tok3n@host.invalid/org/a.git") == "https://***@host.invalid/org/a.git"
    assert anonymize_url("https://host.invalid/org/a.git") == "https://host.invalid/org/a.git"
    message = "fatal: repository 'https://user:tok3n@host.invalid/org/a.git/' not found"
    assert anonymize_url(message) == "fatal: repository 'https://***@host.invalid/org/a.git/' not found"
    spec = parse_repo_list("https://x-access-token:abc123@host.invalid/o/r.git", Path("/"))[0]
    assert "abc123" not in spec.display and "abc123" in spec.source


def test_an_empty_list_is_an_error(tmp_path):
    with pytest.raises(FatalError, match="names no repositories"):
        parse_repo_list("# nothing\n\n", tmp_path)

"""A blob cache planted in `.git/keystow/` (a tarball, a shared checkout) must not make
`scan --history` report nothing: the cache is bound to this repository and this user."""

from __future__ import annotations

import json
import os
import shutil

from keystow import fs
from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow


def all_blobs(repo) -> list[str]:
    objects = git(repo, "rev-list", "--objects", "--all").split("\n")
    ids = [line.split()[0] for line in objects if line.strip()]
    return [i for i in ids if git(repo, "cat-file", "-t", i).strip() == "blob"]


def forge_all_clean(path, repo, key: bytes | None) -> None:
    """What an attacker ships: every blob marked clean (authenticated with the attacker's own key)."""
    document = {"format": "1", "clean": " ".join(sorted(all_blobs(repo))), "skipped": {}, "hits": {}}
    if key is not None:
        document["mac"] = fs.authenticate(key, json.dumps(document, sort_keys=True, separators=(",", ":")).encode())
    path.write_text(json.dumps(document))


def test_planted_cache_is_ignored_and_the_secret_still_found(repo, tmp_path):
    token = Fakes(91).github_token()
    commit_file(repo, "ci.sh", f"TOKEN={token}\n")
    commit_file(repo, "ci.sh", "TOKEN=$TOKEN\n", message="remove it")
    first = run_keystow("scan", "--history", cwd=repo)
    assert first.returncode == 1, first.stderr.decode()
    [cache] = (repo / ".git" / "keystow").glob("blobs-*.json")

    # The attacker's own copy, scanned with the attacker's own cache dir (own key).
    attacker_repo, attacker_cache = tmp_path / "attacker", tmp_path / "attacker-cache"
    shutil.copytree(repo, attacker_repo, symlinks=True)
    env = {"KEYSTOW_CACHE_DIR": str(attacker_cache)}
    assert run_keystow("scan", "--history", cwd=attacker_repo, env=env).returncode == 1
    [attacker_key_file] = (attacker_cache / "keys").glob("*.key")
    attacker_key = attacker_key_file.read_bytes()
    names = {p.name for p in (attacker_repo / ".git" / "keystow").glob("blobs-*.json")}
    assert names == {cache.name, *names - {cache.name}} and len(names) == 2  # a name of its own: not predictable

    for key in (None, attacker_key):
        forge_all_clean(cache, repo, key)
        result = run_keystow("scan", "--history", "-v", cwd=repo)
        assert result.returncode == 1, result.stderr.decode()
        assert "ignored the history cache" in result.stderr.decode()
        assert "failed verification" in result.stderr.decode()
    quiet = run_keystow("scan", "--history", cwd=repo)
    assert quiet.returncode == 1 and b"ignored the history cache" not in quiet.stderr  # rewritten: valid again


def test_cache_of_a_copied_repository_is_not_trusted(repo, tmp_path):
    """The same user, the same tarball extracted elsewhere: the key is per repository path."""
    commit_file(repo, "ci.sh", f"TOKEN={Fakes(92).github_token()}\n")
    assert run_keystow("scan", "--history", cwd=repo).returncode == 1
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy, symlinks=True)
    [cache] = (copy / ".git" / "keystow").glob("blobs-*.json")
    forge_all_clean(cache, copy, None)
    result = run_keystow("scan", "--history", "-v", cwd=copy)
    assert result.returncode == 1
    assert os.path.exists(cache)  # left alone: not ours, never trusted


def test_cache_directory_linked_out_is_not_written(repo, tmp_path):
    commit_file(repo, "ci.sh", f"TOKEN={Fakes(93).github_token()}\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, repo / ".git" / "keystow")
    assert run_keystow("scan", "--history", cwd=repo).returncode == 1
    assert list(outside.iterdir()) == []

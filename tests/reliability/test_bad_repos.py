"""Hostile or unusual repositories: not a repository, empty, shallow, with submodules, with a
corrupt object, with config that names commands. No traceback, a clear line for what was
skipped, the documented exit code, and everything else scanned."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from tests.helpers import commit_file, git, loose_object
from tests.reliability.kit import found_keys, keystow, leak_line, scan_json


def test_history_outside_a_repository_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "a.py").write_text(leak_line(1))
    for mode in (["--history"], ["--staged"], ["--range", "HEAD~1..HEAD"]):
        result = keystow("scan", *mode, cwd=tmp_path)
        err = result.stderr.decode()
        assert result.returncode == 2 and err.count("\n") == 1 and "not a git repository" in err


@pytest.mark.parametrize("mode", [["--history"], ["--staged"], ["."]])
def test_empty_repository_is_clean(repo, mode):
    code, doc, err = scan_json(*mode, cwd=repo)
    assert code == 0 and doc["findings"] == [] and err == ""


def test_empty_repository_with_a_staged_file(repo):
    (repo / "a.py").write_text(leak_line(2))
    git(repo, "add", "a.py")
    code, doc, _ = scan_json("--staged", cwd=repo)
    assert code == 1 and found_keys(doc) == {("a.py", 1)}
    code, doc, _ = scan_json("--history", cwd=repo)
    assert code == 0 and doc["findings"] == []


@pytest.fixture
def shallow(repo, tmp_path):
    commit_file(repo, "old.py", leak_line(3), "old")
    commit_file(repo, "mid.py", "x = 1\n", "mid")
    commit_file(repo, "new.py", leak_line(4), "new")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    return clone


def test_shallow_clone_history(shallow):
    code, doc, err = scan_json("--history", cwd=shallow)
    assert code == 1
    # The one commit there holds the whole tree: both secrets, attributed to it.
    assert found_keys(doc) == {("old.py", 1), ("new.py", 1)}
    [notice] = err.splitlines()
    assert "shallow clone" in notice and "not scanned" in notice


def test_shallow_clone_range_beyond_the_boundary(shallow):
    code, doc, err = scan_json("--range", "HEAD~2..HEAD", cwd=shallow)
    assert code == 1 and found_keys(doc) == {("old.py", 1), ("new.py", 1)}
    [notice] = err.splitlines()
    assert "shallow clone" in notice and "HEAD~2" in notice


def test_shallow_clone_range_inside(shallow, repo):
    base = git(repo, "rev-parse", "HEAD~1").strip()
    code, doc, err = scan_json("--range", f"{base}..HEAD", cwd=shallow)
    assert code == 1 and ("new.py", 1) in found_keys(doc)
    assert "shallow" in err


@pytest.fixture
def with_submodule(repo, tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    git(sub, "init", "-q", "-b", "main")
    commit_file(sub, "inner.py", leak_line(5), "inner secret")
    commit_file(repo, "outer.py", leak_line(6), "outer")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", f"file://{sub}", "vendor/sub")
    git(repo, "commit", "-qm", "add submodule")
    return repo


@pytest.mark.parametrize("mode", [["."], ["--history"], ["--range", "HEAD~1..HEAD"]])
def test_submodule_content_is_not_scanned_by_default(with_submodule, mode):
    code, doc, err = scan_json(*mode, cwd=with_submodule)
    assert code in (0, 1) and "Traceback" not in err
    assert not any("inner.py" in path for path, _ in found_keys(doc))
    if mode == ["."]:
        assert found_keys(doc) == {("outer.py", 1)}


def test_submodule_is_scanned_with_recurse_submodules(with_submodule):
    code, doc, err = scan_json("--recurse-submodules", ".", cwd=with_submodule)
    assert code == 1 and found_keys(doc) == {("outer.py", 1), ("vendor/sub/inner.py", 1)}
    code, doc, err = scan_json("--recurse-submodules", "vendor", cwd=with_submodule)
    assert code == 1 and found_keys(doc) == {("vendor/sub/inner.py", 1)}


def test_uninitialised_submodule_and_git_modes(with_submodule, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(with_submodule), str(clone))  # submodule not checked out
    code, doc, err = scan_json("--recurse-submodules", ".", cwd=clone)
    assert code == 1 and found_keys(doc) == {("outer.py", 1)}
    result = keystow("scan", "--history", "--recurse-submodules", cwd=with_submodule)
    assert result.returncode == 2 and b"--recurse-submodules applies to path scans" in result.stderr


def test_submodule_staged(with_submodule):
    (with_submodule / "vendor/sub/inner2.py").write_text(leak_line(7))
    code, doc, err = scan_json("--staged", cwd=with_submodule)
    assert code == 0 and doc["findings"] == []


@pytest.fixture
def packed_with_corruption(repo):
    commit_file(repo, "one.py", leak_line(8), "one")
    commit_file(repo, "broken.txt", os.urandom(3000).hex(), "broken")
    commit_file(repo, "two.py", leak_line(9), "two")
    broken = git(repo, "rev-parse", "HEAD:broken.txt").strip()
    git(repo, "gc", "-q")
    [pack] = (repo / ".git/objects/pack").glob("*.pack")
    [idx] = (repo / ".git/objects/pack").glob("*.idx")
    listing = git(repo, "verify-pack", "-v", str(idx))
    [offset] = [int(line.split()[4]) for line in listing.splitlines() if line.startswith(broken)]
    pack.chmod(0o644)
    data = bytearray(pack.read_bytes())
    for index in range(offset + 100, offset + 200):
        data[index] ^= 0xFF
    pack.write_bytes(bytes(data))
    return repo, broken


def test_corrupt_pack_object_is_named_and_the_rest_scanned(packed_with_corruption):
    repo, broken = packed_with_corruption
    code, doc, err = scan_json("--history", cwd=repo)
    assert code == 1 and found_keys(doc) == {("one.py", 1), ("two.py", 1)}
    [line] = [line for line in err.splitlines() if broken in line]
    assert "broken.txt" in line and "corrupt" in line


def test_corrupt_loose_object_is_named_and_the_rest_scanned(repo):
    import zlib

    commit_file(repo, "one.py", leak_line(10), "one")
    commit_file(repo, "broken.txt", "soon broken\n", "broken")
    commit_file(repo, "two.py", leak_line(11), "two")
    broken = git(repo, "rev-parse", "HEAD:broken.txt").strip()
    loose = loose_object(repo, broken)
    loose.chmod(0o644)
    loose.write_bytes(zlib.compress(b"blob 100\0short"))
    code, doc, err = scan_json("--history", cwd=repo)
    assert code == 1 and found_keys(doc) == {("one.py", 1), ("two.py", 1)}
    assert broken in err


# --- a repository whose config and hooks name a command -------------------------------------

HOOKS = ("applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit",
         "prepare-commit-msg", "commit-msg", "post-commit", "pre-rebase", "post-checkout", "post-merge",
         "pre-push", "pre-receive", "update", "proc-receive", "post-receive", "post-update",
         "reference-transaction", "push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate",
         "fsmonitor-watchman", "p4-changelist", "p4-prepare-changelist", "p4-post-changelist",
         "p4-pre-submit", "post-index-change")
COMMAND_KEYS = ("core.fsmonitor", "core.pager", "core.editor", "core.askPass", "core.sshCommand",
                "diff.external", "diff.evil.textconv", "diff.evil.command", "filter.evil.clean",
                "filter.evil.smudge", "filter.evil.process", "gpg.program", "gpg.ssh.program",
                "pager.log", "pager.diff", "pager.cat-file", "pager.ls-files", "sequence.editor",
                "core.alternateRefsCommand", "uploadpack.packObjectsHook", "credential.helper")


def plant(repo, marker):
    script = f"#!/bin/sh\ntouch '{marker}'\nexit 0\n"
    for hooks_dir in (repo / ".git/hooks", repo / "evil-hooks"):
        hooks_dir.mkdir(exist_ok=True)
        for name in HOOKS:
            path = hooks_dir / name
            path.write_text(script)
            path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    for key in COMMAND_KEYS:
        git(repo, "config", key, f"!touch '{marker}'" if key.startswith("pager.") else f"touch '{marker}'; false")
    git(repo, "config", "core.hooksPath", str(repo / "evil-hooks"))
    git(repo, "config", "log.showSignature", "true")
    git(repo, "config", "core.untrackedCache", "true")
    git(repo, "config", "core.fsmonitorHookVersion", "2")
    git(repo, "config", "filter.evil.required", "true")
    (repo / ".gitattributes").write_text("* filter=evil diff=evil\n")


@pytest.fixture
def hostile(repo, tmp_path):
    marker = tmp_path / "MARKER"
    commit_file(repo, "one.py", "x = 1\n", "one")
    commit_file(repo, "app.py", leak_line(12), "two")
    (repo / "staged.py").write_text(leak_line(13))
    git(repo, "add", "staged.py")
    plant(repo, marker)
    (repo / "app.py").write_text("changed in the work tree\n" + leak_line(14))
    (repo / "untracked.py").write_text(leak_line(15))
    assert not marker.exists()
    return repo, marker


@pytest.mark.parametrize("mode", [["."], ["--staged"], ["--history"], ["--range", "HEAD~1..HEAD"],
                                  ["--since", "HEAD~1"], ["-v", "--format", "sarif", "."]])
def test_commands_named_by_the_repository_never_run(hostile, mode):
    repo, marker = hostile
    result = keystow("scan", *mode, cwd=repo, env={"GIT_PAGER": "", "PAGER": f"touch '{marker}'"})
    assert result.returncode == 1, result.stderr.decode()
    assert not marker.exists(), f"keystow scan {mode} ran a command the repository configured"


def test_the_planted_commands_are_live(hostile):
    """Control: plain git, without keystow's hardening, does run them."""
    repo, marker = hostile
    subprocess.run(["git", "status"], cwd=repo, capture_output=True)
    assert marker.exists()

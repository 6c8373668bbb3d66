"""`keystow scan --staged`: the index, not the work tree; only lines added or changed vs HEAD."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from tests.helpers import commit_file, git, report_fingerprint_in, run_keystow
from tests.sources.gitcase import fakes, scan_json


def stage(repo, relative, text):
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(repo, "add", "--", relative)


def test_unstaged_content_and_pre_existing_lines_are_ignored(repo):
    f = fakes(11)
    old_key, new_key, unstaged_key = f.aws_access_key_id(), f.aws_access_key_id(), f.aws_access_key_id()
    commit_file(repo, "settings.py", f"OLD = '{old_key}'\n", "old secret already committed")
    stage(repo, "settings.py", f"OLD = '{old_key}'\nDEBUG = True\n")
    (repo / "settings.py").write_text(f"OLD = '{old_key}'\nDEBUG = True\nNEW = '{unstaged_key}'\n")
    code, document = scan_json(repo, "--staged")
    assert code == 0, document["findings"]

    stage(repo, "settings.py", f"OLD = '{old_key}'\nDEBUG = True\nNEW = '{new_key}'\n")
    (repo / "settings.py").write_text("nothing here any more\n")
    code, document = scan_json(repo, "--staged")
    assert code == 1
    [finding] = document["findings"]
    assert finding["fingerprint"] == report_fingerprint_in(repo, "aws-access-key-id", new_key)
    assert (finding["path"], finding["line"]) == ("settings.py", 3)


def test_repository_without_commits(repo):
    stage(repo, "first.env", f"KEY={fakes(12).aws_access_key_id()}\n")
    code, document = scan_json(repo, "--staged")
    assert code == 1 and document["findings"][0]["path"] == "first.env"


def test_renames_deletions_and_unusual_paths(repo):
    f = fakes(13)
    old_key = f.aws_access_key_id()
    commit_file(repo, "old.env", f"KEY={old_key}\n", "old")
    commit_file(repo, "gone.txt", "bye\n", "gone")
    git(repo, "mv", "old.env", "renamed.env")
    git(repo, "rm", "-q", "gone.txt")
    names = ["with space.env", "ünïcode.env", "new\nline.env", 'quote"tab\t.env']
    keys = {name: f.aws_access_key_id() for name in names}
    for name, key in keys.items():
        stage(repo, name, f"# {name!r}\nKEY={key}\n")
    code, document = scan_json(repo, "--staged")
    assert code == 1
    found = {(d["path"], d["line"]) for d in document["findings"]}
    assert found == {(name, 2) for name in names}


def test_merge_in_progress_reports_lines_new_to_head(repo):
    key = fakes(14).aws_access_key_id()
    commit_file(repo, "app.py", "a = 1\n", "start")
    git(repo, "switch", "-q", "-c", "side")
    commit_file(repo, "side.py", f"KEY = '{key}'\n", "side")
    git(repo, "switch", "-q", "main")
    commit_file(repo, "main.py", "b = 2\n", "main")
    git(repo, "merge", "-q", "--no-commit", "--no-ff", "side")
    code, document = scan_json(repo, "--staged")
    assert code == 1 and document["findings"][0]["path"] == "side.py"


def test_commit_all_through_a_real_hook_reads_the_temporary_index(repo):
    key = fakes(15).aws_access_key_id()
    commit_file(repo, "app.py", "a = 1\n", "start")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\nexec '{sys.executable}' -m keystow scan --staged\n")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    (repo / "app.py").write_text(f"a = 1\nKEY = '{key}'\n")  # modified, not staged
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    blocked = subprocess.run(["git", "commit", "-a", "-q", "-m", "sneaky"], cwd=repo, capture_output=True, env=env)
    assert blocked.returncode != 0, blocked.stdout.decode() + blocked.stderr.decode()
    assert "aws-access-key-id" in blocked.stdout.decode() + blocked.stderr.decode()
    (repo / "app.py").write_text("a = 2\n")
    clean = subprocess.run(["git", "commit", "-a", "-q", "-m", "fine"], cwd=repo, capture_output=True, env=env)
    assert clean.returncode == 0, clean.stdout.decode() + clean.stderr.decode()


def test_nothing_staged_is_clean(repo):
    commit_file(repo, "a.py", "x = 1\n", "a")
    result = run_keystow("scan", "--staged", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()


def test_utf16_file_that_git_calls_binary_is_still_checked(repo):
    key = fakes(16).aws_access_key_id()
    path = repo / "settings.ini"
    path.write_bytes(f"[aws]\r\nkey = {key}\r\n".encode("utf-16"))
    git(repo, "add", "settings.ini")
    code, document = scan_json(repo, "--staged")
    assert code == 1 and document["findings"][0]["line"] == 2

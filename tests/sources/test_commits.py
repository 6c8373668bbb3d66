"""`--range`, `--since` and `--pre-push`: only blobs introduced by the commits in question."""

from __future__ import annotations

from tests.helpers import commit_file, git, report_fingerprint_in, run_keystow
from tests.sources.gitcase import fakes, scan_json

ZERO = "0" * 40


def build(repo):
    """main: base (old secret) → c1 (new secret) → c2 (clean); returns (base, c1, c2, old, new)."""
    f = fakes(21)
    old, new = f.aws_access_key_id(), f.aws_access_key_id()
    base = commit_file(repo, "old.env", f"KEY={old}\n", "base")
    c1 = commit_file(repo, "new.env", f"KEY={new}\n", "c1")
    c2 = commit_file(repo, "app.py", "print(1)\n", "c2")
    return base, c1, c2, old, new


def fp(repo, key):
    return report_fingerprint_in(repo, "aws-access-key-id", key)


def test_range_reports_only_commits_in_range(repo):
    base, c1, c2, old, new = build(repo)
    code, document = scan_json(repo, "--range", f"{base}..{c2}")
    assert code == 1
    assert {f["fingerprint"] for f in document["findings"]} == {fp(repo, new)}
    assert document["findings"][0]["commit"] == c1
    code, document = scan_json(repo, "--since", c1, "--no-cache")
    assert code == 0 and document["summary"]["scanned_blobs"] == 1


def test_base_equal_to_head_is_nothing_to_do(repo):
    *_, c2, _, _ = build(repo)
    result = run_keystow("scan", "--range", f"{c2}..{c2}", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()


def test_root_commit_range_names_the_missing_base(repo):
    key = fakes(22).aws_access_key_id()
    commit_file(repo, "only.env", f"KEY={key}\n", "root")
    result = run_keystow("scan", "--range", "HEAD~1..HEAD", cwd=repo)
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert "HEAD~1" in stderr and "Traceback" not in stderr


def test_base_that_is_not_an_ancestor_uses_the_merge_base(repo):
    base, c1, c2, old, new = build(repo)
    git(repo, "switch", "-q", "-c", "topic", base)
    topic_key = fakes(23).aws_access_key_id()
    topic = commit_file(repo, "topic.env", f"KEY={topic_key}\n", "topic")
    _, document = scan_json(repo, "--range", f"{c2}..{topic}")
    assert {f["fingerprint"] for f in document["findings"]} == {fp(repo, topic_key)}


def test_shallow_clone_scans_what_is_there_and_says_so(repo, tmp_path):
    base, c1, c2, old, new = build(repo)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    result = run_keystow("scan", "--range", f"{base}..HEAD", "--format", "json", cwd=clone)
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    [notice] = [line for line in stderr.splitlines() if "shallow" in line]
    assert base in notice


def test_pre_push_scans_commits_the_remote_lacks(repo, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    base, c1, c2, old, new = build(repo)
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "origin", f"{base}:refs/heads/main")
    git(repo, "fetch", "-q", "origin")
    lines = f"refs/heads/main {c2} refs/heads/main {base}\n".encode()
    code, document = scan_json(repo, "--pre-push", input=lines)
    assert {f["fingerprint"] for f in document["findings"]} == {fp(repo, new)}

    new_branch = f"refs/heads/topic {c2} refs/heads/topic {ZERO}\n".encode()
    _, document = scan_json(repo, "--pre-push", input=new_branch)
    assert {f["fingerprint"] for f in document["findings"]} == {fp(repo, new)}  # base is on origin

    deletion = f"(delete) {ZERO} refs/heads/old {c2}\n".encode()
    assert run_keystow("scan", "--pre-push", cwd=repo, input=deletion).returncode == 0
    assert run_keystow("scan", "--pre-push", cwd=repo, input=b"").returncode == 0


def test_pre_push_with_a_remote_counts_only_that_remotes_branches(repo, tmp_path):
    base, c1, c2, old, new = build(repo)
    for name in ("origin", "mirror"):
        git(tmp_path, "init", "-q", "--bare", str(tmp_path / f"{name}.git"))
        git(repo, "remote", "add", name, str(tmp_path / f"{name}.git"))
    git(repo, "push", "-q", "origin", f"{c2}:refs/heads/main")  # origin has everything
    git(repo, "fetch", "-q", "origin")
    new_branch = f"refs/heads/main {c2} refs/heads/main {ZERO}\n".encode()
    _, to_origin = scan_json(repo, "--pre-push", "--remote", "origin", input=new_branch)
    _, to_mirror = scan_json(repo, "--pre-push", "--remote", "mirror", input=new_branch)
    _, to_url = scan_json(repo, "--pre-push", "--remote", str(tmp_path / "mirror.git"), input=new_branch)
    assert to_origin["findings"] == []
    assert {f["fingerprint"] for f in to_mirror["findings"]} == {fp(repo, old), fp(repo, new)}
    assert to_url["findings"] == to_mirror["findings"]
    result = run_keystow("scan", "--remote", "origin", cwd=repo)
    assert result.returncode == 2 and b"--remote applies to --pre-push" in result.stderr


def test_bad_range_is_a_usage_error(repo):
    build(repo)
    result = run_keystow("scan", "--range", "nonsense", cwd=repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr.decode()
    result = run_keystow("scan", "--range", "HEAD..no-such-branch", cwd=repo)
    assert result.returncode == 2 and "Traceback" not in result.stderr.decode()


def test_real_pre_push_hook_blocks_a_new_secret(repo, tmp_path):
    import os
    import stat
    import subprocess
    import sys

    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    commit_file(repo, "app.py", "print(1)\n", "clean")
    hook = repo / ".git" / "hooks" / "pre-push"
    hook.write_text(f"#!/bin/sh\nexec '{sys.executable}' -m keystow scan --pre-push\n")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    def push():
        return subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo, capture_output=True, env=env)

    assert push().returncode == 0
    commit_file(repo, "leak.env", f"KEY={fakes(24).aws_access_key_id()}\n", "leak")
    blocked = push()
    assert blocked.returncode != 0 and b"aws-access-key-id" in blocked.stdout + blocked.stderr

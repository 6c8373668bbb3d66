"""`keystow scan --history`: every unique blob once, attributed to the commit that introduced it."""

from __future__ import annotations

import base64
import json
import os
import random
import stat
import string

from tests.helpers import commit_file, git, loose_object, report_fingerprint_in, run_keystow
from tests.sources.gitcase import fakes, scan_json


def test_secret_added_then_deleted_is_found_in_history_only(repo):
    key = fakes(1).aws_access_key_id()
    commit_file(repo, "README.md", "hello\n", "start")
    adding = commit_file(repo, "config/app settings.env", f"# app\nregion=eu\nKEY={key}\n", "add config")
    git(repo, "rm", "-q", "config/app settings.env")
    git(repo, "commit", "-q", "-m", "remove config")

    plain = run_keystow("scan", ".", cwd=repo)
    assert plain.returncode == 0, plain.stdout.decode()

    code, document = scan_json(repo, "--history")
    assert code == 1
    [finding] = document["findings"]
    assert finding["rule_id"] == "aws-access-key-id"
    assert finding["fingerprint"] == report_fingerprint_in(repo, "aws-access-key-id", key)
    assert (finding["path"], finding["line"], finding["commit"]) == ("config/app settings.env", 3, adding)
    assert finding["author_name"] == "Test Author"
    assert finding["author_email"] == "author@example.invalid"
    assert finding["date"].startswith("2024-01-02T03:04:05")
    assert key not in run_keystow("scan", "--history", cwd=repo).stdout.decode()


def test_same_secret_in_five_files_is_one_finding_with_five_locations(repo):
    token = fakes(2).github_token()
    for index in range(5):
        (repo / f"service{index}.py").write_text(f"# service {index}\nTOKEN = '{token}'\n" + "x = 1\n" * index)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "services")
    _, document = scan_json(repo, "--history")
    [finding] = document["findings"]
    assert sorted(loc["path"] for loc in finding["locations"]) == [f"service{i}.py" for i in range(5)]
    assert all(loc["line"] == 2 for loc in finding["locations"])


def test_secret_on_unmerged_branch_in_tag_and_in_stashes_is_found(repo):
    f = fakes(3)
    branch_key, tag_key, stash_key, old_stash_key = (f.aws_access_key_id() for _ in range(4))
    commit_file(repo, "app.py", "print('hi')\n", "start")
    git(repo, "switch", "-q", "-c", "feature")
    commit_file(repo, "feature.py", f"KEY = '{branch_key}'\n", "feature work")
    git(repo, "switch", "-q", "main")
    git(repo, "switch", "-q", "-c", "release")
    commit_file(repo, "release.py", f"KEY = '{tag_key}'\n", "release")
    git(repo, "tag", "v1")
    git(repo, "switch", "-q", "main")
    git(repo, "branch", "-q", "-D", "release")
    for key in (old_stash_key, stash_key):
        (repo / "app.py").write_text(f"KEY = '{key}'\n")
        git(repo, "stash", "-q")
    code, document = scan_json(repo, "--history")
    expected = {
        report_fingerprint_in(repo, "aws-access-key-id", k) for k in (branch_key, tag_key, stash_key, old_stash_key)
    }
    assert {f["fingerprint"] for f in document["findings"]} == expected


def test_second_run_scans_nothing_and_reports_the_same(repo):
    f = fakes(4)
    commit_file(repo, "a.py", f"A = '{f.aws_access_key_id()}'\n", "a")
    commit_file(repo, "b.py", f"B = '{f.github_token()}'\n", "b")
    commit_file(repo, "c.py", "print(1)\n", "c")
    _, first = scan_json(repo, "--history")
    assert first["summary"]["scanned_blobs"] == 3
    _, second = scan_json(repo, "--history")
    assert second["summary"]["scanned_blobs"] == 0
    assert second["findings"] == first["findings"]

    commit_file(repo, "d.py", "print(2)\n", "d")
    _, third = scan_json(repo, "--history")
    assert third["summary"]["scanned_blobs"] == 1
    _, uncached = scan_json(repo, "--history", "--no-cache")
    assert uncached["summary"]["scanned_blobs"] == 4


def test_cache_holds_no_secret_is_owner_only_and_show_secrets_rereads(repo):
    key = fakes(5).aws_access_key_id()
    commit_file(repo, "k.env", f"KEY={key}\n", "k")
    scan_json(repo, "--history")
    cache_dir = repo / ".git" / "keystow"
    [cache_file] = cache_dir.iterdir()
    assert key not in cache_file.read_text()
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(cache_file).st_mode) == 0o600
    _, shown = scan_json(repo, "--history", "--show-secrets")
    assert shown["findings"][0]["secret"] == key
    assert shown["summary"]["scanned_blobs"] == 1  # the cached hit was re-read for its value


def test_binary_oversized_and_allowed_paths_are_skipped(repo):
    f = fakes(6)
    (repo / ".keystow.toml").write_text('allow_paths = ["fixtures/**"]\nmax_file_size = "1KiB"\n')
    (repo / "fixtures").mkdir()
    (repo / "fixtures" / "k.txt").write_text(f"KEY={f.aws_access_key_id()}\n")
    (repo / "image.png").write_bytes(b"\x89PNG\0\0" + f.aws_access_key_id().encode())
    (repo / "big.txt").write_text(f"KEY={f.aws_access_key_id()}\n" + "x" * 2000)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "files")
    code, document = scan_json(repo, "--history")
    assert code == 0, document["findings"]
    assert document["summary"]["skipped"] == {"binary": 1, "too-large": 1}


def test_secret_introduced_by_a_merge_is_attributed_to_the_merge(repo):
    key = fakes(7).aws_access_key_id()
    commit_file(repo, "app.py", "a = 1\n", "start")
    git(repo, "switch", "-q", "-c", "side")
    commit_file(repo, "side.py", "b = 2\n", "side")
    git(repo, "switch", "-q", "main")
    commit_file(repo, "main.py", "c = 3\n", "main")
    git(repo, "merge", "-q", "--no-commit", "side")
    (repo / "app.py").write_text(f"a = 1\nKEY = '{key}'\n")
    git(repo, "add", "app.py")
    git(repo, "commit", "-q", "-m", "evil merge")
    merge = git(repo, "rev-parse", "HEAD").strip()
    _, document = scan_json(repo, "--history")
    [finding] = document["findings"]
    assert (finding["path"], finding["commit"]) == ("app.py", merge)


def test_parallel_jobs_give_the_same_findings(repo):
    f = fakes(8)
    for index in range(6):
        commit_file(repo, f"m{index}.py", f"K = '{f.aws_access_key_id()}'\n", f"c{index}")
    _, serial = scan_json(repo, "--history", "--no-cache", "--jobs", "1")
    _, parallel = scan_json(repo, "--history", "--no-cache", "--jobs", "2")
    assert parallel["findings"] == serial["findings"]
    assert parallel["summary"] == serial["summary"]


def test_missing_object_is_named_and_the_rest_is_scanned(repo):
    key = fakes(9).aws_access_key_id()
    commit_file(repo, "ok.py", f"K = '{key}'\n", "ok")
    commit_file(repo, "lost.txt", "this blob will go missing\n", "lost")
    lost = git(repo, "rev-parse", "HEAD:lost.txt").strip()
    os.remove(loose_object(repo, lost))
    result = run_keystow("scan", "--history", "--format", "json", cwd=repo)
    assert result.returncode == 1
    assert lost in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_not_a_repository_is_one_line_and_exit_2(tmp_path):
    result = run_keystow("scan", "--history", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().strip().count("\n") == 0
    assert "not a git repository" in result.stderr.decode()


def test_empty_repository_is_clean(repo):
    result = run_keystow("scan", "--history", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()


def test_corrupt_object_stops_git_yet_later_blobs_are_scanned(repo):
    import zlib

    commit_file(repo, "first.txt", "first\n", "1")
    commit_file(repo, "broken.txt", "this blob will be truncated\n", "2")
    commit_file(repo, "later.env", f"KEY={fakes(10).aws_access_key_id()}\n", "3")
    broken = git(repo, "rev-parse", "HEAD:broken.txt").strip()
    path = loose_object(repo, broken)
    path.chmod(0o644)
    path.write_bytes(zlib.compress(b"blob 100\0short"))  # git dies part-way through this object
    result = run_keystow("scan", "--history", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stderr.decode()
    assert broken in result.stderr.decode() and "Traceback" not in result.stderr.decode()
    assert json.loads(result.stdout)["findings"][0]["path"] == "later.env"


def test_default_jobs_scan_the_first_blobs_here_then_in_workers(repo, monkeypatch):
    from keystow.config import Config
    from keystow.pipeline import history
    from keystow.pipeline.scanning import build_scanner

    f = fakes(11)
    keys = [f.aws_access_key_id() for _ in range(5)]
    for index, key in enumerate(keys):
        commit_file(repo, f"k{index}.py", f"K = '{key}'\n", f"c{index}")
    monkeypatch.setattr(history, "PARALLEL_AFTER", 2)
    monkeypatch.setattr(history, "_default_workers", lambda: 2)
    result = history.scan_history(repo, build_scanner(Config()), Config(), use_cache=False, need_secrets=True)
    assert result.scanned_blobs == 5
    assert sorted(f.secret for f in result.findings if f.rule_id == "aws-access-key-id") == sorted(keys)


def test_missing_tree_stops_the_walk_with_a_notice_not_a_crash(repo):
    key = fakes(12).aws_access_key_id()
    commit_file(repo, "early/k.env", f"KEY={key}\n", "1")
    commit_file(repo, "later/x.txt", "x\n", "2")
    tree = git(repo, "rev-parse", "HEAD:later").strip()
    os.remove(loose_object(repo, tree))
    result = run_keystow("scan", "--history", "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stderr.decode()
    assert tree in result.stderr.decode() and "incomplete" in result.stderr.decode()
    assert json.loads(result.stdout)["findings"][0]["path"] == "early/k.env"


def test_trees_and_blobs_tagged_without_a_commit_are_scanned(repo):
    commit_file(repo, "README.md", "hello\n", "start")
    tree_key, blob_token = fakes(21).aws_access_key_id(), fakes(22).github_token()
    (repo / "keys").mkdir()
    (repo / "keys" / "deploy.env").write_text(f"KEY={tree_key}\n")
    git(repo, "add", "keys/deploy.env")
    tree = git(repo, "write-tree").strip()
    git(repo, "tag", "-a", "-m", "keys snapshot", "keys-tree", tree)  # an annotated tag on a tree
    git(repo, "reset", "-q", "--hard")
    blob = git(repo, "hash-object", "-w", "--stdin", input=f"TOKEN='{blob_token}'\n".encode()).strip()
    git(repo, "tag", "signing-blob", blob)  # a lightweight tag on a lone blob
    assert git(repo, "log", "--all", "--format=%H").count("\n") == 1  # no commit holds either

    code, document = scan_json(repo, "--history")
    found = {f["rule_id"]: f for f in document["findings"]}
    assert code == 1 and set(found) == {"aws-access-key-id", "github-classic-pat"}
    tagged_tree = found["aws-access-key-id"]
    assert (tagged_tree["path"], tagged_tree["line"]) == ("keys/deploy.env", 1)
    assert tagged_tree["commit"] == git(repo, "rev-parse", "keys-tree").strip()  # the tag object
    assert tagged_tree["author_name"] == "Test Committer"  # the tagger
    assert found["github-classic-pat"]["path"] == "refs/tags/signing-blob"


def test_a_tag_on_a_commits_own_tree_adds_no_location(repo):
    key = fakes(23).aws_access_key_id()
    commit_file(repo, "app.env", f"KEY={key}\n", "add")
    git(repo, "tag", "tree-of-head", git(repo, "rev-parse", "HEAD^{tree}").strip())
    _, document = scan_json(repo, "--history")
    [finding] = document["findings"]
    assert [location["path"] for location in finding["locations"]] == ["app.env"]


def _random_password(seed: int) -> str:
    chosen = random.Random(seed)
    return "".join(chosen.choice(string.ascii_letters + string.digits) for _ in range(22))


def test_history_reads_a_deleted_file_by_its_path_as_the_tree_scan_does(repo):
    """What is read by path in the working tree (a Terraform state's structure, a Kubernetes
    Secret's base64 values, a rule scoped to `.pypirc`) is read so in history: a secret that only
    history still holds is found the same way and named the same (the state value by its place in
    the document), in serial and in parallel scans."""
    state_password, manifest_password, pypirc_password = (_random_password(seed) for seed in (1, 2, 3))
    files = {
        "infra/prod.tfstate": json.dumps({"version": 4, "terraform_version": "1.6.2", "resources": [
            {"mode": "managed", "type": "random_password", "name": "db",
             "instances": [{"attributes": {"result": state_password, "length": 22}}]}]}, indent=2),
        "deploy/db-secret.yaml": ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  db-password: "
                                  + base64.b64encode(manifest_password.encode()).decode() + "\ntype: Opaque\n"),
        "home/.pypirc": f"[pypi]\nusername = publisher\npassword = {pypirc_password}\n",
    }
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "add deployment files")
    tree = run_keystow("scan", ".", "--format", "json", "--show-secrets", cwd=repo)
    git(repo, "rm", "-q", "-r", "infra", "deploy", "home")
    git(repo, "commit", "-q", "-m", "remove them")

    expected = {(finding["path"], finding["rule_id"], finding["rule_name"], finding["secret"])
                for finding in json.loads(tree.stdout)["findings"]}
    assert {secret for *_, secret in expected} == {state_password, manifest_password, pypirc_password}
    for jobs in ("1", "2"):
        scan = run_keystow("scan", "--history", "--no-cache", "--jobs", jobs, "--format", "json", "--show-secrets",
                           cwd=repo)
        assert scan.returncode == 1, scan.stderr.decode()
        found = {(finding["path"], finding["rule_id"], finding["rule_name"], finding["secret"])
                 for finding in json.loads(scan.stdout)["findings"]}
        assert found == expected

"""`scan --range` and `--pre-push` gate changes nobody has reviewed: the changes cannot configure
their own gate. Config, baseline and allow comments come from the BASE revision; a change to the
config or baseline is a finding of its own; skipped files are reported and fail the gate."""

from __future__ import annotations

import json

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow

FAKES = Fakes(2024)
TOKEN = FAKES.github_token()
BIG_TOKEN = FAKES.github_token()
WILDCARD_BASELINE = json.dumps({"version": 1, "salt": "00", "entries": [
    {"kind": "location", "rule_id": "*", "path": "app.py", "line": 1}]})

ATTACKS = {
    "max-file-size": (".keystow.toml", "max_file_size = 1\n"),
    "allow-paths": (".keystow.toml", 'allow_paths = ["**"]\n'),
    "stopwords": (".keystow.toml", f'stopwords = ["{TOKEN[4:10].lower()}"]\n'),
    "allow-regexes": (".keystow.toml", 'allow_regexes = [".*"]\n'),
    "pyproject": ("pyproject.toml", '[project]\nname = "x"\n[tool.keystow]\nallow_paths = ["app.py"]\n'),
    "baseline-wildcard": (".keystow-baseline.json", WILDCARD_BASELINE),
}


def scan_range(repo, base: str, *args: str):
    result = run_keystow("scan", "--range", f"{base}..HEAD", "--format", "json", "--no-cache", *args, cwd=repo)
    return result.returncode, json.loads(result.stdout) if result.stdout else {}, result.stderr.decode()


def rule_ids(document: dict) -> list[str]:
    return sorted(f["rule_id"] for f in document["findings"])


@pytest.fixture
def based(repo):
    base = commit_file(repo, "README.md", "hello\n", "base")
    return repo, base


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_pull_request_cannot_configure_its_own_gate(based, attack):
    repo, base = based
    name, text = ATTACKS[attack]
    commit_file(repo, name, text, "configure the gate")
    commit_file(repo, "app.py", f'TOKEN = "{TOKEN}"\n', "add a token")
    code, document, stderr = scan_range(repo, base)
    assert code == 1, stderr
    ids = rule_ids(document)
    assert "keystow-config-changed" in ids and len(ids) == 2, ids
    changed = next(f for f in document["findings"] if f["rule_id"] == "keystow-config-changed")
    assert changed["path"] == name and changed["severity"] == "high"
    # a trusted pipeline can opt back into the head's configuration: the change takes effect
    trusted_code, trusted, _ = scan_range(repo, base, "--trust-head-config")
    assert trusted_code == 0 and trusted["findings"] == []


def test_allow_comment_added_in_the_range_does_not_suppress(based):
    repo, base = based
    commit_file(repo, "app.py", f'TOKEN = "{TOKEN}"  # keystow:allow\n', "allow it myself")
    code, document, _ = scan_range(repo, base)
    assert code == 1 and len(document["findings"]) == 1
    commit_file(repo, "b.py", f'# keystow:allow-next-line\nB = "{FAKES.github_token()}"\n', "next-line too")
    assert len(scan_range(repo, base)[1]["findings"]) == 2


def test_allow_comment_and_baseline_present_at_base_still_apply(repo):
    commit_file(repo, "app.py", f'TOKEN = "{TOKEN}"  # keystow:allow\n', "accepted before")
    commit_file(repo, "conf.py", f'OTHER = "{BIG_TOKEN}"\n', "baselined before")
    commit_file(repo, ".keystow-baseline.json", json.dumps({"version": 1, "salt": "00", "entries": [
        {"kind": "location", "rule_id": "*", "path": "conf.py", "line": 1}]}), "baseline")
    base = git(repo, "rev-parse", "HEAD").strip()
    commit_file(repo, "app.py", f'TOKEN = "{TOKEN}"  # keystow:allow\nX = 1\n', "unrelated change")
    commit_file(repo, "conf.py", f'OTHER = "{BIG_TOKEN}"\nY = 2\n', "unrelated change")
    code, document, stderr = scan_range(repo, base)
    assert (code, document["findings"]) == (0, []), stderr


def test_skipped_changed_files_are_reported_and_fail_the_gate(repo):
    commit_file(repo, ".keystow.toml", "max_file_size = 200\n", "trusted limit")
    base = git(repo, "rev-parse", "HEAD").strip()
    commit_file(repo, "big.txt", "x = 1\n" * 50 + f'T = "{BIG_TOKEN}"\n', "too big to scan")
    commit_file(repo, "logo.bin", b"\0\1\2" + TOKEN.encode(), "binary")
    code, document, stderr = scan_range(repo, base)
    assert code == 1 and document["findings"] == []
    assert sorted(s["path"] for s in document["skipped"]) == ["big.txt", "logo.bin"]
    assert "big.txt" in stderr
    text = run_keystow("scan", "--range", f"{base}..HEAD", "--no-cache", cwd=repo)
    assert "skipped big.txt" in text.stdout.decode() and text.returncode == 1
    sarif = json.loads(run_keystow("scan", "--range", f"{base}..HEAD", "--format", "sarif", cwd=repo).stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert sorted(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes) == [
        "big.txt",
        "logo.bin",
    ]
    assert scan_range(repo, base, "--allow-skipped")[0] == 0


def test_pre_push_reads_the_config_of_what_the_remote_has(repo, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    commit_file(repo, "README.md", "hello\n", "base")
    git(repo, "push", "-q", "origin", "main")
    old = git(repo, "rev-parse", "HEAD").strip()
    commit_file(repo, ".keystow.toml", 'allow_paths = ["**"]\n', "configure the gate")
    new = commit_file(repo, "app.py", f'TOKEN = "{TOKEN}"\n', "add a token")
    lines = f"refs/heads/main {new} refs/heads/main {old}\n".encode()
    result = run_keystow(
        "scan", "--pre-push", "--remote", "origin", "--format", "json", "--no-cache", cwd=repo, input=lines
    )
    assert result.returncode == 1, result.stderr
    assert rule_ids(json.loads(result.stdout)) == ["github-classic-pat", "keystow-config-changed"]

"""Concurrent runs in one repository (parallel worktrees, editors, hooks): 10 `scan --staged`
sharing a cold user cache, 5 `scan --history` sharing a cold `.git/keystow` cache. No crash, the
same findings from each, caches that parse afterwards and serve a later run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.helpers import git
from tests.reliability.kit import leak_line, warm_cache_copy


def run_together(count: int, args: list[str], cwd, env: dict) -> list[subprocess.CompletedProcess]:
    command = [sys.executable, "-m", "keystow", "scan", "--format", "json", *args]
    processes = [subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(count)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


def findings(result) -> list[tuple]:
    assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr.decode()
    return sorted((f["rule_id"], f["fingerprint"], f["path"], f["line"]) for f in json.loads(result.stdout)["findings"])


def test_concurrent_staged_scans_share_the_user_cache(repo, tmp_path):
    for index in range(40):
        (repo / f"m{index}.py").write_text(f"value = {index}\n" + (leak_line(index) if index % 10 == 0 else ""))
    git(repo, "add", ".")
    cold = tmp_path / "cold-cache"
    # Three runs race to compile and store the rules into an empty cache ...
    results = run_together(3, ["--staged"], repo, {"KEYSTOW_CACHE_DIR": str(cold)})
    assert not [p for p in cold.iterdir() if p.name.startswith(".tmp")]
    # ... then ten hook-like runs share it, all racing to re-store the rules pickle.
    cache = warm_cache_copy(tmp_path / "cache")
    for pickled in cache.glob("rules-*.pickle"):
        pickled.unlink()
    results += run_together(10, ["--staged"], repo, {"KEYSTOW_CACHE_DIR": str(cache)})
    first = findings(results[0])
    assert len(first) == 4 and all(findings(r) == first for r in results)
    assert not [p for p in cache.iterdir() if p.name.startswith(".tmp")]
    again = run_together(1, ["--staged"], repo, {"KEYSTOW_CACHE_DIR": str(cache)})
    assert findings(again[0]) == first


def test_five_concurrent_history_scans_share_the_blob_cache(repo):
    for commit in range(12):
        for index in range(25):
            secret = leak_line(commit * 100 + index) if index == commit else ""
            (repo / f"f{index}.py").write_text(f"v = {commit}.{index}\n{secret}")
        git(repo, "add", ".")
        git(repo, "commit", "-qm", f"c{commit}")
    env = {"KEYSTOW_CACHE_DIR": str(warm_cache_copy(repo.parent / "cache"))}
    results = run_together(5, ["--history"], repo, env)
    first = findings(results[0])
    assert len(first) == 12 and all(findings(r) == first for r in results)
    cache_dir = repo / ".git" / "keystow"
    [cache_file] = cache_dir.glob("blobs-*.json")
    document = json.loads(cache_file.read_text())
    assert len(document["clean"].split()) + len(document["hits"]) >= 12 * 25 - 12
    assert not [p for p in cache_dir.iterdir() if p.name.startswith(".tmp")]
    later = run_together(1, ["--history"], repo, env)[0]
    assert findings(later) == first
    assert json.loads(later.stdout)["summary"]["scanned_blobs"] == 0  # all answered from the cache


def test_damaged_caches_are_misses_not_errors(repo, tmp_path):
    (repo / "a.py").write_text(leak_line(1))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a")
    cache = warm_cache_copy(tmp_path / "cache")
    warm = run_together(1, ["--history"], repo, {"KEYSTOW_CACHE_DIR": str(cache)})[0]
    expected = findings(warm)
    for path in [p for p in [*cache.rglob("*"), *(repo / ".git" / "keystow").iterdir()] if p.is_file()]:
        path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])  # truncated mid-write
    for args in (["--history"], ["."]):
        [result] = run_together(1, args, repo, {"KEYSTOW_CACHE_DIR": str(cache)})
        assert [f[:2] for f in findings(result)] == [f[:2] for f in expected]

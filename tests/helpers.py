"""Helpers for tests: real git and the real keystow CLI in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def git(repo: Path, *args: str, input: bytes | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=repo, input=input, capture_output=True, check=True)
    return result.stdout.decode()


def loose_object(repo: Path, object_id: str) -> Path:
    """The file of an unpacked object, for tests that damage or remove it."""
    return repo / ".git" / "objects" / object_id[:2] / object_id[2:]


def commit_file(repo: Path, relative: str, text: str | bytes, message: str = "change") -> str:
    """Write, add and commit one file; return the new commit id."""
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "--", relative)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def run_keystow(
    *args: str, cwd: Path, input: bytes | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "keystow", *args], cwd=cwd, input=input,
                          capture_output=True, env={**os.environ, **(env or {})})


REPO_ROOT = Path(__file__).resolve().parents[1]


def wrapper_command(module: str, *args: str) -> list[str]:
    """`python -m testing.<module> ARGS`: keystow run under a test-side wrapper (see testing/)."""
    return [sys.executable, "-m", f"testing.{module}", *args]


def wrapper_env(env: dict | None = None) -> dict:
    """The environment for a wrapper: testing/ is not installed, so the repository goes on the path."""
    path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, **(env or {}), "PYTHONPATH": path}


def run_keystow_crashing(point: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """keystow ARGS in a subprocess that dies as kill -9 would right after `point` (testing.crashpoint)."""
    return subprocess.run(wrapper_command("crashpoint", point, "--", *args), cwd=cwd, capture_output=True,
                          env=wrapper_env())


def report_fingerprint_in(repo: Path, rule_id: str, secret: str) -> str:
    """The fingerprint reports of `repo` print for a secret: salted with the repository's salt."""
    from keystow.baseline.fingerprints import repository_salt
    from keystow.findings import fingerprint, report_fingerprint

    return report_fingerprint(fingerprint(rule_id, secret), repository_salt(repo, repo / ".keystow-baseline.json"))

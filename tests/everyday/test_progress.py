"""Progress on a terminal and a one-line summary when the report goes to a file.

The terminal is a real pseudo-terminal (`pty`): keystow decides from `isatty()` as it does for a
person, and the test reads what the person would see."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keystow.commands.progress import describe
from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow


def _history(repo: Path, files: int = 30) -> None:
    for i in range(files):
        (repo / f"f{i}.py").write_text(f"x = {i}\n" * 200)
    commit_file(repo, "leak.py", f'T = "{Fakes(4).github_token()}"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "more")


def _run_on_pty(args: list[str], cwd: Path, env: dict | None = None) -> tuple[int, bytes, float | None]:
    """Run keystow with stderr (and stdin) on a pseudo-terminal, stdout to a pipe. Returns the exit
    code, everything the terminal received, and seconds from start to the first progress frame."""
    primary, secondary = pty.openpty()
    environment = {**os.environ, "TERM": "xterm", **(env or {})}
    for name in ("CI", "NO_COLOR"):
        if name not in (env or {}):
            environment.pop(name, None)
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "keystow", *args], cwd=cwd, stdin=secondary,
                               stdout=subprocess.PIPE, stderr=secondary, env=environment)
    os.close(secondary)
    seen, first_frame = b"", None
    while True:
        ready, _, _ = select.select([primary], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if first_frame is None and b"scanning" in seen:
                first_frame = time.monotonic() - started
        elif process.poll() is not None:
            break
    process.stdout.read()
    os.close(primary)
    return process.wait(), seen, first_frame


def test_history_scan_shows_progress_on_a_terminal_promptly(repo):
    _history(repo)
    code, terminal, first_frame = _run_on_pty(["scan", "--history", "--no-cache", "-o", "report.txt"], repo)
    assert code == 1
    assert b"scanning history" in terminal and b"blobs" in terminal
    # within a second of the scan starting; interpreter start-up and imports come first and on
    # this shared 2-core machine take up to a few seconds under load, hence the margin
    assert first_frame is not None and first_frame < 3.0, first_frame
    assert b"keystow: 1 finding (1 critical) in 31 blobs" in terminal


@pytest.mark.parametrize("how", [["--quiet"], "CI", "pipe"])
def test_no_progress_when_quiet_in_ci_or_piped(repo, how):
    _history(repo, files=3)
    if how == "pipe":
        result = run_keystow("scan", "--history", cwd=repo)
        assert b"scanning history" not in result.stderr
        return
    args = ["scan", "--history", *(how if isinstance(how, list) else [])]
    code, terminal, _ = _run_on_pty(args, repo, {"CI": "true"} if how == "CI" else None)
    assert code == 1
    assert b"scanning history" not in terminal


def test_summary_line_when_the_report_goes_to_a_file(repo):
    fakes = Fakes(6)
    commit_file(repo, "a.py", f'T = "{fakes.github_token()}"\nK = "{fakes.aws_access_key_id()}"\n')
    commit_file(repo, "b.py", "x = 1\n")
    first = run_keystow("scan", "--history", "-o", "out.json", "--format", "json", cwd=repo)
    assert first.returncode == 1
    line = first.stderr.decode().strip().splitlines()[-1]
    assert (
        line
        == "keystow: 2 findings (1 critical, 1 high) in 2 blobs, 2 read from git this run; report written to out.json"
    )
    again = run_keystow("scan", "--history", "-o", "out.json", cwd=repo)
    assert (
        again.stderr.decode()
        .strip()
        .splitlines()[-1]
        .endswith("in 2 blobs, 0 read from git this run; report written to out.json")
    )
    to_stdout = run_keystow("scan", "--history", cwd=repo)
    assert b"report written" not in to_stdout.stderr
    quiet = run_keystow("scan", "--history", "-q", "-o", "out.json", cwd=repo)
    assert b"report written" not in quiet.stderr


def test_summary_line_for_a_path_scan_counts_files(repo):
    (repo / "a.py").write_text(f'T = "{Fakes(7).github_token()}"\n')
    (repo / "b.py").write_text("x = 1\n")
    result = run_keystow("scan", ".", "-o", "r.sarif", "--format", "sarif", cwd=repo)
    assert (
        result.stderr.decode().strip().splitlines()[-1]
        == "keystow: 1 finding (1 critical) in 2 blobs; report written to r.sarif"
    )


def test_describe_gives_counts_bytes_and_rate():
    assert (
        describe("scanning history", "blobs", 19661, 4_000_000, 2.0, "12 from cache")
        == "scanning history: 19,661 blobs, 4.0 MB at 2.0 MB/s (12 from cache)"
    )
    assert describe("scanning repositories", "repositories", 3, None, 1.0) == "scanning repositories: 3 repositories"


def test_path_scan_scan_repos_and_purge_show_progress_on_a_terminal(repo, tmp_path):
    _history(repo, files=5)
    code, terminal, _ = _run_on_pty(["scan", "."], repo)
    assert code == 1 and b"scanning files" in terminal
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{repo}\n")
    code, terminal, _ = _run_on_pty(["scan-repos", str(listing), "-o", str(tmp_path / "all.txt")], tmp_path)
    assert code == 1 and b"scanning repositories" in terminal
    code, terminal, _ = _run_on_pty(["purge", "--history", "--dry-run"], repo)
    assert code == 0 and b"scanning history" in terminal

"""The peers of `bench/history_bench.py`: detect-secrets, CredSweeper and the native scanners
(gitleaks, betterleaks, Kingfisher) on the same repository.

Each returns table rows (the keys `history_bench.render` reads), or none after printing why it
could not run. detect-secrets has no history mode, so it scans a checked-out tree of main's tip
(made once with `git archive main | tar -x`); CredSweeper has `--git`, which walks every branch;
the native scanners have history modes of their own (`gitleaks git`, `betterleaks git`,
`kingfisher scan --git-history full`), run with their defaults and a JSON report to a file.
`native_commands` also gives their working-tree modes, for `bench/throughput.py`.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import NamedTuple

from quality.tools import NATIVE, ToolMissing, native_binary

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
VENV_BIN = Path(sys.executable).parent
CREDSWEEPER = WORK / "credsweeper-venv" / "bin" / "credsweeper"
TIMEOUT = 300  # seconds; a peer slower than this is stopped and reported as "> TIMEOUT"


def checked_out_tree(repo: Path) -> Path:
    """Main's tip as plain files under bench/work/history-tree-N (made once)."""
    tree = WORK / repo.name.replace("history-repo", "history-tree")
    if not tree.exists():
        tree.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "main"], cwd=repo, capture_output=True, check=True)
        with tarfile.open(fileobj=__import__("io").BytesIO(archive.stdout)) as tar:
            tar.extractall(tree, filter="data")
    return tree


def tree_bytes(tree: Path) -> int:
    return sum(p.stat().st_size for p in tree.rglob("*") if p.is_file() and ".secrets" not in p.name)


def run_once(command: list[str], cwd: Path, exits: tuple[int, ...] = (0,)) -> tuple[float, int, float, str | None]:
    """Wall s, peak RSS KiB, CPU s (user + system, children included), and an error or None.
    On timeout: (TIMEOUT, 0, nan, "timeout"); the caller reports a lower bound."""
    started = time.perf_counter()
    # A session of its own, so a timeout stops the tool itself, not only /usr/bin/time above it.
    process = subprocess.Popen(["/usr/bin/time", "-v", *command], cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return float(TIMEOUT), 0, float("nan"), "timeout"
    result = subprocess.CompletedProcess(command, process.returncode, None, stderr)
    elapsed = time.perf_counter() - started
    peak = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    cpu = sum(float(m) for m in re.findall(rb"(?:User|System) time \(seconds\): ([\d.]+)", result.stderr))
    error = None if result.returncode in exits else f"exit {result.returncode}: {result.stderr.decode()[-300:]}"
    return elapsed, int(peak.group(1)) if peak else 0, cpu, error


def detect_secrets_row(repo: Path) -> dict | None:
    tool = VENV_BIN / "detect-secrets"
    if not tool.exists():
        print(f"peer skipped: {tool} not installed", file=sys.stderr)
        return None
    tree = checked_out_tree(repo)
    report = WORK / "scratch" / "history-detect-secrets.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    command = ["sh", "-c", f"'{tool}' scan --all-files > '{report}'"]
    seconds, peak, cpu, error = run_once(command, tree)
    if error:
        print(f"peer detect-secrets failed: {error}", file=sys.stderr)
        return None
    results = json.loads(report.read_text())["results"]
    return {"label": "peer, 1 run: detect-secrets scan --all-files (main's tip checked out: one version, not history)",
            "seconds": seconds, "peak_kib": peak, "cpu": cpu, "scanned_bytes": tree_bytes(tree),
            "scanned_blobs": None, "findings": sum(len(found) for found in results.values())}


def credsweeper_rows(repo: Path) -> list[dict]:
    """`--git` on the repository (its history mode); it is slow, so past TIMEOUT the row is a lower
    bound, and CredSweeper also scans the checked-out tree, like detect-secrets."""
    if not CREDSWEEPER.exists():
        print(f"peer skipped: CredSweeper not installed at {CREDSWEEPER} "
              "(bench/quality/run.py --install-peers installs it)", file=sys.stderr)
        return []
    tree = checked_out_tree(repo)
    cases = [("credsweeper --git --jobs 1 (history, all branches)", ["--git", str(repo)], None),
             ("credsweeper --path --jobs 1 (main's tip checked out: one version, not history)",
              ["--path", str(tree)], tree_bytes(tree))]
    rows = []
    for label, target, scanned_bytes in cases:
        report = WORK / "scratch" / "history-credsweeper.json"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.unlink(missing_ok=True)
        command = [str(CREDSWEEPER), *target, "--jobs", "1", "--no-stdout", "--save-json", str(report)]
        seconds, peak, cpu, error = run_once(command, HERE.parent)
        if error == "timeout":
            label = f"{label}: stopped after {TIMEOUT} s, unfinished"
        elif error:
            print(f"peer CredSweeper ({label}) failed: {error}", file=sys.stderr)
            continue
        findings = len(json.loads(report.read_text())) if report.exists() and not error else None
        rows.append({"label": f"peer, 1 run: {label}", "seconds": seconds, "peak_kib": peak, "cpu": cpu,
                     "scanned_bytes": scanned_bytes, "scanned_blobs": None, "findings": findings})
    return rows


# tool -> (history mode, working-tree mode, report options, exit codes that mean "ran"). A mode is
# the subcommand, then options after the target. Otherwise each tool's defaults: its own rules and
# confidence; Kingfisher without network validation.
NATIVE_MODES: dict[str, tuple[list[str], list[str], list[str], tuple[int, ...]]] = {
    "gitleaks": (["git"], ["dir"],
                 ["--no-banner", "--report-format", "json", "--report-path", "{report}", "--exit-code", "0"], (0,)),
    "betterleaks": (["git"], ["fs"], ["--no-banner", "--output", "{report}", "--exit-code", "0"], (0,)),
    "kingfisher": (  # exits 200 when it found something, 205 when something validated
        ["scan", "--no-validate", "--git-history", "full"],
        ["scan", "--no-validate", "--git-history", "none"],
        ["--format", "json", "--output", "{report}"],
        (0, 200, 205),
    ),
}


class NativeRun(NamedTuple):
    tool: str
    label: str  # the command as the table shows it, target and report left out
    command: list[str]
    report: Path
    exits: tuple[int, ...]


def native_commands(target: Path, history: bool) -> list[NativeRun]:
    """One run for each installed native scanner; a missing one is skipped with a line saying how
    to install it."""
    runs = []
    for tool in NATIVE:  # bench/quality/tools.py's table of installed native scanners
        history_mode, tree_mode, report_options, exits = NATIVE_MODES[tool]
        try:
            binary = native_binary(tool)
        except ToolMissing as missing:
            print(f"peer skipped: {tool} {missing}", file=sys.stderr)
            continue
        subcommand, *options = history_mode if history else tree_mode
        report = WORK / "scratch" / f"{'history' if history else 'tree'}-{tool}.json"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.unlink(missing_ok=True)
        command = [str(binary), subcommand, str(target), *options,
                   *(option.format(report=report) for option in report_options)]
        runs.append(NativeRun(tool, " ".join([tool, subcommand, *options]), command, report, exits))
    return runs


def native_findings(report: Path) -> int | None:
    """How many findings a native scanner's JSON report holds (a list, an object with `findings`,
    or JSON lines); None when it wrote none."""
    if not report.exists():
        return None
    text = report.read_text().strip()
    if not text:
        return 0
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return sum(1 for line in text.splitlines() if line.startswith("{"))
    return len(data.get("findings", [])) if isinstance(data, dict) else len(data)


def native_history_rows(repo: Path) -> list[dict]:
    """gitleaks, betterleaks and Kingfisher over the repository's whole history, one run each."""
    rows = []
    for run in native_commands(repo, history=True):
        seconds, peak, cpu, error = run_once(run.command, HERE.parent, run.exits)
        label = f"{run.label} (history)"
        if error == "timeout":
            label = f"{label}: stopped after {TIMEOUT} s, unfinished"
        elif error:
            print(f"peer {run.tool} failed: {error}", file=sys.stderr)
            continue
        rows.append({"label": f"peer, 1 run: {label}", "seconds": seconds, "peak_kib": peak, "cpu": cpu,
                     "scanned_bytes": None, "scanned_blobs": None,
                     "findings": None if error else native_findings(run.report)})
    return rows

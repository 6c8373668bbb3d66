"""Recall on secrets that only history holds: the quality corpus committed, then deleted.

    .venv/bin/python bench/quality/history.py [--tools keystow,gitleaks,...] [--markdown] [--misses TOOL]

The labelled corpus of run.py (same generator, same seed) is committed in one commit and removed
in the next, so the working tree is empty and every secret exists only in history. Each tool runs
its history mode with its defaults: keystow `scan --history --no-cache`, gitleaks `git`,
betterleaks `git`, Kingfisher `--git-history full --no-validate`, CredSweeper `--git`.
detect-secrets has no history mode and is not scored. A finding counts at (path, line) of the
deleted file, scored against the labels exactly as run.py scores the tree: a tool whose history
scan reads a file as its tree scan does scores the same here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate  # noqa: E402
from run import misses, render  # noqa: E402
from score import score  # noqa: E402

from tools import CREDSWEEPER, VENV_BIN, WORK, Findings, ToolMissing, _run, native_binary  # noqa: E402

ROOT = WORK / "quality-history" / "corpus"


def committed_then_deleted(root: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                        *args], check=True, capture_output=True)

    git("add", "-A", "-f", ".")
    git("commit", "-q", "-m", "add the corpus")
    git("rm", "-q", "-r", ".")
    git("commit", "-q", "-m", "remove it")


def keystow(root: Path, *extra: str) -> Findings:
    result = _run([str(VENV_BIN / "keystow"), "scan", "--history", "--no-cache", "--format", "json",
                   "--no-baseline", *extra], root)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"keystow exited {result.returncode}: {result.stderr.strip()[:300]}")
    return {(location["path"], location["line"])
            for finding in json.loads(result.stdout)["findings"] for location in finding["locations"]}


def keystow_audit(root: Path) -> Findings:
    return keystow(root, "--min-confidence", "low")


def gitleaks(root: Path) -> Findings:
    out = WORK / "gitleaks-history-report.json"
    result = _run([str(native_binary("gitleaks")), "git", ".", "--no-banner", "--report-format", "json",
                   "--report-path", str(out), "--exit-code", "0"], root)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"gitleaks exited {result.returncode}: {result.stderr.strip()[:300]}")
    return {(os.path.normpath(item["File"]), item["StartLine"]) for item in json.loads(out.read_text() or "[]")}


def betterleaks(root: Path) -> Findings:
    result = _run([str(native_binary("betterleaks")), "git", ".", "--no-banner", "--jsonl", "--exit-code", "0"], root)
    if result.returncode != 0:
        raise RuntimeError(f"betterleaks exited {result.returncode}: {result.stderr.strip()[:300]}")
    found: Findings = set()
    for line in result.stdout.splitlines():
        finding = json.loads(line).get("finding") if line.startswith("{") else None
        if finding:
            found.add((os.path.normpath(finding["location"]["path"]), finding["location"]["start_line"]))
    return found


def kingfisher(root: Path) -> Findings:
    result = _run([str(native_binary("kingfisher")), "scan", ".", "--no-validate", "--git-history", "full",
                   "--format", "json"], root)
    if result.returncode not in (0, 200, 205) or not result.stdout.startswith("{"):
        raise RuntimeError(f"kingfisher exited {result.returncode}: {result.stderr.strip()[:300]}")
    report = json.loads(result.stdout.splitlines()[0])
    return {(os.path.normpath(item["finding"]["path"]), item["finding"]["line"]) for item in report["findings"]}


def credsweeper(root: Path) -> Findings:
    """`--git` writes one report per commit, `<--save-json stem>.<commit>.json`."""
    if not CREDSWEEPER.exists():
        raise ToolMissing("not installed (run.py --install-peers)")
    out = WORK / "credsweeper-history-report.json"
    for old in WORK.glob("credsweeper-history-report.*.json"):
        old.unlink()
    result = _run([str(CREDSWEEPER), "--git", ".", "--save-json", str(out), "--no-stdout", "--log", "error"], root)
    reports = list(WORK.glob("credsweeper-history-report.*.json"))
    if result.returncode != 0 or not reports:
        raise RuntimeError(f"credsweeper exited {result.returncode}: {result.stderr.strip()[:300]}")
    return {(os.path.normpath(line_data["path"]), line_data["line_num"])
            for report in reports for candidate in json.loads(report.read_text())
            for line_data in candidate["line_data_list"]}


HISTORY_TOOLS = {"keystow": keystow, "keystow-audit": keystow_audit, "gitleaks": gitleaks,
                 "betterleaks": betterleaks, "kingfisher": kingfisher, "credsweeper": credsweeper}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tools", default=",".join(HISTORY_TOOLS))
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--misses", metavar="TOOL", help="list the labels TOOL missed or false-alarmed on")
    args = parser.parse_args()
    generate(ROOT, args.seed)
    labels = json.loads((ROOT.parent / "truth.json").read_text())
    committed_then_deleted(ROOT)
    scores, notes, found = {}, {}, {}
    for name in args.tools.split(","):
        started = time.perf_counter()
        try:
            found[name] = HISTORY_TOOLS[name](ROOT)
        except ToolMissing as exc:
            notes[name] = str(exc)
            continue
        scores[name] = score(labels, found[name])
        notes[name] = f"{time.perf_counter() - started:.1f} s"
    print(f"corpus: {len(labels)} labels in {len({label['file'] for label in labels})} files, committed then "
          f"deleted (seed {args.seed})\n")
    print(render(scores, notes, labels, markdown=args.markdown))
    if args.misses and args.misses in found:
        print(misses(labels, found[args.misses]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

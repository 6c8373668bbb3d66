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
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate  # noqa: E402
from run import misses, render, run_tools  # noqa: E402

import tools  # noqa: E402
from tools import WORK  # noqa: E402

ROOT = WORK / "quality-history" / "corpus"


def committed_then_deleted(root: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                        *args], check=True, capture_output=True)

    git("add", "-A", "-f", ".")
    git("commit", "-q", "-m", "add the corpus")
    git("rm", "-q", "-r", ".")
    git("commit", "-q", "-m", "remove it")


HISTORY_TOOLS = {
    "keystow": lambda root: tools.keystow(root, "--history", "--no-cache"),
    "keystow-audit": lambda root: tools.keystow(root, "--history", "--no-cache", "--min-confidence", "low"),
    "gitleaks": lambda root: tools.gitleaks(root, "git"),
    "betterleaks": lambda root: tools.betterleaks(root, "git"),
    "kingfisher": lambda root: tools.kingfisher(root, "full"),
    "credsweeper": lambda root: tools.credsweeper(root, history=True),
}


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
    scores, notes, found = run_tools(HISTORY_TOOLS, args.tools.split(","), ROOT, labels)
    print(f"corpus: {len(labels)} labels in {len({label['file'] for label in labels})} files, committed then "
          f"deleted (seed {args.seed})\n")
    print(render(scores, notes, labels, markdown=args.markdown))
    if args.misses and args.misses in found:
        print(misses(labels, found[args.misses]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

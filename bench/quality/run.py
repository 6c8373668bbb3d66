"""The quality benchmark in one command: `python bench/quality/run.py [--install-peers] [--tools a,b] [--markdown]`.

Writes the labelled corpus under bench/work/quality/, runs every tool on it in the same run, and
prints recall, precision and F1 overall and per kind (positives: found/total; hard negatives:
number of false alarms). `--markdown` prints the tables for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate  # noqa: E402
from score import Score, score  # noqa: E402

from tools import TOOLS, WORK, ToolMissing, install_peers  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--misses", metavar="TOOL", help="list the labels TOOL missed or false-alarmed on")
    parser.add_argument("--install-peers", action="store_true",
                        help="install CredSweeper, secretlint, gitleaks, betterleaks and Kingfisher under bench/work/")
    args = parser.parse_args(argv)
    if args.install_peers:
        install_peers()
    root = WORK / "quality" / "corpus"
    generate(root, args.seed)
    labels = json.loads((root.parent / "truth.json").read_text())
    scores, notes, found = run_tools(TOOLS, args.tools.split(","), root, labels)
    positives = sum(1 for label in labels if label["positive"] and not label.get("audit"))
    audits = sum(1 for label in labels if label.get("audit"))
    negatives = len(labels) - positives - audits
    print(f"corpus: {len(labels)} labels ({positives} secrets, {negatives} hard negatives, "
          f"{audits} weak passwords for audits), "
          f"{len({label['file'] for label in labels})} files, seed {args.seed}\n")
    print(render(scores, notes, labels, markdown=args.markdown))
    if args.misses and args.misses in found:
        print(misses(labels, found[args.misses]))
    return 0


def run_tools(tools: dict, names: list[str], root: Path, labels: list[dict]) -> tuple[dict, dict, dict]:
    """(scores, notes, findings) by tool name: each tool of `names` run on `root` and scored; a tool
    that is not installed gets a note and no score; a note otherwise says how long it took."""
    scores: dict[str, Score] = {}
    notes: dict[str, str] = {}
    found: dict[str, set] = {}
    for name in names:
        started = time.perf_counter()
        try:
            found[name] = tools[name](root)
        except ToolMissing as exc:
            notes[name] = str(exc)
            continue
        scores[name] = score(labels, found[name])
        notes[name] = f"{time.perf_counter() - started:.1f} s"
    return scores, notes, found


def render(scores: dict[str, Score], notes: dict[str, str], labels: list[dict], markdown: bool) -> str:
    names = list(scores)
    rows = [["tool", "recall", "precision", "F1", "TP", "FP", "FN", "weak passwords (audit)", "time"]]
    for name, s in scores.items():
        rows.append(
            [name, f"{s.recall:.3f}", f"{s.precision:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn),
             _ratio(s.audit), notes[name]]
        )
    out = [table(rows, markdown)]
    out += [f"{name}: {note}" for name, note in notes.items() if name not in scores]
    kinds = sorted({label["kind"] for label in labels if label["positive"] and not label.get("audit")})
    rows = [["secret kind (found/total)", *names]]
    for kind in kinds:
        rows.append([kind, *(_ratio(scores[n].recall_by_kind.get(kind, (0, 0))) for n in names)])
    out += ["", table(rows, markdown)]
    negative_totals = Counter(label["kind"] for label in labels if not label["positive"])
    rows = [["hard negative (false alarms/total)", *names]]
    for kind in sorted(negative_totals) + ["unlabelled"]:
        rows.append(
            [kind, *(f"{scores[n].false_alarms_by_kind.get(kind, 0)}/{negative_totals.get(kind, '-')}" for n in names)]
        )
    out += ["", table(rows, markdown)]
    return "\n".join(out)


def _ratio(pair: tuple[int, int]) -> str:
    return f"{pair[0]}/{pair[1]}"


def table(rows: list[list[str]], markdown: bool) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append(("| " + " | ".join(cells) + " |") if markdown else "  ".join(cells))
        if number == 0:
            lines.append(
                "|" + "|".join("-" * (w + 2) for w in widths) + "|" if markdown else "  ".join("-" * w for w in widths)
            )
    return "\n".join(lines)


def misses(labels: list[dict], found: set[tuple[str, int]]) -> str:
    from score import line_index

    index = line_index(labels)
    hit = {index[place] for place in found if place in index}
    lines = ["", "missed:"]
    lines += [f"  {x['file']}:{x['line']} {x['kind']}" for n, x in enumerate(labels)
              if x["positive"] and not x.get("audit") and n not in hit]
    lines += ["false alarms:"]
    for place in sorted(found):
        number = index.get(place)
        if number is None or not labels[number]["positive"]:
            kind = "unlabelled" if number is None else labels[number]["kind"]
            lines.append(f"  {place[0]}:{place[1]} {kind}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

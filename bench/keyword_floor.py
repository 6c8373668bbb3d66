"""What the generic detectors cost at the least: Hyperscan's price per secret-ish keyword occurrence.

    python bench/keyword_floor.py [--megabytes 40] [--runs 3]

Issue 5 asks the full rule library to stay within 20% of the foundation's rules on the throughput
benchmark. This measures, in one process and on the same bytes, the Hyperscan pass alone (CPU
time, best of `--runs`) for:

- the foundation's rules (aws, github, gitlab: prefix-anchored, rare literals);
- all rules;
- a stripped-down generic detector, alone and added to the foundation's rules: the generic rules' keyword
  alternation, an assignment sign
  and a quoted value (`(?i)(?:password|token|secret|...)\\s{0,4}[:=]\\s{0,4}["'][^\\s"'\\\\]{8}`),
  without the name suffixes, type annotations, other syntaxes or value bounds the real rules have;

and counts the keyword occurrences per MB. It runs on the throughput tree (bench/tree.py, written
by bench/throughput.py) and, when present, on the standard-library copy of bench/source_rate.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import hyperscan

from keystow.detect.ruleset import builtin_rule_files, load_rules

WORK = Path(__file__).resolve().parent / "work"
CORPORA = {"throughput tree": WORK / "throughput" / "tree", "stdlib copy": WORK / "stdlib-copy"}
FOUNDATION = ("aws", "github", "gitlab")
# The head every keyword-anchored generic rule shares (rules/generic.yaml), then "=" or ":" and a
# quoted value: simpler than any of the real rules.
GENERIC_KEYWORDS = (r"(?:passw(?:or)?ds?|passwort|pwd|passphrase|pass[_.-]?code|secrets?|tokens?|api[_.-]?keys?|"
                    r"apikeys?|access[_.-]?keys?|auth[_.-]?(?:key|token|secret)|credentials?|creds|private[_.-]?keys?|"
                    r"client[_.-]?secrets?|signing[_.-]?keys?|encryption[_.-]?keys?|master[_.-]?keys?)")
MINIMAL_GENERIC = rf"(?i){GENERIC_KEYWORDS}\s{{0,4}}[:=]\s{{0,4}}[\"'][^\s\"'\\]{{8}}"


def sample(root: Path, megabytes: int) -> list[bytes]:
    blobs, total = [], 0
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts):
        blobs.append(path.read_bytes())
        total += len(blobs[-1])
        if total > megabytes * 1_000_000:
            break
    return blobs


def database(expressions: list[str], flags: int = 0):
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[e.encode() for e in expressions], ids=list(range(len(expressions))),
               elements=len(expressions), flags=[flags] * len(expressions))
    return db


def scan_seconds(db, blobs: list[bytes], runs: int) -> tuple[float, int]:
    """Best CPU seconds of `runs` passes over `blobs`, and the hits of one pass."""
    hits = [0]

    def on_hit(*_args) -> None:
        hits[0] += 1

    best = float("inf")
    for _ in range(runs):
        hits[0] = 0
        started = time.process_time()
        for blob in blobs:
            db.scan(blob, match_event_handler=on_hit)
        best = min(best, time.process_time() - started)
    return best, hits[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rules = load_rules().rules
    foundation = load_rules(tuple(p for p in builtin_rule_files() if p.stem in FOUNDATION), builtin=False).rules
    databases = {
        f"foundation ({len(foundation)} rules)": database([r.regex for r in foundation]),
        f"all {len(rules)} rules": database([r.regex for r in rules]),
        "stripped-down generic pattern": database([MINIMAL_GENERIC]),
        "foundation + that pattern": database([r.regex for r in foundation] + [MINIMAL_GENERIC]),
    }
    keywords = database([GENERIC_KEYWORDS], hyperscan.HS_FLAG_CASELESS)
    print("| corpus | MB | keyword occurrences per MB | " + " | ".join(f"{name} MB/s" for name in databases) + " |")
    print("|---|---|---|" + "---|" * len(databases))
    for name, root in CORPORA.items():
        if not root.exists():
            print(f"({name}: {root} missing; run bench/throughput.py or bench/source_rate.py first)", file=sys.stderr)
            continue
        blobs = sample(root, args.megabytes)
        size = sum(map(len, blobs)) / 1e6
        occurrences = scan_seconds(keywords, blobs, 1)[1]
        rates = [size / scan_seconds(db, blobs, args.runs)[0] for db in databases.values()]
        print(f"| {name} | {size:.1f} | {occurrences / size:,.0f} | " + " | ".join(f"{r:,.0f}" for r in rates) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

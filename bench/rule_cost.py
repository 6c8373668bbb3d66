"""Which rules make the Hyperscan pass slow: each rule alone over a sample of the throughput tree.

    python bench/rule_cost.py [--megabytes 20] [--top 15]

Prints the slowest rules by scan time (and hit count) over the sample. A rule whose regex starts
with a broad class or an optional prefix (no literal for Hyperscan to anchor on) costs the most.
"""

from __future__ import annotations

import argparse
import sys

from keyword_floor import WORK, database, sample, scan_seconds

from keystow.detect.ruleset import load_rules

TREE = WORK / "throughput" / "tree"


def cost(regex: str, blobs: list[bytes]) -> tuple[float, int]:
    """CPU seconds of one pass of `regex` alone over `blobs`, and its hits."""
    return scan_seconds(database([regex]), blobs, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=int, default=20)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    if not TREE.exists():
        raise SystemExit("run bench/throughput.py first (it writes the tree)")
    blobs = sample(TREE, args.megabytes)
    size = sum(map(len, blobs)) / 1e6
    rows = sorted(((*cost(rule.regex, blobs), rule.id) for rule in load_rules().rules), reverse=True)
    total = sum(r[0] for r in rows)
    print(f"{len(rows)} rules alone over {size:.1f} MB: {total:.2f} s in all")
    for seconds, hits, rule_id in rows[:args.top]:
        print(f"  {seconds:7.3f} s  {size / seconds:8.0f} MB/s  {hits:7d} hits  {rule_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

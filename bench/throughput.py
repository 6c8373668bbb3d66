"""Throughput: `keystow scan` vs `detect-secrets scan` on the same generated tree, in one run.

    python bench/throughput.py [--megabytes 210] [--ds-fraction 0.1] [--markdown]

The tree (bench/tree.py) is written once under bench/work/throughput/ and reused. keystow scans
the whole tree three times (median wall time, whole CLI process included). detect-secrets is far
slower, so by default it scans a tenth of the tree (4 of the 40 top-level directories) once and its
rate is taken per MB; `--ds-fraction 1` runs it on everything.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tree import generate  # noqa: E402

WORK = Path(__file__).resolve().parent / "work" / "throughput"
BIN = Path(sys.executable).parent


def tree_bytes(paths: list[Path]) -> int:
    return sum(f.stat().st_size for p in paths for f in p.rglob("*") if f.is_file() and ".git" not in f.parts)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU covers the process and its workers. On a shared,
    loaded machine the CPU time is the steadier measure of work done."""
    started, cpu = time.perf_counter(), cpu_seconds()
    result = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()[:400]}")
    return elapsed, cpu_seconds() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=210)
    parser.add_argument("--ds-fraction", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    root = WORK / "tree"
    started = time.perf_counter()
    size = generate(root, args.megabytes)
    print(f"tree: {size / 1e6:.1f} MB in {root} (ready in {time.perf_counter() - started:.1f} s)", flush=True)
    runs = [timed([str(BIN / "keystow"), "scan", ".", "--format", "json", "--no-baseline"], root)
            for _ in range(args.runs)]
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    print(f"keystow: runs {', '.join(f'{w:.2f} s ({c:.2f} s CPU)' for w, c in runs)}", flush=True)
    rows = [("tool", "scanned", "wall time", "MB/s (wall)", "CPU time", "MB/s per CPU-second", "ratio (wall)"),
            ("keystow scan", f"{size / 1e6:.0f} MB", f"{wall:.2f} s (median of {args.runs})", f"{size / 1e6 / wall:.1f}",
             f"{cpu:.2f} s", f"{size / 1e6 / cpu:.1f}", "")]
    if args.ds_fraction > 0:
        dirs = sorted(p for p in root.iterdir() if p.is_dir() and p.name != ".git")
        subset = dirs[:max(1, round(len(dirs) * args.ds_fraction))]
        subset_size = tree_bytes(subset)
        ds_wall, ds_cpu = timed([str(BIN / "detect-secrets"), "scan", "--all-files", *(p.name for p in subset)], root)
        print(f"detect-secrets: {subset_size / 1e6:.1f} MB ({len(subset)}/{len(dirs)} directories) in {ds_wall:.1f} s", flush=True)
        ratio = (size / wall) / (subset_size / ds_wall)
        rows[1] = rows[1][:-1] + (f"{ratio:.0f}×",)
        rows.append(("detect-secrets scan --all-files", f"{subset_size / 1e6:.0f} MB", f"{ds_wall:.1f} s (once)",
                     f"{subset_size / 1e6 / ds_wall:.2f}", f"{ds_cpu:.1f} s", f"{subset_size / 1e6 / ds_cpu:.2f}", "1×"))
    print()
    for number, row in enumerate(rows):
        print(("| " + " | ".join(row) + " |") if args.markdown else "  ".join(f"{c:<22}" for c in row))
        if args.markdown and number == 0:
            print("|" + "---|" * len(row))
    print(f"\ncores: {os.cpu_count()}; keystow runs in one process; detect-secrets uses a process pool over all cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())

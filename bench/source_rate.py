"""Working-tree scan rate on real source text (issue 8: "≥ 100 MB/s per core of source text").

    .venv/bin/python bench/source_rate.py [--runs 3]

Copies every .py file of this Python's standard library (tests included) to bench/work/stdlib-copy
once (as its own git work tree), then runs
`keystow scan bench/work/stdlib-copy --format json -o /dev/null` and reports MB of
.py text over CPU seconds (user + system of the child, from getrusage(RUSAGE_CHILDREN)): MB/s per
core, which the shared machine's load moves less than wall time. Start-up is included.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from timing import run_as_installed

HERE = Path(__file__).resolve().parent
COPY = HERE / "work" / "stdlib-copy"
KEYSTOW = Path(sys.executable).parent / "keystow"


def make_copy() -> None:
    if COPY.exists():
        return
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for source in stdlib.rglob("*.py"):
        if "site-packages" in source.parts or not source.is_file():
            continue
        target = COPY / source.relative_to(stdlib)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    # Its own (empty) repository: bench/work/ is git-ignored in keystow's checkout, and a path scan
    # inside a work tree skips ignored files; in its own work tree every file is untracked, not ignored.
    subprocess.run(["git", "init", "-q", str(COPY)], check=True)


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run() -> tuple[float, float]:
    """(CPU s, wall s) of one scan."""
    cpu_before, started = cpu_of_children(), time.perf_counter()
    result = subprocess.run([str(KEYSTOW), "scan", str(COPY), "--format", "json", "-o", "/dev/null"],
                            stderr=subprocess.PIPE)
    if result.returncode not in (0, 1):
        raise SystemExit(f"keystow scan failed: {result.stderr.decode()[-500:]}")
    return cpu_of_children() - cpu_before, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    run_as_installed()
    make_copy()
    files = [p for p in COPY.rglob("*.py")]
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    one_run()  # warm: the Hyperscan database cache and the page cache
    samples = [one_run() for _ in range(args.runs)]
    cpu, wall = statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)
    print(f"keystow scan of the stdlib .py copy: {len(files)} files, {megabytes:.1f} MB; "
          f"median of {args.runs}: {cpu:.2f} CPU s, {wall:.2f} wall s -> {megabytes / cpu:.1f} MB per CPU second, "
          f"{megabytes / wall:.1f} MB/s wall ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

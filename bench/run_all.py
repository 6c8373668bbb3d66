"""`make bench`: the benchmarks bench/RESULTS.md quotes, each with the arguments its section names.

    python bench/run_all.py [--only throughput,history,hook]

They run one after another (the machine is shared: never in parallel), each in its own process
with this interpreter, so each sees the keystow installed in this environment. Generated inputs
are kept under bench/work/ and reused by later runs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name → the command line RESULTS.md gives for that section
BENCHMARKS = {
    "throughput": ["throughput.py", "--markdown", "--ds-fraction", "0.05"],
    "history": ["history_bench.py", "--commits", "10000", "--runs", "5"],
    "hook": ["hook_bench.py", "--runs", "20", "--markdown"],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHMARKS),
                        help=f"comma-separated subset of {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    failed = []
    for name in chosen:
        script, *options = BENCHMARKS[name]
        print(f"\n== {name}: python bench/{script} {' '.join(options)}", flush=True)
        started = time.monotonic()
        code = subprocess.run([sys.executable, str(HERE / script), *options], cwd=HERE.parent).returncode
        print(f"== {name}: exit {code} after {time.monotonic() - started:.0f} s", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run one atheris harness, or all in turn: `python fuzz/run.py --seconds 300 [--target NAME]`.

Each target runs in its own process (atheris owns the process while it fuzzes) with a corpus
directory under fuzz/corpus/NAME (created from seeds, grown by the fuzzer, not committed).
Exit status is non-zero when any target found a crash; the crash input is in fuzz/crashes/.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def fuzz_one(name: str, seconds: int) -> None:
    """In the child: hand the process to atheris."""
    import atheris

    with atheris.instrument_imports():  # keystow's modules load inside: coverage-guided
        import harnesses

        run = harnesses.TARGETS[name]()

    def test_one_input(data: bytes) -> None:
        run(data)

    corpus = HERE / "corpus" / name
    corpus.mkdir(parents=True, exist_ok=True)
    for index, seed in enumerate(harnesses.seeds(name)):
        (corpus / f"seed-{index}").write_bytes(seed)
    crashes = HERE / "crashes"
    crashes.mkdir(exist_ok=True)
    args = [sys.argv[0], str(corpus), f"-max_total_time={seconds}", "-max_len=8192", "-timeout=20",
            f"-artifact_prefix={crashes}/{name}-", "-print_final_stats=1"]
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60, help="per target")
    parser.add_argument("--target", choices=["scanner", "rules", "config", "baseline"], action="append")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fuzz_one(args.child, args.seconds)
        return 0
    failed = []
    for name in args.target or ["scanner", "rules", "config", "baseline"]:
        start = time.monotonic()
        code = subprocess.call([sys.executable, __file__, "--child", name, "--seconds", str(args.seconds)])
        print(f"fuzz {name}: {time.monotonic() - start:.0f} s, exit {code}", flush=True)
        if code != 0:
            failed.append(name)
    print("crashes in: " + ", ".join(failed) if failed else "no crashes")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

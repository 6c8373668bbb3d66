"""Throughput: `keystow scan` vs detect-secrets and the native scanners on the same generated tree, in one run.

    python bench/throughput.py [--megabytes 210] [--ds-fraction 0.1] [--markdown] [--tree DIR]

The tree (bench/tree.py) is written once under bench/work/throughput/ and reused. keystow scans
the whole tree three times (median wall time, whole CLI process included). detect-secrets is far
slower, so by default it scans a tenth of the tree (4 of the 40 top-level directories) once and its
rate is taken per MB; `--ds-fraction 1` runs it on everything. The native scanners (`gitleaks dir`,
`betterleaks fs`, `kingfisher scan --git-history none --no-validate`, from their venvs under
bench/work: bench/quality/run.py --install-peers) scan the whole tree once each, with their
defaults and a JSON report to a file (`--no-native` skips them). `--tree DIR` times an existing tree
instead (such as bench/work/stdlib-copy from bench/source_rate.py: real code).
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

from peer_runs import native_commands, native_findings  # noqa: E402
from timing import run_as_installed  # noqa: E402
from tree import generate  # noqa: E402

WORK = Path(__file__).resolve().parent / "work" / "throughput"
BIN = Path(sys.executable).parent


def tree_bytes(paths: list[Path]) -> int:
    return sum(f.stat().st_size for p in paths for f in p.rglob("*") if f.is_file() and ".git" not in f.parts)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], cwd: Path, exits: tuple[int, ...] = (0, 1)) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU covers the process and its workers. On a shared,
    loaded machine the CPU time is the steadier measure of work done."""
    started, cpu = time.perf_counter(), cpu_seconds()
    result = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in exits:
        raise SystemExit(f"{args[0]} failed ({result.returncode}): {result.stderr.strip()[:400]}")
    return elapsed, cpu_seconds() - cpu


def keystow_runs(root: Path, runs: int, config: Path | None = None) -> tuple[float, float]:
    """Median (wall, CPU) of `runs` scans, after one untimed run that compiles the rule database."""
    args = [str(BIN / "keystow"), "scan", ".", "--format", "json", "--no-baseline"]
    args += ["--config", str(config)] if config else []
    timed(args, root)
    results = [timed(args, root) for _ in range(runs)]
    print(f"keystow{' (' + config.stem + ')' if config else ''}: "
          f"{', '.join(f'{w:.2f} s ({c:.2f} s CPU)' for w, c in results)}", flush=True)
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def foundation_config(families: list[str]) -> Path:
    """A config that disables every rule outside `families` (rule files): the foundation's rule set,
    so the cost of the rule library's growth is measured in the same run."""
    from keystow.detect.ruleset import builtin_rule_files, load_rules

    keep = {
        rule.id
        for rule in load_rules(tuple(p for p in builtin_rule_files() if p.stem in families), builtin=False).rules
    }
    disabled = sorted(rule.id for rule in load_rules().rules if rule.id not in keep)
    path = WORK / "foundation-rules.toml"
    path.write_text("disabled_rules = [\n" + "".join(f'  "{rule_id}",\n' for rule_id in disabled) + "]\n")
    return path


def detect_secrets_run(root: Path, fraction: float) -> tuple[int, float, float, str]:
    dirs = sorted(p for p in root.iterdir() if p.is_dir() and p.name != ".git")
    subset = dirs[:max(1, round(len(dirs) * fraction))]
    size = tree_bytes(subset)
    wall, cpu = timed([str(BIN / "detect-secrets"), "scan", "--all-files", *(p.name for p in subset)], root)
    print(f"detect-secrets: {size / 1e6:.1f} MB ({len(subset)}/{len(dirs)} directories) in {wall:.1f} s", flush=True)
    return size, wall, cpu, f"{len(subset)}/{len(dirs)} directories"


def row(name: str, size: int, wall: float, cpu: float, note: str, ratio: str) -> tuple[str, ...]:
    return (name, f"{size / 1e6:.0f} MB", f"{wall:.2f} s ({note})", f"{size / 1e6 / wall:.1f}",
            f"{cpu:.2f} s", f"{size / 1e6 / cpu:.1f}", ratio)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=int, default=210)
    parser.add_argument("--ds-fraction", type=float, default=0.1, help="0 skips detect-secrets")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--foundation-families", default="aws,github,gitlab",
                        help="rule files of the foundation's rule set ('' skips that comparison)")
    parser.add_argument("--no-native", action="store_true", help="skip gitleaks, betterleaks and Kingfisher")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--tree", type=Path, help="an existing directory to scan instead of the generated tree")
    args = parser.parse_args(argv)
    run_as_installed()
    started = time.perf_counter()
    if args.tree:
        root, size = args.tree.resolve(), tree_bytes([args.tree.resolve()])
    else:
        root = WORK / "tree"
        size = generate(root, args.megabytes)
    print(f"tree: {size / 1e6:.1f} MB in {root} (ready in {time.perf_counter() - started:.1f} s)", flush=True)
    wall, cpu = keystow_runs(root, args.runs)
    rows = [
        ("tool", "scanned", "wall time", "MB/s (wall)", "CPU time", "MB/s per CPU-second", "vs detect-secrets (wall)")
    ]
    keystow_row = row(f"keystow scan ({rule_count()} rules)", size, wall, cpu, f"median of {args.runs}", "")
    if args.foundation_families:
        f_wall, f_cpu = keystow_runs(root, args.runs, foundation_config(args.foundation_families.split(",")))
        rows.append(row(f"keystow scan, foundation rules only ({args.foundation_families})", size, f_wall, f_cpu,
                        f"median of {args.runs}", ""))
    if args.ds_fraction > 0:
        ds_size, ds_wall, ds_cpu, note = detect_secrets_run(root, args.ds_fraction)
        keystow_row = keystow_row[:-1] + (f"{(size / wall) / (ds_size / ds_wall):.0f}×",)
        rows.append(row("detect-secrets scan --all-files", ds_size, ds_wall, ds_cpu, f"once, {note}", "1×"))
    if not args.no_native:
        rows += native_rows(root, size, ds_size / ds_wall if args.ds_fraction > 0 else None)
    rows.insert(1, keystow_row)
    print()
    for number, cells in enumerate(rows):
        print(("| " + " | ".join(cells) + " |") if args.markdown else "  ".join(f"{c:<22}" for c in cells))
        if args.markdown and number == 0:
            print("|" + "---|" * len(cells))
    print(f"\ncores: {os.cpu_count()}; keystow runs in one process; detect-secrets uses a process pool over all cores")
    return 0


def native_rows(root: Path, size: int, ds_rate: float | None) -> list[tuple[str, ...]]:
    """gitleaks, betterleaks and Kingfisher over the whole tree, once each (they are the comparison)."""
    rows = []
    for run in native_commands(root, history=False):
        wall, cpu = timed(run.command, root, run.exits)
        findings = native_findings(run.report)
        print(f"{run.tool}: {wall:.1f} s ({cpu:.1f} s CPU), {findings} findings", flush=True)
        ratio = f"{(size / wall) / ds_rate:.0f}×" if ds_rate else ""
        rows.append(row(f"{run.label} ({findings} findings)", size, wall, cpu, "once", ratio))
    return rows


def rule_count() -> int:
    from keystow.detect.ruleset import load_rules

    return len(load_rules())


if __name__ == "__main__":
    sys.exit(main())

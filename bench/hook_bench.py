"""Hook latency: the wall time of a whole `git commit` of 3 small files, in one run:

- with no hook,
- through the native keystow hook (`keystow hook install`: `python -m keystow scan --staged`),
- with `detect-secrets-hook` as the pre-commit hook (given the staged file names, as the
  pre-commit framework would).

    python bench/hook_bench.py [--runs 20] [--markdown]
    python bench/hook_bench.py --startup [--runs 21]

`--startup` times the hook's own process instead (issue "everyday use", item 5: the hook's CPU
time on a 3-file commit against the bare interpreter, `python -c pass` from the same venv,
interleaved; the hook's figure includes the git processes it runs).

Each round commits 3 new small files under each variant in turn (interleaved, so machine noise
hits all three alike); the result is the median over `--runs` rounds after 2 warm-up rounds
(the first keystow run compiles and caches the Hyperscan database; bytecode is cached as it would
be for an installed package, in a private PYTHONPYCACHEPREFIX).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
VARIANTS = ("no hook", "keystow hook", "detect-secrets-hook")
STARTUP = "python -c pass (load gauge)"
FILE_TEXT = "def handler{n}(event):\n    return {{'status': 200, 'n': {n}}}\n"
DETECT_SECRETS_HOOK = """#!/bin/sh
git diff --cached --name-only --diff-filter=ACM -z | xargs -0 '{hook}'
"""


def bench_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPYCACHEPREFIX=str(work / "pycache"), KEYSTOW_CACHE_DIR=str(work / "keystow-cache"),
               GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    return env


def make_repo(path: Path, variant: str, env: dict[str, str]) -> None:
    path.mkdir()
    run(["git", "init", "-q", "-b", "main"], path, env)
    run(["git", "commit", "-q", "--allow-empty", "-m", "root"], path, env)
    if variant == "keystow hook":
        run([sys.executable, "-m", "keystow", "hook", "install"], path, env)
    elif variant == "detect-secrets-hook":
        hook = path / ".git" / "hooks" / "pre-commit"
        hook.write_text(DETECT_SECRETS_HOOK.format(hook=BIN / "detect-secrets-hook"))
        hook.chmod(0o755)


def run(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed in {cwd}: {(result.stdout + result.stderr).strip()[-400:]}")


def timed_commit(repo: Path, round_number: int, env: dict[str, str]) -> float:
    names = []
    for i in range(3):
        name = f"mod{round_number}_{i}.py"
        (repo / name).write_text(FILE_TEXT.format(n=round_number * 3 + i))
        names.append(name)
    run(["git", "add", *names], repo, env)
    cpu_before, started = children_cpu(), time.perf_counter()
    run(["git", "commit", "-q", "-m", f"round {round_number}"], repo, env)
    return time.perf_counter() - started, children_cpu() - cpu_before


def children_cpu() -> float:
    """User + system CPU seconds of finished child processes (git, the hook, keystow): less
    sensitive than wall time to other work on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_startup(env: dict[str, str]) -> tuple[float, float]:
    """`python -c pass`: how loaded the machine is, to read the other numbers against."""
    cpu_before, started = children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    return time.perf_counter() - started, children_cpu() - cpu_before


def measure(runs: int, warmup: int = 2) -> dict[str, list[tuple[float, float]]]:
    work = Path(tempfile.mkdtemp(prefix="keystow-hook-bench-"))
    try:
        env = bench_env(work)
        repos = {variant: work / variant.replace(" ", "-") for variant in VARIANTS}
        for variant, path in repos.items():
            make_repo(path, variant, env)
        times: dict[str, list[tuple[float, float]]] = {variant: [] for variant in VARIANTS}
        times[STARTUP] = []
        for round_number in range(warmup + runs):
            for variant, path in repos.items():
                elapsed = timed_commit(path, round_number, env)
                if round_number >= warmup:
                    times[variant].append(elapsed)
            if round_number >= warmup:
                times[STARTUP].append(timed_startup(env))
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def markdown(times: dict[str, list[tuple[float, float]]], runs: int) -> str:
    base = statistics.median(wall for wall, _ in times["no hook"])
    lines = [f"`git commit` of 3 small files, median of {runs} runs, in one run (wall time; CPU = user + "
             "system time of all processes involved):", "",
             "| variant | wall median | wall min–max | CPU median | hook's share of wall (median − no hook) |",
             "|---|---|---|---|---|"]
    for variant, values in times.items():
        walls = [wall for wall, _ in values]
        median = statistics.median(walls)
        cpu = statistics.median(c for _, c in values)
        share = "—" if variant in ("no hook", STARTUP) else f"{(median - base) * 1000:.0f} ms"
        lines.append(f"| {variant} | {median * 1000:.0f} ms | {min(walls) * 1000:.0f}–{max(walls) * 1000:.0f} ms "
                     f"| {cpu * 1000:.0f} ms | {share} |")
    return "\n".join(lines) + "\n"


# A clean change that names secrets without holding one: the generic rules' keywords occur, so
# the hook's quick path compiles and runs their regexes (issue 18's 3-file commit has none).
KEYWORD_TEXT = ("import os\n\n\ndef connect{n}(settings):\n    token = os.environ['API_TOKEN']\n"
                "    password = settings.get('password')\n"
                "    return Client(token=token, password=password, retries={n})\n")
HOOK = [sys.executable, "-m", "keystow.cli.hook_entry", "pre-commit"]
STARTUP_VARIANTS = {"python -c pass": ([sys.executable, "-c", "pass"], FILE_TEXT),
                    "keystow pre-commit hook": (HOOK, FILE_TEXT),
                    "hook, files naming token/password": (HOOK, KEYWORD_TEXT)}


def measure_startup(runs: int, warmup: int = 2) -> dict[str, list[float]]:
    """CPU seconds (user + system, the process and the git it runs) of `python -c pass` and of
    `python -m keystow.cli.hook_entry pre-commit` with 3 small files staged, interleaved; the
    hook also on 3 clean files that name a token and a password."""
    work = Path(tempfile.mkdtemp(prefix="keystow-hook-startup-"))
    try:
        env = bench_env(work)
        repos = {}
        for number, (name, (_, text)) in enumerate(STARTUP_VARIANTS.items()):
            repos[name] = repo = work / f"repo{number}"
            make_repo(repo, "no hook", env)
            names = [f"mod{i}.py" for i in range(3)]
            for i, file_name in enumerate(names):
                (repo / file_name).write_text(text.format(n=i))
            run(["git", "add", *names], repo, env)
        times: dict[str, list[float]] = {name: [] for name in STARTUP_VARIANTS}
        for round_number in range(warmup + runs):
            for name, (command, _) in STARTUP_VARIANTS.items():
                before = children_cpu()
                subprocess.run(command, cwd=repos[name], env=env, capture_output=True, check=True)
                if round_number >= warmup:
                    times[name].append(children_cpu() - before)
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def startup_report(times: dict[str, list[float]]) -> str:
    bare, hook = (statistics.median(times[name]) for name in ("python -c pass", "keystow pre-commit hook"))
    lines = [f"{name}: median {statistics.median(values) * 1000:.0f} ms CPU "
             f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}) over {len(values)} runs"
             for name, values in times.items()]
    keywords = statistics.median(times["hook, files naming token/password"])
    return "\n".join([*lines, f"ratio hook / bare interpreter: {hook / bare:.1f}x (target <= 3x); "
                              f"files naming token/password: {keywords / bare:.1f}x"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--markdown", action="store_true", help="print the RESULTS.md table")
    parser.add_argument("--startup", action="store_true", help="the hook process alone against python -c pass")
    args = parser.parse_args()
    if args.startup:
        print(startup_report(measure_startup(args.runs)))
        return
    times = measure(args.runs)
    if args.markdown:
        print(markdown(times, args.runs))
        return
    for variant, values in times.items():
        wall = statistics.median(w for w, _ in values)
        print(f"{variant:>28}: median {wall * 1000:.0f} ms over {len(values)} runs")


if __name__ == "__main__":
    main()

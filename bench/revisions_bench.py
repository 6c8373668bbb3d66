"""Before/after: two installs of keystow measured in one run, interleaved, in CPU seconds.

    .venv/bin/python bench/revisions_bench.py --before OTHER/.venv/bin/python [--runs 7]

For a change that must not make keystow slower (a restructure, say): install the older revision
in its own venv (`git worktree add ../before REV && python3 -m venv ../before/.venv &&
../before/.venv/bin/pip install -e ../before`), then run this from the newer checkout. Each round
runs both installs on the same input, one after the other, so a busy machine slows both alike;
the result is the median over --runs rounds of the child's user+system CPU time:

  history   scan --history --no-cache --jobs 1 of bench/work/history-repo-N (history_bench.py's
            deterministic repository of --commits commits, built once and shared with it), beside
            the floor `git cat-file --batch-all-objects --batch` of the same repository in the
            same round: issue 15's bar is keystow's CPU relative to that floor
  tree      scan DIR --format json of a generated source tree (tree.py), --megabytes of it
  hook      the native pre-commit hook's scan of a 3-file staged change (caches warm)

With --peers, gitleaks, betterleaks and Kingfisher scan the same history and tree in every round,
and a second table gives each install's CPU over each peer's: the other half of issue 15's bar
("as fast relative to the peers"), old and new code measured against the same peer runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from history_bench import WORK, build_repository
from peer_runs import NativeRun, native_commands, run_once
from timing import run_as_installed
from tree import generate

AFTER = Path(sys.executable)


def child_cpu(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """User+system CPU seconds of one child process (and what it waited for)."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command} exited {process.returncode}: {process.stderr.read().decode()[-500:]}")
    return usage.ru_utime + usage.ru_stime


def hook_module(python: Path) -> str:
    """Where the click-free hook entry lives in that install (it moved in the restructure)."""
    probe = ("import importlib.util as u; "
             "print('keystow.hook_entry' if u.find_spec('keystow.hook_entry') else 'keystow.cli.hook_entry')")
    return subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True).stdout.strip()


def staged_repo(root: Path, env: dict[str, str]) -> Path:
    repo = root / "hook-repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    (repo / "README.md").write_text("# demo\n")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "init"], cwd=repo, check=True, env=env)
    for index in range(3):
        (repo / f"module_{index}.py").write_text(f"def handler_{index}(event):\n    return event['id'] + {index}\n")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    return repo


def workloads(python: Path, history: Path, tree: Path, hook_repo: Path) -> dict[str, tuple[list[str], Path]]:
    keystow = [str(python), "-m", "keystow"]
    return {
        "history": ([*keystow, "scan", "--history", "--no-cache", "--jobs", "1", "--format", "json", "."], history),
        "tree": ([*keystow, "scan", ".", "--format", "json", "--jobs", "1"], tree),
        "hook": ([str(python), "-m", hook_module(python), "pre-commit"], hook_repo),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="the older install's python")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--megabytes", type=int, default=40)
    parser.add_argument("--peers", action="store_true",
                        help="also time gitleaks, betterleaks and Kingfisher on the history and the tree in every "
                             "round (install them with bench/quality/run.py --install-peers)")
    args = parser.parse_args()
    run_as_installed()
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "b",
        "GIT_AUTHOR_EMAIL": "b@x.invalid",
        "GIT_COMMITTER_NAME": "b",
        "GIT_COMMITTER_EMAIL": "b@x.invalid",
    }
    history = WORK / f"history-repo-{args.commits}"
    if not history.exists():
        build_repository(history, args.commits)
    with tempfile.TemporaryDirectory(prefix="keystow-revisions-") as scratch:
        root = Path(scratch)
        generate(root / "tree", args.megabytes)
        hook_repo = staged_repo(root, env)
        env["KEYSTOW_CACHE_DIR"] = str(root / "cache")  # one warm cache per run, shared alike
        installs = {
            "before": workloads(args.before, history, root / "tree", hook_repo),
            "after": workloads(AFTER, history, root / "tree", hook_repo),
        }
        targets = {"history": history, "tree": root / "tree"}
        peers = ({name: native_commands(target, name == "history") for name, target in targets.items()}
                 if args.peers else {})
        samples: dict[tuple[str, str], list[float]] = {}
        floor = ["git", "cat-file", "--batch-all-objects", "--batch"]
        for round_number in range(args.runs + 1):  # round 0 warms the caches and is not counted
            if round_number:
                samples.setdefault(("history", "floor"), []).append(child_cpu(floor, history, env))
            for name in ("history", "tree", "hook"):
                for label, work in installs.items():
                    seconds = child_cpu(*work[name], env)
                    if round_number:
                        samples.setdefault((name, label), []).append(seconds)
                for peer in peers.get(name, []) if round_number else []:
                    samples.setdefault((name, peer.tool), []).append(peer_cpu(peer, targets[name]))
    print(f"| workload | before (CPU s, median of {args.runs}) | after | after / before |")
    print("|---|---|---|---|")
    for name in ("history", "tree", "hook"):
        before, after = (statistics.median(samples[(name, label)]) for label in ("before", "after"))
        print(f"| {name} | {before:.3f} | {after:.3f} | {after / before:.2f} |")
    floor = statistics.median(samples[("history", "floor")])
    before, after = (statistics.median(samples[("history", label)]) for label in ("before", "after"))
    print(f"\nhistory floor (git cat-file --batch-all-objects --batch): {floor:.3f} s CPU; "
          f"before {before / floor:.2f}x the floor, after {after / floor:.2f}x")
    if args.peers:
        print_peer_ratios(samples)
    return 0


def peer_cpu(peer: NativeRun, target: Path) -> float:
    """A native peer's CPU seconds on `target` (NaN when it failed or timed out, with a line why)."""
    _wall, _rss, seconds, error = run_once(peer.command, target, peer.exits)
    if error:
        print(f"{peer.tool} on {target.name}: {error}", file=sys.stderr)
        return float("nan")
    return seconds


def print_peer_ratios(samples: dict[tuple[str, str], list[float]]) -> None:
    """Each install's median CPU over each peer's, measured in the same rounds: issue 15's bar is
    that the after column is no higher than the before column."""
    print("\n| workload | peer | peer CPU s (median) | before / peer | after / peer |")
    print("|---|---|---:|---:|---:|")
    for (name, tool), values in samples.items():
        if tool in ("before", "after", "floor"):
            continue
        succeeded = [value for value in values if value == value]  # NaN: a failed run
        if not succeeded:
            continue
        peer = statistics.median(succeeded)
        before, after = (statistics.median(samples[(name, label)]) for label in ("before", "after"))
        print(f"| {name} | {tool} | {peer:.2f} | {before / peer:.2f} | {after / peer:.2f} |")


if __name__ == "__main__":
    sys.exit(main())

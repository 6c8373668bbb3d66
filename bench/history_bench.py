"""History scan benchmark: `keystow scan --history` against the `git cat-file` floor.

    .venv/bin/python bench/history_bench.py [--commits 10000] [--runs 3] [--write]

Builds (once; reused afterwards) a deterministic repository under bench/work/history-repo with
`git fast-import`: a project of source files (Python, JavaScript, YAML, Markdown) that grows and
changes over N commits on a main branch plus a few feature branches, merges and tags, with a few
generated fake credentials planted and later removed. The same seed gives the same repository,
byte for byte. Then, in one run, it measures (median of --runs):

  floor     git cat-file --batch-all-objects --batch > /dev/null
  jobs=1    keystow scan --history --no-cache --jobs 1
  jobs=2    keystow scan --history --no-cache --jobs 2
  cached    keystow scan --history (second run, cache warm)

with peak RSS (largest single process, from /usr/bin/time -v) and MB/s of unique blob content
scanned, and prints a table with ratios against the floor. Unless --no-peers, the same table gets
the peers, run once each (they are slow): `detect-secrets scan --all-files` on a checked-out tree
of main's tip (bench/work/history-tree-N: one version of the files, not history) and CredSweeper
`--git` on the repository (all branches; stopped after 300 s) and on the checked-out tree, if
bench/work/credsweeper-venv exists, and the native scanners over the whole history: `gitleaks git`,
`betterleaks git` and `kingfisher scan --git-history full --no-validate`, each from its venv under
bench/work (bench/quality/run.py --install-peers), defaults, JSON report to a file.
`--write` puts the table into the
`history` slot of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # testing/: the fake credentials

from timing import run_as_installed  # noqa: E402

from testing.fakes import Fakes  # noqa: E402

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
KEYSTOW = [sys.executable, "-m", "keystow"]
SEED = 20240102

WORDS = ("user order invoice account payment session token cache client server request response "
         "config handler record item price total count index value result status error queue "
         "worker batch stream buffer parser schema report export import filter mapper").split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    parser.add_argument("--no-peers", action="store_true", help="skip the peers (detect-secrets, CredSweeper, natives)")
    args = parser.parse_args()
    run_as_installed()
    repo = WORK / f"history-repo-{args.commits}"
    if not (repo / "HEAD").exists():
        build_repository(repo, args.commits)
    rows = measure(repo, args.runs)
    if not args.no_peers:
        rows += measure_peers(repo)
    table = render(repo, rows, args.runs)
    print(table)
    if args.write:
        write_results(table)
    return 0


# --- the repository --------------------------------------------------------------------------

class Project:
    """Files as lists of lines, changed the way people change code: edits, additions, new files."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.files: dict[str, list[str]] = {}
        for index in range(120):
            self.new_file(index)

    def new_file(self, index: int) -> str:
        kind = self.rng.choice(("py", "py", "js", "yaml", "md"))
        folder = self.rng.choice(("app", "app/api", "app/models", "lib", "web/src", "deploy", "docs"))
        path = f"{folder}/{self.rng.choice(WORDS)}_{index}.{kind}"
        self.files[path] = [self.line(kind) for _ in range(self.rng.randint(40, 220))]
        return path

    def line(self, kind: str) -> str:
        w = self.rng.choice
        n = self.rng.randint(0, 9999)
        if kind == "py":
            return self.rng.choice((
                f"def {w(WORDS)}_{w(WORDS)}(self, {w(WORDS)}, {w(WORDS)}={n}):",
                f"    {w(WORDS)} = self.{w(WORDS)}.get('{w(WORDS)}', {n})",
                f"    if {w(WORDS)} is None or {w(WORDS)} > {n}:",
                f"        raise ValueError(f\"bad {w(WORDS)}: {{{w(WORDS)}!r}}\")",
                f"    return [{w(WORDS)} for {w(WORDS)} in {w(WORDS)}s if {w(WORDS)}.{w(WORDS)}]",
                f"    # {w(WORDS)} the {w(WORDS)} before the {w(WORDS)} is sent to the {w(WORDS)}",
                "",
            ))
        if kind == "js":
            return self.rng.choice((
                f"export function {w(WORDS)}{w(WORDS).title()}({w(WORDS)}, {w(WORDS)}) {{",
                f"  const {w(WORDS)} = await fetch(`/api/{w(WORDS)}/${{{w(WORDS)}}}`);",
                f"  if (!{w(WORDS)}.ok) throw new Error('{w(WORDS)} failed: ' + {n});",
                f"  return {w(WORDS)}.map(({w(WORDS)}) => {w(WORDS)}.{w(WORDS)} * {n});",
                "}", "",
            ))
        if kind == "yaml":
            return f"{'  ' * self.rng.randint(0, 3)}{w(WORDS)}_{w(WORDS)}: {self.rng.choice((n, w(WORDS), 'true'))}"
        return f"The {w(WORDS)} {w(WORDS)} keeps each {w(WORDS)} in {w(WORDS)} order ({n} at most)."

    def change(self) -> list[str]:
        """Edit 1–3 files (sometimes a new one); returns the changed paths."""
        if self.rng.random() < 0.03:
            return [self.new_file(len(self.files) + 1000)]
        changed = self.rng.sample(sorted(self.files), self.rng.randint(1, 3))
        for path in changed:
            lines, kind = self.files[path], path.rsplit(".", 1)[1]
            for _ in range(self.rng.randint(1, 6)):
                at = self.rng.randrange(len(lines) + 1)
                if self.rng.random() < 0.6 and at < len(lines):
                    lines[at] = self.line(kind)
                else:
                    lines.insert(at, self.line(kind))
        return changed


def build_repository(repo: Path, commits: int) -> None:
    """A bare repository from one deterministic `git fast-import` stream."""
    print(f"building {repo} ({commits} commits) with git fast-import ...", file=sys.stderr)
    repo.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, stdin=subprocess.PIPE)
    write = importer.stdin.write
    rng, fakes, project = random.Random(SEED), Fakes(SEED), Project(random.Random(SEED + 1))
    plants = {commits // 7: "aws", commits // 3: "github", commits // 2: "slack", (4 * commits) // 5: "stripe"}
    mark = 0
    main_head = feature_head = None
    for number in range(commits):
        changed = project.change()
        planted = plants.get(number)
        if planted:
            secret = {"aws": fakes.aws_access_key_id, "github": fakes.github_token,
                      "slack": fakes.slack_bot_token, "stripe": fakes.stripe_live_key}[planted]()
            path = changed[0]
            project.files[path].insert(3, f"API_KEY = \"{secret}\"  # temporary, remove before release")
        if number - 1 in plants:
            project.files[changed[0]] = [ln for ln in project.files[changed[0]] if "temporary, remove" not in ln]
        blobs = {}
        for path in changed:
            mark += 1
            data = ("\n".join(project.files[path]) + "\n").encode()
            write(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)) + data + b"\n")
            blobs[path] = mark
        branch = "refs/heads/main" if number % 50 else f"refs/heads/feature-{number // 50}"
        mark += 1
        when = 1_600_000_000 + number * 3600
        who = rng.choice(("Ada Lovelace <ada@example.invalid>", "Grace Hopper <grace@example.invalid>",
                          "Alan Turing <alan@example.invalid>"))
        message = f"{rng.choice(WORDS)}: update {', '.join(changed)}\n".encode()
        write(b"commit %s\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s"
              % (branch.encode(), mark, who.encode(), when, who.encode(), when, len(message), message))
        if main_head is not None:
            write(b"from :%d\n" % main_head)
        if branch == "refs/heads/main" and feature_head is not None and number % 50 == 1:
            write(b"merge :%d\n" % feature_head)  # the feature commit just before
        for path, blob in blobs.items():
            write(b"M 100644 :%d %s\n" % (blob, path.encode()))
        write(b"\n")
        if branch == "refs/heads/main":
            main_head = mark
        else:
            feature_head = mark
        if number % 1000 == 999:
            write(b"reset refs/tags/v%d\nfrom :%d\n\n" % (number // 1000, mark))
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "gc", "-q", "--aggressive" if commits <= 2000 else "--quiet"], cwd=repo, check=False)


# --- measuring -----------------------------------------------------------------------------

def timed(command: list[str], cwd: Path) -> tuple[float, int, bytes, float]:
    """Wall seconds, peak RSS in KiB (largest process, /usr/bin/time -v), stdout, and CPU
    seconds (user + system, children included: stabler than wall time on a shared machine)."""
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-v", *command], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    peak = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command} failed: {result.stderr.decode()[-2000:]}")
    cpu = sum(float(m) for m in re.findall(rb"(?:User|System) time \(seconds\): ([\d.]+)", result.stderr))
    return elapsed, int(peak.group(1)) if peak else 0, result.stdout, cpu


def measure(repo: Path, runs: int) -> list[dict]:
    warm = subprocess.run(
        [*KEYSTOW, "scan", "-"], input=b"warm-up\n", capture_output=True
    )  # Hyperscan DB into the cache
    if warm.returncode not in (0, 1):
        raise SystemExit(f"keystow does not run: {warm.stderr.decode()[-500:]}")
    floor_cmd = ["sh", "-c", "git cat-file --batch-all-objects --batch > /dev/null"]
    cases = [
        ("floor: git cat-file --batch-all-objects --batch", floor_cmd, None),
        (
            "keystow scan --history --no-cache --jobs 1",
            [*KEYSTOW, "scan", "--history", "--no-cache", "--jobs", "1", "--format", "json"],
            None,
        ),
        (
            "keystow scan --history --no-cache --jobs 2",
            [*KEYSTOW, "scan", "--history", "--no-cache", "--jobs", "2", "--format", "json"],
            None,
        ),
        ("keystow scan --history (cache warm)", [*KEYSTOW, "scan", "--history", "--format", "json"], "warm"),
    ]
    rows = []
    for label, command, prepare in cases:
        if prepare == "warm":
            subprocess.run([*KEYSTOW, "scan", "--history", "--format", "json"], cwd=repo, capture_output=True)
        samples = [timed(command, repo) for _ in range(runs)]
        seconds = statistics.median(s[0] for s in samples)
        summary = json.loads(samples[-1][2])["summary"] if samples[-1][2] else {}
        findings = json.loads(samples[-1][2])["summary"]["findings"] if samples[-1][2] else None
        rows.append({"label": label, "seconds": seconds, "peak_kib": max(s[1] for s in samples),
                     "cpu": statistics.median(s[3] for s in samples),
                     "scanned_bytes": summary.get("scanned_bytes"), "scanned_blobs": summary.get("scanned_blobs"),
                     "findings": findings})
    return rows


def measure_peers(repo: Path) -> list[dict]:
    """One run each: the peers take minutes, and they are the comparison, not the subject."""
    from peer_runs import (  # noqa: PLC0415 (bench/ sibling)
        credsweeper_rows,
        detect_secrets_row,
        native_history_rows,
    )

    detect_secrets = detect_secrets_row(repo)
    return ([detect_secrets] if detect_secrets else []) + credsweeper_rows(repo) + native_history_rows(repo)


def repo_facts(repo: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True).stdout.strip()

    commits = git("rev-list", "--all", "--count")
    blobs = git("cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)").splitlines()
    blob_sizes = [int(line.split()[1]) for line in blobs if line.startswith("blob")]
    return (f"{commits} commits, {len(blob_sizes)} unique blobs, {sum(blob_sizes) / 1e6:.1f} MB of blob content, "
            f"pack {git('count-objects', '-vH').split('size-pack: ')[-1].splitlines()[0]}")


def render(repo: Path, rows: list[dict], runs: int) -> str:
    floor, floor_cpu = rows[0]["seconds"], rows[0]["cpu"]
    lines = [
        f"Repository: `{repo.relative_to(HERE.parent)}` — {repo_facts(repo)}.",
        f"Command: `.venv/bin/python bench/history_bench.py --write` (median of {runs} runs, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end, "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}).",
        "",
        "| measurement | wall s | × floor | CPU s | CPU × floor | MB/s scanned | blobs scanned | findings | peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        rate = (f"{row['scanned_bytes'] / 1e6 / row['seconds']:.1f}"
                if row.get("scanned_bytes") else "—")
        more = "> " if row["cpu"] != row["cpu"] else ""  # CPU is NaN when a peer was stopped: a lower bound
        cpu = "—" if more else f"{row['cpu']:.2f}"
        cpu_ratio = "—" if more else f"{row['cpu'] / floor_cpu:.2f}"
        peak = f"{row['peak_kib'] / 1024:.0f} MiB" if row["peak_kib"] else "—"
        lines.append(f"| {row['label']} | {more}{row['seconds']:.2f} | {more}{row['seconds'] / floor:.2f} | "
                     f"{cpu} | {cpu_ratio} | {rate} | "
                     f"{row['scanned_blobs'] if row['scanned_blobs'] is not None else '—'} | "
                     f"{row['findings'] if row['findings'] is not None else '—'} | "
                     f"{peak} |")
    return "\n".join(lines)


NOTES = """
How to read it. The repository is generated (see the top of `bench/history_bench.py`: a
deterministic `git fast-import` stream, 10,000 commits on main plus feature branches, merges and
tags; rebuild with `rm -rf bench/work && .venv/bin/python bench/history_bench.py`). "CPU s" is
user + system time of the command and every process it waited for (git included); on this shared
machine, where the load average is far above the core count, it is the steadier comparison.
Peak RSS is the largest single process (`/usr/bin/time -v`); with `--jobs 2` each worker stays
well below the parent.

Where the time goes (cProfile and getrusage of `scan_history` on the same repository, `--jobs 1`,
168 rules): git's own CPU (the `git log --raw` pass plus `git cat-file` inflating each blob) is
about 1.5 s, the whole floor; keystow's Python about 1.9 s: the rules' regex confirm on Hyperscan
hits (~0.75 s, mostly generic assignment rules firing on code), `Database.scan` (~0.65 s),
reading the pipe, binary sniffing and bookkeeping (~0.3 s). keystow's own per-blob overhead is
small; what grows is the rule set. The `git log` pass runs as the id source of `cat-file` (in its
writer thread), so both git processes overlap with scanning. Wall times swing with the load of
the shared machine (the floor itself ranged 2–5 s between runs); compare the CPU columns.

`--jobs`: on these 2 cores `--jobs 2` is at best slightly faster than `--jobs 1` in wall time and
always costs more CPU: one core is busy with `git cat-file`, and workers add pickling and process
start-up. So the default is cores − 1 workers (1 here, in-process), and without an explicit
`--jobs` workers start only after the first 2,000 blobs. The cached re-run reads no blob; what
remains is the `git log` pass and start-up.
"""


def write_results(table: str) -> None:
    path = HERE / "RESULTS.md"
    text = path.read_text()
    start, end = "<!-- section:history -->", "<!-- /section:history -->"
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    path.write_text(f"{before}{start}\n{table}\n{NOTES}{end}{after}")


if __name__ == "__main__":
    sys.exit(main())

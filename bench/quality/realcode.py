"""False alarms on real code: every scanner over large installed code bases, per 100 MB.

    .venv/bin/python bench/quality/realcode.py [--tools keystow,gitleaks,...] [--show keystow] [--no-npm]

Third-party packages hold documentation examples, test fixtures and API models full of names like
`password` and `token`, and no live credential of ours; every finding here is a false alarm or a
published example value. Two trees, each copied to its own git repository under bench/work/realcode/
(bench/work/ is ignored by keystow's own repository, and git-aware scanners would skip it):

- `site-packages`: text files under 2 MB (.py .json .yaml .toml .cfg .ini .md .txt) of the project
  venv's installed packages (botocore, moto, cfn-lint, pygments, ...);
- `node_modules`: text files under 2 MB (.js .cjs .mjs .ts .json .md .yml) of a large npm install
  (`npm install --prefix bench/work/npm-big typescript webpack eslint @babel/core aws-sdk lodash
  moment rxjs`, made on first use unless --no-npm).

A finding is a distinct (file, line), the same unit as the labelled benchmark; the count per
100 MB of scanned text makes trees of different sizes comparable. `--show TOOL` lists TOOL's
findings (file:line only, never the value).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tools import TOOLS, WORK, ToolMissing  # noqa: E402

TREES = WORK / "realcode"
NPM_PREFIX = WORK / "npm-big"
NPM_PACKAGES = ["typescript", "webpack", "eslint", "@babel/core", "aws-sdk", "lodash", "moment", "rxjs"]
PY_SUFFIXES = {".py", ".json", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".md", ".txt"}
JS_SUFFIXES = {".js", ".cjs", ".mjs", ".ts", ".json", ".md", ".yml", ".yaml"}
MAX_FILE = 2_000_000
# secretlint walks the tree in Node and needs minutes on 300 MB: it is left to the labelled run.
DEFAULT_TOOLS = ["keystow", "gitleaks", "betterleaks", "kingfisher", "credsweeper", "detect-secrets"]


def copy_tree(source: Path, target: Path, suffixes: set[str]) -> int:
    """Copy the text files of `source` into a fresh git repository at `target`; bytes copied."""
    if target.exists():
        shutil.rmtree(target)
    total = 0
    for path in sorted(source.rglob("*")):
        if path.suffix in suffixes and path.is_file() and not path.is_symlink() and path.stat().st_size < MAX_FILE:
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            total += path.stat().st_size
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    return total


def node_modules() -> Path | None:
    modules = NPM_PREFIX / "node_modules"
    if not modules.exists():
        NPM_PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NPM_PREFIX), *NPM_PACKAGES],
                       check=False, capture_output=True)
    return modules if modules.exists() else None


def trees(with_npm: bool) -> dict[str, tuple[Path, int]]:
    made = {"site-packages": (TREES / "site-packages", copy_tree(Path(sysconfig.get_paths()["purelib"]),
                                                                 TREES / "site-packages", PY_SUFFIXES))}
    modules = node_modules() if with_npm else None
    if modules is not None:
        made["node_modules"] = (TREES / "node_modules", copy_tree(modules, TREES / "node_modules", JS_SUFFIXES))
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    parser.add_argument("--show", metavar="TOOL", help="list TOOL's findings (file:line)")
    parser.add_argument("--no-npm", action="store_true", help="only the Python packages")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    made = trees(not args.no_npm)
    names = args.tools.split(",")
    rows = [["tool", *(f"{tree} ({size / 1e6:.0f} MB)" for tree, (_, size) in made.items()),
             "all, per 100 MB", "time"]]
    shown: dict[str, set] = {}
    for name in names:
        started, cells, total, total_size = time.perf_counter(), [], 0, 0
        try:
            for tree, (root, size) in made.items():
                found = TOOLS[name](root)
                shown[f"{name}:{tree}"] = found
                cells.append(f"{len(found)} ({len(found) * 1e8 / size:.1f}/100 MB)")
                total, total_size = total + len(found), total_size + size
        except ToolMissing as exc:
            print(f"{name}: {exc}")
            continue
        rows.append([name, *cells, f"{total * 1e8 / total_size:.1f}", f"{time.perf_counter() - started:.0f} s"])
    print(_table(rows, args.markdown))
    if args.show:
        for key, found in shown.items():
            if key.startswith(args.show + ":"):
                by_file = Counter(path.split("/")[0] for path, _ in found)
                print(f"\n{key}: {len(found)} findings; by top-level directory: {by_file.most_common(15)}")
                for path, line in sorted(found):
                    print(f"  {path}:{line}")
    return 0


def _table(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        head, *body = rows
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


if __name__ == "__main__":
    sys.exit(main())

"""False alarms on real code: keystow over a copy of the project venv's installed packages.

    .venv/bin/python bench/quality/realcode.py [--show]

Third-party packages hold documentation examples, test fixtures and API models full of names like
`password` and `token`, and no live credential of ours; every finding here is a false alarm or a
published example value. The copy (text files under 2 MB: .py .json .yaml .toml .cfg .ini .md .txt)
goes to bench/work/realcode/; `--show` lists the findings, redacted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import sysconfig
from collections import Counter
from pathlib import Path

WORK = Path(__file__).resolve().parents[1] / "work" / "realcode"
SUFFIXES = {".py", ".json", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".md", ".txt"}


def copy_packages(target: Path) -> int:
    source = Path(sysconfig.get_paths()["purelib"])
    if target.exists():
        shutil.rmtree(target)
    total = 0
    for path in sorted(source.rglob("*")):
        if path.suffix in SUFFIXES and path.is_file() and path.stat().st_size < 2_000_000:
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            total += path.stat().st_size
    # Its own repository: bench/work/ is ignored by keystow's, and a git-aware scan would skip it.
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    size = copy_packages(WORK)
    keystow = Path(sys.executable).parent / "keystow"
    result = subprocess.run([str(keystow), "scan", ".", "--format", "json", "--no-baseline"], cwd=WORK,
                            capture_output=True, text=True)
    findings = json.loads(result.stdout)["findings"]
    print(f"{size / 1e6:.0f} MB of installed packages: {len(findings)} findings")
    for rule_id, count in Counter(f["rule_id"] for f in findings).most_common():
        print(f"  {count:4d}  {rule_id}")
    if args.show:
        for f in findings:
            print(f"  {f['path']}:{f['line']}  {f['rule_id']}  {f['secret']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

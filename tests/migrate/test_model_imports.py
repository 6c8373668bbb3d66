"""The migrate model has no import cycle: plan builds on grouping and sites, which share only
the data in model.py, and none of them hides an import inside a function."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import keystow.migrate

PACKAGE = Path(keystow.migrate.__file__).parent
MODULES = ("model", "grouping", "sites", "plan")


def imports(module: str) -> list[tuple[str, bool]]:
    """(imported keystow module, at module level?) for each import in keystow.migrate.<module>."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("keystow"):
            found.append((node.module, id(node) in top))
        elif isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names if alias.name.startswith("keystow")]
    return found


@pytest.mark.parametrize("module", MODULES)
def test_keystow_imports_are_at_module_top(module):
    assert [name for name, at_top in imports(module) if not at_top] == []


def test_only_plan_imports_grouping_and_sites_and_model_imports_none_of_them():
    siblings = {f"keystow.migrate.{m}" for m in MODULES}
    uses = {m: {name for name, _ in imports(m)} & siblings for m in MODULES}
    assert uses == {"model": set(), "grouping": {"keystow.migrate.model"}, "sites": {"keystow.migrate.model"},
                    "plan": {"keystow.migrate.model", "keystow.migrate.grouping", "keystow.migrate.sites"}}


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_first_in_a_fresh_interpreter(module):
    """With a cycle, importing the 'wrong' module first fails or needs function-level imports."""
    subprocess.run([sys.executable, "-c", f"import keystow.migrate.{module}"], check=True)

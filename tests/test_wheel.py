"""The wheel users install: the rules and their schema are in it; test support, demo and tool
code are not. Built from a copy of the source tree, so a stale build/ in the checkout (setuptools
keeps deleted modules there) can neither hide nor cause a problem."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.helpers import REPO_ROOT

SOURCE = REPO_ROOT / "src" / "keystow"


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> list[str]:
    tree, out = tmp_path_factory.mktemp("tree"), tmp_path_factory.mktemp("wheel")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (REPO_ROOT / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, tree / name)
    build = [sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "-q", "-w", str(out)]
    result = subprocess.run(build, capture_output=True)
    if result.returncode != 0:  # no index for the isolated build environment: use what is installed
        result = subprocess.run([*build, "--no-build-isolation"], capture_output=True)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    [wheel] = out.glob("keystow-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_rules_and_schema_are_package_data(wheel_names):
    rules = {f"keystow/rules/{p.name}" for p in (SOURCE / "rules").glob("*.yaml")}
    assert len(rules) > 10 and rules <= set(wheel_names)
    assert "keystow/rules/rule.schema.json" in wheel_names


def test_every_product_module_and_nothing_else(wheel_names):
    modules = {f"keystow/{p.relative_to(SOURCE).as_posix()}" for p in SOURCE.rglob("*.py")
               if "__pycache__" not in p.parts}
    packaged = {n for n in wheel_names if n.endswith(".py")}
    assert packaged == modules
    assert {n.split("/", 1)[0] for n in wheel_names} == {"keystow", "keystow-0.1.0.dist-info"}


def test_no_test_support_demo_or_tools(wheel_names):
    assert not [n for n in wheel_names if n.split("/")[0] in ("tests", "testing", "tools", "demo", "bench", "fuzz")]
    assert not [n for n in wheel_names if any(word in n for word in ("fakes", "local_moto", "demo", "crashpoint",
                                                                      "slow_tasks", "conftest", "test_"))]

"""Scans of plain (non-git) directories: a config planted in a shared parent directory, and an
ignore file that hides everything, must not turn a scan into a silent clean result."""

from __future__ import annotations

import os

import pytest

from testing.fakes import Fakes
from tests.helpers import run_keystow

NOBODY = 65534


@pytest.fixture
def shared_parent(tmp_path):
    """A world-writable directory (like /tmp) with a project below it holding a leak."""
    parent = tmp_path / "shared"
    project = parent / "project"
    project.mkdir(parents=True)
    parent.chmod(0o1777)
    (project / "app.py").write_text(f'TOKEN = "{Fakes(101).github_token()}"\n')
    return parent, project


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to create a file owned by another user")
def test_parent_config_owned_by_another_user_is_not_applied(shared_parent):
    parent, project = shared_parent
    planted = parent / ".keystow.toml"
    planted.write_text('allow_paths = ["**"]\ndisabled_rules = ["github-pat"]\n')
    os.chown(planted, NOBODY, NOBODY)
    result = run_keystow("scan", ".", cwd=project)
    assert result.returncode == 1, result.stderr.decode()
    assert f"{planted}: not applied: owned by another user" in result.stderr.decode()


def test_parent_config_owned_by_the_user_is_applied(shared_parent):
    parent, project = shared_parent
    (parent / ".keystow.toml").write_text('allow_paths = ["**"]\n')
    result = run_keystow("scan", ".", cwd=project)
    assert result.returncode == 0, result.stderr.decode()
    assert b"not applied" not in result.stderr


def test_gitignore_hiding_everything_says_nothing_was_scanned(shared_parent):
    _, project = shared_parent
    (project / ".gitignore").write_text("*\n")
    result = run_keystow("scan", ".", cwd=project)
    assert result.returncode == 0
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keystow: nothing was scanned: ")
    assert "ignored by .gitignore" in lines[0]


def test_file_named_on_the_command_line_is_scanned_despite_an_ignore_file(shared_parent):
    _, project = shared_parent
    (project / ".gitignore").write_text("*\n")
    result = run_keystow("scan", "app.py", cwd=project)
    assert result.returncode == 1
    assert "app.py: scanned although" in result.stderr.decode() and ".gitignore ignores it" in result.stderr.decode()

"""A scanned repository's config must not choose files outside the repository for keystow to read
or write, nor make a read run forever. Each test reproduces the attack first."""

from __future__ import annotations

import json
import os

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow


def one_error_line(result) -> str:
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    return lines[0]


@pytest.fixture
def leaky_repo(repo):
    commit_file(repo, "app.py", f'TOKEN = "{Fakes(81).github_token()}"\n')
    return repo


@pytest.mark.parametrize("command", [("baseline", "create"), ("baseline", "update"), ("baseline", "prune")])
def test_configured_baseline_outside_the_repository_is_refused(leaky_repo, tmp_path, command):
    profile = tmp_path / "home" / ".bash_profile"
    profile.parent.mkdir()
    profile.write_text("export EDITOR=vi\n")
    commit_file(leaky_repo, ".keystow.toml", f'baseline = "{profile}"\n')
    result = run_keystow(*command, cwd=leaky_repo)
    assert result.returncode == 2
    assert "is outside the repository" in one_error_line(result)
    assert profile.read_text() == "export EDITOR=vi\n"


def test_configured_baseline_escaping_with_dotdot_or_a_link_is_refused(leaky_repo, tmp_path):
    victim = tmp_path / "victim.json"
    victim.write_text("{}\n")
    commit_file(leaky_repo, ".keystow.toml", 'baseline = "../victim.json"\n')
    result = run_keystow("baseline", "create", cwd=leaky_repo)
    assert result.returncode == 2 and "outside the repository" in one_error_line(result)
    commit_file(leaky_repo, ".keystow.toml", 'baseline = "accepted.json"\n')
    os.symlink(victim, leaky_repo / "accepted.json")
    for command in (("baseline", "update"), ("scan", ".")):
        result = run_keystow(*command, cwd=leaky_repo)
        assert result.returncode == 2 and "outside the repository" in one_error_line(result)
    assert victim.read_text() == "{}\n"


def test_configured_baseline_import_outside_is_refused(leaky_repo, tmp_path):
    profile = tmp_path / ".bash_profile"
    profile.write_text("x\n")
    source = leaky_repo / ".gitleaksignore"
    source.write_text("")
    commit_file(leaky_repo, ".keystow.toml", f'baseline = "{profile}"\n')
    result = run_keystow("baseline", "import", str(source), cwd=leaky_repo)
    assert result.returncode == 2 and "outside the repository" in one_error_line(result)
    assert profile.read_text() == "x\n"


def test_baseline_named_on_the_command_line_stays_free(leaky_repo, tmp_path):
    chosen = tmp_path / "elsewhere" / "baseline.json"
    chosen.parent.mkdir()
    result = run_keystow("baseline", "create", "--baseline", str(chosen), cwd=leaky_repo)
    assert result.returncode == 0, result.stderr.decode()
    assert len(json.loads(chosen.read_text())["entries"]) == 1
    assert run_keystow("scan", "--baseline", str(chosen), ".", cwd=leaky_repo).returncode == 0


def test_configured_baseline_inside_the_repository_works(leaky_repo):
    commit_file(leaky_repo, ".keystow.toml", 'baseline = "security/accepted.json"\n')
    (leaky_repo / "security").mkdir()
    assert run_keystow("baseline", "create", cwd=leaky_repo).returncode == 0
    assert (leaky_repo / "security" / "accepted.json").is_file()
    assert run_keystow("scan", ".", cwd=leaky_repo).returncode == 0


@pytest.mark.parametrize("target", ["/dev/zero", "../outside.yaml"])
def test_extra_rules_outside_the_repository_are_refused(leaky_repo, tmp_path, target):
    (tmp_path / "outside.yaml").write_text("rules: []\n")
    commit_file(leaky_repo, ".keystow.toml", f'extra_rules = ["{target}"]\n')
    result = run_keystow("scan", ".", cwd=leaky_repo)
    assert result.returncode == 2
    assert "extra_rules" in one_error_line(result) and "outside the repository" in one_error_line(result)


def test_extra_rules_inside_the_repository_are_read_bounded(leaky_repo):
    os.mkfifo(leaky_repo / "rules.yaml")  # a read that would never end
    commit_file(leaky_repo, ".keystow.toml", 'extra_rules = ["rules.yaml"]\n')
    result = run_keystow("scan", ".", cwd=leaky_repo)
    assert result.returncode == 2
    assert "rules.yaml is not a regular file" in one_error_line(result)


def test_extra_rules_from_config_named_on_the_command_line_stay_free(leaky_repo, tmp_path):
    rules = tmp_path / "team-rules.yaml"
    rules.write_text("rules: []\n")
    config = tmp_path / "team.toml"
    config.write_text(f'extra_rules = ["{rules}"]\n')
    result = run_keystow("scan", "--config", str(config), ".", cwd=leaky_repo)
    assert result.returncode == 1, result.stderr.decode()


def test_hook_install_does_not_read_a_planted_hook_link_forever(repo, tmp_path):
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=/usr/bin\n")
    hooks = repo / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    os.symlink("/dev/zero", hooks / "pre-commit")
    os.symlink(victim, hooks / "pre-push")
    result = run_keystow("hook", "install", "--pre-push", cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    assert not (hooks / "pre-commit").is_symlink() and not (hooks / "pre-push").is_symlink()
    assert victim.read_text() == "export PATH=/usr/bin\n"  # replaced the link, never wrote through it
    assert os.readlink(hooks / "pre-commit.legacy") == "/dev/zero"

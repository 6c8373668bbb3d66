"""`keystow hook install|uninstall` through real `git commit` and `git push`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow


def _commit(repo: Path, name: str, text: str, *flags: str) -> subprocess.CompletedProcess:
    (repo / name).write_text(text)
    git(repo, "add", name)
    return subprocess.run(["git", "commit", "-m", f"add {name}", *flags], cwd=repo, capture_output=True, text=True)


def _install(repo: Path, *args: str) -> None:
    result = run_keystow("hook", "install", *args, cwd=repo)
    assert result.returncode == 0, result.stderr


def placeholder_key() -> str:
    """Shaped like an AWS key id but ending in EXAMPLE, as AWS's documentation keys do."""
    return Fakes(3).aws_access_key_id()[:13] + "EXAMPLE"


def test_commit_with_a_secret_is_blocked_with_a_readable_message(repo):
    commit_file(repo, "README", "hello\n")
    _install(repo)
    blocked = _commit(repo, "app.py", f'x = 1\nTOKEN = "{Fakes(1).github_token()}"\n')
    assert blocked.returncode != 0
    output = blocked.stdout + blocked.stderr
    assert "app.py" in output and "2:" in output and "github-classic-pat" in output and "keystow:allow" in output
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"


def test_clean_commit_and_placeholder_pass(repo):
    _install(repo)
    assert _commit(repo, "ok.py", "x = 1\n").returncode == 0
    assert _commit(repo, "docs.md", f"aws_access_key_id = {placeholder_key()}\n").returncode == 0
    allowed = f'TOKEN = "{Fakes(2).github_token()}"  # keystow:allow\n'
    assert _commit(repo, "fixture.py", allowed).returncode == 0


def test_existing_hook_is_kept_chained_and_restored(repo):
    hooks = repo / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    legacy = hooks / "pre-commit"
    legacy.write_text("#!/bin/sh\necho legacy ran >> \"$(git rev-parse --git-dir)/legacy.log\"\nexit 0\n")
    legacy.chmod(0o755)
    _install(repo)
    _install(repo)  # reinstall: our own hook is never taken for someone else's
    assert (hooks / "pre-commit.legacy").read_text().startswith("#!/bin/sh\necho legacy")
    assert _commit(repo, "ok.py", "x = 1\n").returncode == 0
    assert (repo / ".git" / "legacy.log").read_text() == "legacy ran\n"
    assert _commit(repo, "leak.py", f'T = "{Fakes(4).github_token()}"\n').returncode != 0
    (hooks / "pre-commit.legacy").write_text("#!/bin/sh\necho legacy says no >&2\nexit 3\n")
    vetoed = _commit(repo, "ok2.py", "y = 2\n")
    assert vetoed.returncode != 0 and "legacy says no" in vetoed.stderr
    assert run_keystow("hook", "uninstall", cwd=repo).returncode == 0
    assert "legacy says no" in (hooks / "pre-commit").read_text()
    assert not (hooks / "pre-commit.legacy").exists()


def test_foreign_hook_with_legacy_taken_needs_force(repo):
    hooks = repo / ".git" / "hooks"
    for name in ("pre-commit", "pre-commit.legacy"):
        (hooks / name).write_text("#!/bin/sh\nexit 0\n")
    refused = run_keystow("hook", "install", cwd=repo)
    assert refused.returncode == 2 and b"--force" in refused.stderr
    _install(repo, "--force")
    assert "keystow-hook-marker" in (hooks / "pre-commit").read_text()


def test_core_hooks_path_is_honoured(repo):
    git(repo, "config", "core.hooksPath", ".githooks")
    _install(repo)
    assert (repo / ".githooks" / "pre-commit").is_file()
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()
    assert _commit(repo, "leak.py", f'T = "{Fakes(5).github_token()}"\n').returncode != 0
    run_keystow("hook", "uninstall", cwd=repo)
    assert not (repo / ".githooks" / "pre-commit").exists()


def test_pre_push_blocks_a_pushed_secret_and_lets_clean_pushes_through(repo, remote):
    _install(repo, "--pre-push")
    assert _commit(repo, "ok.py", "x = 1\n").returncode == 0
    push = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo, capture_output=True, text=True)
    assert push.returncode == 0, push.stderr
    # a secret committed with --no-verify still cannot leave the machine
    assert _commit(repo, "leak.py", f'T = "{Fakes(6).github_token()}"\n', "--no-verify").returncode == 0
    blocked = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo, capture_output=True, text=True)
    assert blocked.returncode != 0 and "leak.py" in blocked.stdout + blocked.stderr
    assert git(remote, "rev-list", "--count", "main").strip() == "1"
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    assert _commit(repo, "ok2.py", "y = 2\n").returncode == 0
    push = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo, capture_output=True, text=True)
    assert push.returncode == 0, push.stderr


def test_hook_reports_only_findings_not_in_the_baseline(repo):
    _install(repo)
    (repo / "fixture.py").write_text(f'T = "{Fakes(7).github_token()}"\n')
    assert run_keystow("baseline", "create", cwd=repo).returncode == 0
    git(repo, "add", ".keystow-baseline.json")
    assert _commit(repo, "fixture.py", (repo / "fixture.py").read_text()).returncode == 0
    assert _commit(repo, "new.py", f'T = "{Fakes(8).github_token()}"\n').returncode != 0


# Modules the hook must not import on its warm path: each cost every commit milliseconds
# (dataclasses builds classes with exec and imports inspect; ~30 ms of a ~130 ms hook). A
# structural check, not a timing test: it fails when an import creeps back, whatever the load.
HEAVY_FOR_THE_HOOK = (
    "dataclasses",
    "inspect",
    "click",
    "yaml",
    "json",
    "jsonschema",
    "base64",
    "datetime",
    "platformdirs",
    "rich",
)


def test_the_hooks_warm_path_stays_free_of_heavy_imports(repo):
    (repo / "ok.py").write_text("x = 1\n")
    git(repo, "add", "ok.py")
    probe = ("import sys\nfrom keystow.cli.hook_entry import main\ncode = main(['pre-commit'])\n"
             f"print(code, sorted(m for m in {HEAVY_FOR_THE_HOOK!r} if m in sys.modules))\n")
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=repo, capture_output=True, text=True) for _ in range(2)]
    assert runs[1].returncode == 0, runs[1].stderr
    assert runs[1].stdout.strip().splitlines()[-1] == "0 []"  # the second run: caches warm


def test_pre_push_to_a_second_remote_scans_what_only_the_first_has(repo, remote, tmp_path):
    """A secret pushed to an internal `origin` (here with --no-verify) must not reach a public
    mirror unscanned: only the remote pushed to counts as already having a commit."""
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "init", "-q", "--bare", str(mirror)], check=True)
    git(repo, "remote", "add", "public", str(mirror))
    _install(repo, "--pre-push")
    assert _commit(repo, "leak.py", f'T = "{Fakes(9).github_token()}"\n', "--no-verify").returncode == 0
    internal = subprocess.run(["git", "push", "-q", "--no-verify", "origin", "main"], cwd=repo, capture_output=True)
    assert internal.returncode == 0
    public = subprocess.run(["git", "push", "-q", "public", "main"], cwd=repo, capture_output=True, text=True)
    assert public.returncode != 0 and "leak.py" in public.stdout + public.stderr
    assert subprocess.run(["git", "rev-parse", "-q", "--verify", "main"], cwd=mirror).returncode != 0
    assert _commit(repo, "ok.py", "x = 1\n").returncode == 0
    again = subprocess.run(["git", "push", "-q", "origin", "main"], cwd=repo, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr  # origin already has the old commit

"""The pre-commit hook's quick path (keystow.pipeline.quick_staged) against the full scan, in
real repositories: the same words on stdout and the same exit code, whichever path answered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow

# What the quick path must not import: the scanner, the matcher's database, the rules' pickle,
# and the standard modules behind most of the full path's start-up.
# `re` too on CPython 3.11+, where the index holds each rule's compiled code: the generic rules'
# keywords (`token`, `password`) occur in CLEAN, and their regexes run without re's compiler.
FULL_PATH_MODULES = ("keystow.detect.scanner", "keystow.commands.scan", "hyperscan", "pickle", "subprocess",
                     "typing", "pathlib", *(("re",) if sys.version_info >= (3, 11) else ()))
PROBE = ("import sys\nfrom keystow.cli.hook_entry import main\ncode = main(['pre-commit'])\n"
         f"print(code, sorted(m for m in {FULL_PATH_MODULES!r} if m in sys.modules))\n")


def _hook(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keystow.cli.hook_entry", "pre-commit"], cwd=repo,
                          capture_output=True)


def _full_scan(repo: Path) -> subprocess.CompletedProcess:
    return run_keystow("scan", "--staged", "--engine", "hyperscan", cwd=repo)


def _stage(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", *files)


def _probe(repo: Path) -> str:
    run = subprocess.run([sys.executable, "-c", PROBE], cwd=repo, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip().splitlines()[-1]


def _same_answer(repo: Path) -> subprocess.CompletedProcess:
    hook, full = _hook(repo), _full_scan(repo)
    assert (hook.returncode, hook.stdout) == (full.returncode, full.stdout)
    return hook


CLEAN = {
    "app/handler.py": "def handler(event):\n    return {'status': 200, 'token': os.environ['API_TOKEN']}\n",
    "README.md": "Set `password` in your environment; see docs/setup.md.\n",
    "config/settings.yaml": "retries: 3\ntimeout: 30\n",
}


def test_a_small_clean_commit_is_answered_without_the_full_scan(repo):
    commit_file(repo, "base.txt", "base\n")
    _stage(repo, CLEAN)
    _full_scan(repo)  # the full path writes the rule index the quick path reads
    assert _probe(repo) == "0 []"
    hook = _same_answer(repo)
    assert hook.stdout.decode().startswith("No secrets found (scanned 3 blobs, ")


def test_a_small_commit_with_secrets_finds_what_hyperscan_finds(repo):
    commit_file(repo, "base.txt", "base\n")
    fakes = Fakes(18)
    _stage(repo, {**CLEAN,
                  "deploy/ci.py": f'GITHUB = "{fakes.github_token()}"\nAWS_ID = "{fakes.aws_access_key_id()}"\n',
                  "tests/fixture.env": f"AWS_SECRET_ACCESS_KEY={fakes.aws_secret_access_key()}\n"})
    _full_scan(repo)
    hook = _same_answer(repo)
    assert hook.returncode == 1
    assert b"deploy/ci.py" in hook.stdout and b"tests/fixture.env" in hook.stdout


def test_a_config_or_a_baseline_sends_the_commit_to_the_full_scan(repo):
    commit_file(repo, "base.txt", "base\n")
    _stage(repo, CLEAN)
    _full_scan(repo)
    (repo / ".keystow.toml").write_text('disabled_rules = ["no-such-rule"]\n')
    hook = _same_answer(repo)
    assert b"no-such-rule" in hook.stderr  # the full path's notice about the config
    (repo / ".keystow.toml").unlink()
    (repo / "pyproject.toml").write_text("[tool.keystow]\nstopwords = ['example']\n")
    assert _probe(repo) != "0 []"
    (repo / "pyproject.toml").write_text("[project]\nname = 'app'\n")  # no keystow table: quick again
    assert _probe(repo) == "0 []"
    assert run_keystow("baseline", "create", cwd=repo).returncode == 0
    assert (repo / ".keystow-baseline.json").exists()
    assert _probe(repo) != "0 []"  # a baseline's expiry notices come from the full path
    _same_answer(repo)


def test_the_quick_path_reads_the_temporary_index_of_commit_a(repo):
    """`git commit -a` runs the hook against a temporary index (GIT_INDEX_FILE)."""
    commit_file(repo, "app.py", "x = 1\n")
    (repo / "app.py").write_text(f'TOKEN = "{Fakes(19).github_token()}"\n')
    _full_scan(repo)
    git(repo, "config", "core.hooksPath", ".hooks")
    run_keystow("hook", "install", cwd=repo)
    commit = subprocess.run(["git", "commit", "-qam", "change"], cwd=repo, capture_output=True)
    assert commit.returncode != 0 and b"app.py" in commit.stdout + commit.stderr

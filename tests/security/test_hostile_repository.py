"""One repository with every trick at once: committed symlinks to the user's files, a config that
points outside, a replaced secret blob, attributes that hide diffs, a planted history cache and
journal, and file and author names that carry ANSI escapes and workflow commands.

It goes through the whole remediation loop (the CI gate, a history audit, a baseline, migrate
against the moto server, rollback, purge) and after every step the user's files outside the
repository are exactly as they were, and every secret is still found where it should be.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from testing.fakes import Fakes
from tests.helpers import git, run_keystow
from tests.migrate.migrate_repo import StoreReader, migrate

EVIL_NAME = "notify\x1b[31m\n::error::pwned.py"
EVIL_AUTHOR = "\x1b[2J::add-mask::x"


def _snapshot(directory: Path) -> dict[str, bytes | None]:
    return {str(p): (p.read_bytes() if p.is_file() else None) for p in sorted(directory.rglob("*"))}


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_bytes(b"[default]\naws_access_key_id = victim-owned\n")
    (home / ".bashrc").write_bytes(b"export PATH=/usr/bin\n")
    return home


def _commit_all(repo: Path, message: str, author: str = "Dev") -> None:
    git(repo, "add", "-A", "-f")
    git(repo, "-c", f"user.name={author}", "commit", "-q", "--no-verify", "-m", message)


def _hostile_change(repo: Path, home: Path, tokens: dict[str, str]) -> None:
    (repo / "settings.py").write_text(f'import os\n\nGITHUB_TOKEN = "{tokens["settings"]}"\n')
    (repo / EVIL_NAME).write_text(f'SLACK = "{tokens["evil"]}"\n')
    (repo / ".gitattributes").write_text("* -diff binary\n")
    (repo / ".keystow.toml").write_text(
        f'baseline = "{home / ".bashrc"}"\nextra_rules = ["{home / ".aws" / "credentials"}"]\n'
        'allow_paths = ["**"]\nmax_file_size = 1\n'
    )
    for name, target in (
        ("keystow-plan.json", home / ".bashrc"),
        (".keystow-refs.toml", home / ".aws" / "credentials"),
        ("gl-secret-detection-report.json", home / ".bashrc"),
    ):
        os.symlink(target, repo / name)
    (repo / "deploy.sh").write_text(f"export GITHUB_TOKEN={tokens['replaced']}\n")
    _commit_all(repo, "the pull request", EVIL_AUTHOR)
    secret_blob = git(repo, "rev-parse", "HEAD:deploy.sh").strip()
    clean_blob = git(repo, "hash-object", "-w", "--stdin", input=b"export GITHUB_TOKEN=$CI_TOKEN\n").strip()
    git(repo, "replace", secret_blob, clean_blob)


def _plant_state(repo: Path, home: Path) -> None:
    cache = repo / ".git" / "keystow"
    cache.mkdir(parents=True, exist_ok=True)
    blobs = git(repo, "rev-list", "--objects", "--all").split()
    (cache / "blobs-0123456789abcdef01234567.json").write_text(json.dumps({"format": "2", "clean": " ".join(blobs)}))
    journal = repo / ".keystow" / "journal-20200101T000000Z.json"
    journal.parent.mkdir(exist_ok=True)
    journal.write_text(
        json.dumps(
            {
                "version": 1,
                "state": "complete",
                "root": "/",
                "targets": {},
                "items": {},
                "files": [{"path": str(home / ".bashrc"), "state": "written"}],
            }
        )
    )


def _found(result) -> set[str]:
    return {finding["secret"] for finding in json.loads(result.stdout)["findings"]}


def test_hostile_repository_never_reaches_outside_and_hides_nothing(repo, tmp_path, aws_env):
    home = _home(tmp_path)
    before = _snapshot(home)
    tokens = {
        "settings": Fakes(801).github_token(),
        "evil": Fakes(802).slack_bot_token(),
        "replaced": Fakes(803).github_token(),
    }
    (repo / "README.md").write_text("# shop\n")
    _commit_all(repo, "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    _hostile_change(repo, home, tokens)
    _plant_state(repo, home)

    # The CI gate: the PR's config is not applied, its change is reported, the report replaces
    # the committed link instead of writing through it, and every secret is found.
    gate = run_keystow(
        "scan",
        "--range",
        f"{base}..HEAD",
        "--format",
        "json",
        "--show-secrets",
        "-o",
        "gl-secret-detection-report.json",
        cwd=repo,
    )
    assert gate.returncode == 1, gate.stderr
    report = repo / "gl-secret-detection-report.json"
    assert not report.is_symlink()
    document = json.loads(report.read_text())
    assert set(tokens.values()) <= {finding["secret"] for finding in document["findings"]}
    assert "keystow-config-changed" in {finding["rule_id"] for finding in document["findings"]}
    text = run_keystow("scan", "--range", f"{base}..HEAD", cwd=repo).stdout.decode()
    assert "\x1b" not in text and not any(line.startswith("::") for line in text.splitlines())
    assert _snapshot(home) == before

    # The audit (a trusted user): the config pointing outside is refused, not followed ...
    refused = run_keystow("scan", "--history", cwd=repo)
    assert refused.returncode == 2 and b"Traceback" not in refused.stderr
    # ... so the auditor drops it; the planted cache and the replace ref hide nothing.
    (repo / ".keystow.toml").unlink()
    history = run_keystow("scan", "--history", "--format", "json", "--show-secrets", cwd=repo)
    assert history.returncode == 1 and set(tokens.values()) <= _found(history)
    assert run_keystow("baseline", "create", cwd=repo).returncode == 0
    assert json.loads((repo / ".keystow-baseline.json").read_text())["entries"]
    (repo / ".keystow-baseline.json").unlink()  # recorded, then set aside: these get migrated
    assert _snapshot(home) == before

    # Migrate: a link among the files it would write stops it before any value leaves.
    stopped = migrate(repo, "--to", "ssm", "--apply", "--yes")
    assert stopped.returncode == 2 and StoreReader(aws_env).parameter_names() == []
    for name in ("keystow-plan.json", ".keystow-refs.toml", "gl-secret-detection-report.json"):
        (repo / name).unlink()
    original = (repo / "settings.py").read_bytes()
    applied = migrate(repo, "--to", "ssm", "--apply", "--yes")
    assert applied.returncode in (0, 1), applied.stderr
    assert StoreReader(aws_env).parameter_names() and tokens["settings"] not in (repo / "settings.py").read_text()
    assert _snapshot(home) == before

    # Rollback: the planted journal is refused; the run's own restores the source byte for byte.
    planted = migrate(repo, "--rollback", ".keystow/journal-20200101T000000Z.json")
    assert planted.returncode == 2
    journal = max((repo / ".keystow").glob("journal-2*.json"), key=lambda p: p.stat().st_mtime)
    assert migrate(repo, "--rollback", str(journal)).returncode == 0
    assert (repo / "settings.py").read_bytes() == original
    assert _snapshot(home) == before

    # Purge, asked to replace the tips too: every secret leaves history, the replaced blob included.
    _commit_all(repo, "audit done")
    purge = run_keystow("purge", "--history", "--yes", "--include-head", cwd=repo)
    assert purge.returncode in (0, 1), purge.stderr
    after = run_keystow("scan", "--history", "--no-cache", "--format", "json", "--show-secrets", cwd=repo)
    assert not set(tokens.values()) & _found(after)
    assert _snapshot(home) == before

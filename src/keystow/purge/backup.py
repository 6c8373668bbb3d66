"""Before the rewrite: a bundle of every ref, and the remote configuration filter-repo drops.

The bundle is the only copy of the original history once filter-repo has run, so it is written
first and kept whenever verification fails. It still contains the secrets: it is created 0600
in a 0700 directory inside `.git`, where no commit or push can pick it up.
"""

from __future__ import annotations

import os
import shlex
import time
from dataclasses import dataclass
from pathlib import Path

from keystow import git

# filter-repo runs `git remote rm origin`, which also drops branch upstream settings
REMOTE_CONFIG = r"^(remote|branch)\."


def backup_dir(repo: Path) -> Path:
    directory = git.common_git_dir(repo) / "keystow" / "backups"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)
    return directory


def create_backup(repo: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    bundle = backup_dir(repo) / f"{repo.name}-{stamp}.bundle"
    if bundle.exists():  # two purges in the same second: never overwrite a backup
        bundle = bundle.with_name(f"{bundle.stem}-{os.getpid()}.bundle")
    git.bundle_create(repo, bundle)
    os.chmod(bundle, 0o600)
    return bundle


def restore_commands(bundle: Path) -> list[str]:
    """A fresh clone of the original history, or the original refs put back in place."""
    quoted = shlex.quote(str(bundle))  # the repository's directory name is in the path
    return [f"git clone {quoted} restored",
            f"git fetch --update-head-ok {quoted} '+refs/*:refs/*' && git reset --hard  (in this repository)"]


@dataclass(frozen=True)
class RemoteConfig:
    entries: tuple[tuple[str, str], ...]

    @property
    def remotes(self) -> list[str]:
        names = [_remote_name(key) for key, _ in self.entries if _remote_name(key)]
        return list(dict.fromkeys(names))


def record_remotes(repo: Path) -> RemoteConfig:
    return RemoteConfig(tuple(git.config_entries(repo, REMOTE_CONFIG)))


def restore_remotes(repo: Path, recorded: RemoteConfig) -> list[str]:
    """Put back every recorded entry filter-repo removed; returns the remotes restored."""
    present = set(git.config_entries(repo, REMOTE_CONFIG))
    restored = []
    for key, value in recorded.entries:
        if (key, value) not in present:
            git.config_add(repo, key, value)
            if _remote_name(key):
                restored.append(_remote_name(key))
    return restored


def _remote_name(key: str) -> str | None:
    """`origin` for `remote.origin.url` (remote names may contain dots)."""
    if key.startswith("remote.") and key.endswith(".url"):
        return key[len("remote."):-len(".url")]
    return None

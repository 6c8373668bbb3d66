"""Before the rewrite: a bundle of every ref, and the remote configuration filter-repo drops.

The bundle is the only copy of the original history once filter-repo has run, so it is written
first and kept whenever verification fails. It still contains the secrets: it is created 0600
in a 0700 directory inside `.git`, where no commit or push can pick it up.

filter-repo runs `git remote rm origin` (every `remote.origin.*` and `branch.*` upstream) and
moves refs/remotes/origin/* away before it rewrites anything; a bundle holds no config. So
the config and the remote-tracking refs are also saved to `.git/keystow/purge-state.json`
(0600) first: put back when the rewrite fails or is interrupted, and by the next purge when
the last one was killed outright.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from keystow import git
from keystow.fs import write_atomic

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
        names = [name for key, _ in self.entries if (name := _remote_name(key))]
        return list(dict.fromkeys(names))


def record_remotes(repo: Path) -> RemoteConfig:
    return RemoteConfig(tuple(git.config_entries(repo, REMOTE_CONFIG)))


def restore_remotes(repo: Path, recorded: RemoteConfig) -> list[str]:
    """Put back every recorded entry filter-repo removed; returns the remotes restored."""
    present = set(git.config_entries(repo, REMOTE_CONFIG))
    restored: list[str] = []
    for key, value in recorded.entries:
        if (key, value) not in present:
            git.config_add(repo, key, value)
            if name := _remote_name(key):
                restored.append(name)
    return restored


def _remote_name(key: str) -> str | None:
    """`origin` for `remote.origin.url` (remote names may contain dots)."""
    if key.startswith("remote.") and key.endswith(".url"):
        return key[len("remote."):-len(".url")]
    return None


STATE_NAME = "purge-state.json"


@dataclass(frozen=True)
class SavedState:
    """What filter-repo may drop and the bundle does not hold: config and remote-tracking refs."""

    remotes: RemoteConfig
    tracking: tuple[tuple[str, str], ...]  # (refs/remotes/..., object id)
    bundle: str = ""  # where the tracking refs' objects are once filter-repo has pruned them


def _state_path(repo: Path) -> Path:
    return backup_dir(repo).parent / STATE_NAME


def save_state(repo: Path, bundle: Path) -> SavedState:
    state = SavedState(record_remotes(repo), tuple(git.ref_targets(repo, "refs/remotes")), str(bundle))
    document = {"config": [list(entry) for entry in state.remotes.entries],
                "tracking": [list(ref) for ref in state.tracking], "bundle": state.bundle}
    write_atomic(_state_path(repo), json.dumps(document).encode(), mode=0o600, durable=True)
    return state


def restore_state(repo: Path, state: SavedState) -> int:
    """Config entries and remote-tracking refs back as saved; returns how many refs came back."""
    restore_remotes(repo, state.remotes)
    present = set(git.refs(repo, "refs/remotes"))
    missing = [(ref, sha) for ref, sha in state.tracking if ref not in present]
    restored = sum(git.update_ref(repo, ref, sha) for ref, sha in missing)
    gone = [ref for ref, _ in missing if ref not in set(git.refs(repo, "refs/remotes"))]
    if gone and state.bundle and Path(state.bundle).is_file():  # objects pruned: fetch them back
        git.fetch_refs(repo, state.bundle, gone)
        restored += len(set(gone) & set(git.refs(repo, "refs/remotes")))
    return restored


def forget_state(repo: Path) -> None:
    _state_path(repo).unlink(missing_ok=True)


def recover_interrupted(repo: Path) -> str | None:
    """After a purge that was killed: restore what it saved; a notice, or None if nothing to do."""
    path = git.common_git_dir(repo) / "keystow" / STATE_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        state = SavedState(RemoteConfig(tuple((k, v) for k, v in document["config"])),
                           tuple((ref, sha) for ref, sha in document["tracking"]), document.get("bundle", ""))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return f"{path} is unreadable: restore your remotes by hand (see the purge backup)"
    refs = restore_state(repo, state)
    forget_state(repo)
    return (f"an interrupted purge left {path.name}: restored the remote and branch configuration "
            f"and {refs} remote-tracking ref(s)")


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI job cancelled, `kill`) unwinds like Ctrl-C, so the restore still runs and
    the running filter-repo is stopped first."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

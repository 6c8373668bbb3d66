"""Undoing or finishing an interrupted migration from its journal.

Rollback restores every file the journal lists, newest first, byte for byte: the old text is the
new text with each edit's reference replaced by the literal pieces and the values read back from
the store; the result must hash to the recorded old sha256 or the file is left alone. Store
entries are kept (a rollback never deletes a secret). A file changed since the migration is
reported and left alone.

The journal is authenticated (see journal.py), and each entry is checked again on its own: a path
that is absolute, climbs out with `..`, or reaches outside the repository through a symbolic link
is refused with a line and the rest of the rollback still runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from keystow import fs
from keystow.errors import FatalError
from keystow.fs import UnsafePath, write_atomic
from keystow.git.repo import index_entry, track
from keystow.migrate.journal import Journal
from keystow.migrate.rewrite import AppliedEdit, decode, encode, restore, sha256_bytes
from keystow.migrate.rotation import undo_rotations
from keystow.migrate.stores import SecretStore, StoreError


@dataclass
class RollbackReport:
    restored: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def rollback(journal: Journal, stores) -> RollbackReport:
    report = RollbackReport()
    values = ValueReader(journal.data["targets"], stores, versions_before_rotation(journal))
    for entry in reversed(journal.data["files"]):
        try:
            _undo(journal.root, entry, values, report)
        except (StoreError, FatalError, KeyError, TypeError, ValueError) as exc:  # GitError is a FatalError
            report.problems.append(f"{entry.get('path')!s:.200}: {exc}")
    if journal.rotations():
        report.problems += undo_rotations(journal, stores("secretsmanager").session)
    journal.finish("rolled-back" if not report.problems else "rollback-incomplete")
    return report


def _undo(root: Path, entry: dict, values: "ValueReader", report: RollbackReport) -> None:
    path = entry_path(root, entry)
    current = _current(path, root)
    digest = sha256_bytes(current) if current is not None else None
    deleted = bool(entry.get("deleted"))  # a secret file: gone now, rebuilt from the store
    if digest == entry["old_sha256"]:
        if deleted:
            _retrack(root, entry)  # a rollback stopped between the file and its index entry
        return  # never written, or already restored
    if (current is not None) == deleted or (current is not None and digest != entry["new_sha256"]):
        report.problems.append(f"{entry['path']}: changed since the migration; left alone")
        return
    if not entry["existed"]:
        path.unlink()  # a regular file inside the repository holding exactly what the run wrote
        report.removed.append(entry["path"])
        return
    edits = [AppliedEdit.from_json(e) for e in entry["edits"]]
    needed = {v for e in edits for kind, v in e.old if kind != "text"}
    text = "" if deleted or current is None else decode(current)
    if text is None:  # keystow wrote it as UTF-8 and its digest still matches: only a bug gets here
        report.problems.append(f"{entry['path']}: not UTF-8 text; left alone")
        return
    old = encode(restore(text, edits, values.read(needed)), str(entry.get("encoding") or ""))
    if sha256_bytes(old) != entry["old_sha256"]:
        report.problems.append(f"{entry['path']}: the values read back do not rebuild the original; left alone")
        return
    write_atomic(path, old, within=root, mode=int(entry["mode"]) & 0o777, durable=True)
    if deleted:
        _retrack(root, entry)
    report.restored.append(entry["path"])


def _retrack(root: Path, entry: dict) -> None:
    """The index entry a deleted secret file had, put back (mode and object id as recorded)."""
    tracked = entry.get("index")
    if isinstance(tracked, list) and len(tracked) == 2 and all(isinstance(part, str) for part in tracked) \
            and index_entry(root, entry["path"]) is None:
        track(root, entry["path"], *tracked)


class ValueReader:
    """Values by id, read back from the store each journal target names."""

    def __init__(self, targets: dict[str, dict], stores: Callable[[str], SecretStore],
                 versions: dict[str, str] | None = None) -> None:
        self.targets, self.stores = targets, stores
        self.versions = versions or {}  # secret name -> the version to read (before a key rotation)
        self.cache: dict[str, str] = {}

    def read(self, value_ids: set[str]) -> dict[str, str]:
        for value_id in value_ids - set(self.cache):
            target = self.targets.get(value_id)
            if target is None:
                raise StoreError(f"the journal names no store entry for value {value_id}")
            self.cache[value_id] = self._fetch(target)
        return {v: self.cache[v] for v in value_ids}

    def _fetch(self, target: dict) -> str:
        store = self.stores(target["store"])
        if target["key"]:
            mapping = store.get_json(target["name"], self.versions.get(target["name"])) or {}
            value = mapping.get(target["key"])
        else:
            value = store.get(target["name"])
        if value is None:
            raise StoreError(f"{target['store']}:{target['name']} no longer exists; cannot restore from it")
        return str(value)


def versions_before_rotation(journal: Journal) -> dict[str, str]:
    """Secret name -> the version that held the leaked key pair, for each rotated pair: the files
    are rebuilt from what they held, not from the new key."""
    names = journal.data.get("names", {})
    return {names[item_id]: record["previous_version"] for item_id, record in journal.rotations().items()
            if item_id in names and record["state"] in ("rotated", "stored")}


def entry_path(root: Path, entry: dict) -> Path:
    """The file a journal entry names, if it is a plain relative path inside `root`."""
    relative = entry["path"]
    if not isinstance(relative, str) or not relative or PurePosixPath(relative).is_absolute() \
            or ".." in PurePosixPath(relative).parts or "\\" in relative:
        raise UnsafePath("not a path inside the repository; refused")
    return fs.confine(root / relative, root, "journal entry")


def _current(path: Path, root: Path) -> bytes | None:
    try:
        return fs.read_confined(path, root, "journal entry")
    except FileNotFoundError:
        return None


def settle_pending(journal: Journal) -> None:
    """Before a resume: a file the journal saw start is either written (new hash) or not."""
    for entry in journal.data["files"]:
        if entry.get("state") != "pending":
            continue
        try:
            current = _current(entry_path(journal.root, entry), journal.root)
        except (UnsafePath, KeyError, TypeError):
            current = None
        if entry.get("deleted") and current is None:
            entry["state"] = "written"
        elif current is not None and sha256_bytes(current) == entry["new_sha256"]:
            entry["state"] = "written"
        else:
            entry["state"] = "not-written"
    journal.save()

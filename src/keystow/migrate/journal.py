"""The migration journal: `.keystow/journal-<timestamp>.json`, written as the run goes.

The journal lives in the repository it is about; that repository is the only place a resume or a
rollback touches (the `root` recorded inside is informational, never trusted), and the file is
authenticated with a per-user, per-repository key (`fs.repository_key`), so a journal crafted by
someone else (committed, shipped in a tarball) is refused rather than followed.

It records what a resume or a rollback needs and no secret value: the settings and item names,
each value's store target (store, name, JSON key), store versions, and per file the sha256 of
the old and new contents, its mode, and per edit where it sits in the new text and how to rebuild
the old text from literal pieces and value ids. Every update replaces the file atomically
(fsync'd, owner-only), so a kill -9 leaves the last complete state.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import NamedTuple

from keystow import fs
from keystow.errors import FatalError, NewerFormatError
from keystow.fs import write_atomic

JOURNAL_VERSION = 1
ROTATION_KEYS = ("user", "old_key_id", "new_key_id", "previous_version", "state")
FAILED = frozenset({"failed", "conflict", "unverified"})  # item statuses whose value is not (proven) stored


class Target(NamedTuple):
    """Where one value went: the store, the parameter or secret name, the JSON key if grouped."""

    store: str
    name: str
    key: str | None


class ItemRecord(NamedTuple):
    name: str
    store: str
    status: str


class Journal:
    def __init__(self, path: Path, data: dict, root: Path) -> None:
        self.path = path
        self.data = data
        self._root = root

    @classmethod
    def create(cls, root: Path, settings, names: dict[str, str], scan_path: str = ".") -> Journal:
        directory = fs.ignored_state_directory(root)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = directory / f"journal-{stamp}.json"
        n = 1
        while path.exists():
            n += 1
            path = directory / f"journal-{stamp}-{n}.json"
        data = {"version": JOURNAL_VERSION, "state": "running", "root": str(root), "settings": asdict(settings),
                "names": names, "scan_path": scan_path, "targets": {}, "items": {}, "files": []}
        journal = cls(path, data, root)
        journal.save()
        return journal

    @classmethod
    def load(cls, path: Path) -> Journal:
        path = Path(os.path.abspath(path))
        if path.parent.name != ".keystow":
            raise FatalError(f"{path}: a journal is read only from a repository's .keystow/ directory")
        root = path.parent.parent
        try:
            document = json.loads(fs.read_confined(path, root, "journal"))
        except FileNotFoundError:
            raise FatalError(f"{path}: no such journal") from None
        except ValueError as exc:
            raise FatalError(f"{path}: cannot read the journal: {exc}") from None
        version = document.get("version") if isinstance(document, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and version > JOURNAL_VERSION:
            raise NewerFormatError(path, "migrate journal", version)
        if version != JOURNAL_VERSION or not _well_formed(document):
            raise FatalError(f"{path}: not a keystow migrate journal")
        mac = document.pop("mac", None)
        if not fs.authentic(fs.repository_key(root), _canonical(document), mac):
            raise FatalError(f"{path}: not a journal keystow wrote for this repository as this user "
                             "(its authentication code does not match); refused")
        return cls(path, document, root)

    def save(self) -> None:
        mac = fs.authenticate(fs.repository_key(self._root), _canonical(self.data))
        text = json.dumps({**self.data, "mac": mac}, indent=1, sort_keys=True) + "\n"
        write_atomic(self.path, text.encode("utf-8"), within=self._root, mode=0o600, durable=True)

    def record_target(self, value_id: str, store: str, name: str, key: str | None) -> None:
        self.data["targets"][value_id] = {"store": store, "name": name, "key": key}

    def record_item(
        self, item_id: str, name: str, store: str, status: str, version: str = "", reason: str = ""
    ) -> None:
        self.data["items"][item_id] = {"name": name, "store": store, "status": status, "version": version,
                                       "reason": reason}
        self.save()

    def record_rotation(self, item_id: str, user: str, old_key_id: str, new_key_id: str,
                        previous_version: str, state: str) -> None:
        """An access key rotation (`migrate --rotate`): key ids and the secret's pre-rotation
        version, which a rollback reads the leaked pair back from. Saved at once: the new key
        exists in IAM from the moment it is created."""
        self.data.setdefault("rotations", {})[item_id] = {
            "user": user, "old_key_id": old_key_id, "new_key_id": new_key_id,
            "previous_version": previous_version, "state": state}
        self.save()

    def rotations(self) -> dict[str, dict]:
        return dict(self.data.get("rotations", {}))

    def begin_file(self, entry: dict) -> dict:
        """Record a file about to be written (state "pending"); fsync'd before the write."""
        entry = {**entry, "state": "pending"}
        self.data["files"].append(entry)
        self.save()
        return entry

    def finish_file(self, entry: dict) -> None:
        entry["state"] = "written"
        self.save()

    def finish(self, state: str = "complete") -> None:
        self.data["state"] = state
        self.save()

    def targets(self) -> dict[str, Target]:
        """value id -> where the value was (or was about to be) stored."""
        return {
            vid: Target(t["store"], t["name"], t.get("key") or None) for vid, t in self.data.get("targets", {}).items()
        }

    def items(self) -> dict[str, ItemRecord]:
        return {iid: ItemRecord(i["name"], i["store"], i["status"]) for iid, i in self.data.get("items", {}).items()}

    def stored_targets(self) -> dict[str, Target]:
        """The targets whose item was stored: not failed, in conflict or unverified."""
        failed = {(i.store, i.name) for i in self.items().values() if i.status in FAILED}
        return {vid: t for vid, t in self.targets().items() if (t.store, t.name) not in failed}

    @property
    def root(self) -> Path:
        """The repository holding the journal (not the `root` recorded inside it)."""
        return self._root

    @property
    def scan_path(self) -> Path:
        path = self.root / str(self.data.get("scan_path", "."))
        if not fs.is_within(path, self.root):
            raise FatalError(f"{self.path}: its scan path is outside {self.root}; refused")
        return path


def _well_formed(data: dict) -> bool:
    """The parts every reader relies on have the right shape (a hand-edited or truncated file
    is refused here, not with a KeyError halfway through a rollback)."""
    targets, items = data.get("targets", {}), data.get("items", {})
    return (
        isinstance(targets, dict)
        and isinstance(items, dict)
        and all(
            isinstance(t, dict)
            and isinstance(t.get("store"), str)
            and isinstance(t.get("name"), str)
            and isinstance(t.get("key"), (str, type(None)))
            for t in targets.values()
        )
        and all(
            isinstance(i, dict) and all(isinstance(i.get(k), str) for k in ("name", "store", "status"))
            for i in items.values()
        )
        and isinstance(data.get("files", []), list)
        and isinstance(data.get("rotations", {}), dict)
        and all(isinstance(r, dict) and all(isinstance(r.get(k), str) for k in ROTATION_KEYS)
                for r in data.get("rotations", {}).values())
    )


def _canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")

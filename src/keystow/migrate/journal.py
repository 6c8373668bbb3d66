"""The migration journal: `.keystow/journal-<timestamp>.json`, written as the run goes.

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

from keystow.errors import FatalError, NewerFormatError
from keystow.fs import write_atomic

JOURNAL_VERSION = 1
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
    def __init__(self, path: Path, data: dict) -> None:
        self.path = path
        self.data = data

    @classmethod
    def create(cls, root: Path, settings, names: dict[str, str], scan_path: str = ".") -> Journal:
        directory = root / ".keystow"
        directory.mkdir(mode=0o700, exist_ok=True)
        _ignore_directory(directory)
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        path = directory / f"journal-{stamp}.json"
        n = 1
        while path.exists():
            n += 1
            path = directory / f"journal-{stamp}-{n}.json"
        data = {"version": JOURNAL_VERSION, "state": "running", "root": str(root), "settings": asdict(settings),
                "names": names, "scan_path": scan_path, "targets": {}, "items": {}, "files": []}
        journal = cls(path, data)
        journal.save()
        return journal

    @classmethod
    def load(cls, path: Path) -> Journal:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FatalError(f"{path}: cannot read the journal: {exc}") from None
        version = data.get("version") if isinstance(data, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and version > JOURNAL_VERSION:
            raise NewerFormatError(path, "migrate journal", version)
        if version != JOURNAL_VERSION or not _well_formed(data):
            raise FatalError(f"{path}: not a keystow migrate journal")
        return cls(Path(path), data)

    def save(self) -> None:
        text = json.dumps(self.data, indent=1, sort_keys=True) + "\n"
        write_atomic(self.path, text.encode("utf-8"), mode=0o600, durable=True)

    def record_target(self, value_id: str, store: str, name: str, key: str | None) -> None:
        self.data["targets"][value_id] = {"store": store, "name": name, "key": key}

    def record_item(
        self, item_id: str, name: str, store: str, status: str, version: str = "", reason: str = ""
    ) -> None:
        self.data["items"][item_id] = {"name": name, "store": store, "status": status, "version": version,
                                       "reason": reason}
        self.save()

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
        return Path(self.data["root"])

    @property
    def scan_path(self) -> Path:
        return self.root / self.data.get("scan_path", ".")


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
    )


def _ignore_directory(directory: Path) -> None:
    """`.keystow/` holds run state, never something to commit."""
    ignore = directory / ".gitignore"
    if not ignore.exists():
        fd = os.open(ignore, os.O_WRONLY | os.O_CREAT, 0o644)
        with os.fdopen(fd, "w") as handle:
            handle.write("*\n")

"""Carrying out a plan: per secret, write to the store, read back and compare, and only then
rewrite the files that use it.

A value that fails to verify (or conflicts with what the store holds) keeps its sites untouched.
Each file is journalled (old and new sha256, how to rebuild the old text) before it is replaced
atomically, so a run killed at any point can be resumed or rolled back.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from keystow import fs
from keystow.errors import FatalError
from keystow.fs import write_atomic
from keystow.git.repo import index_entry, untrack
from keystow.migrate.journal import Journal
from keystow.migrate.manifest import MANIFEST, render_manifest
from keystow.migrate.model import Item, Plan
from keystow.migrate.plan import plan_changes
from keystow.migrate.rewrite import (
    BINARY_FILE,
    AppliedEdit,
    RewriteError,
    apply_edits,
    decode,
    encode,
    sha256_bytes,
    split_old,
)
from keystow.migrate.rotation import KEY_ID, rotate_key_pair
from keystow.migrate.stores import (
    Conflict,
    InvalidName,
    InvalidValue,
    LimitExceeded,
    SecretStore,
    StoreError,
    ValueTooLarge,
)

PER_ITEM_ERRORS = (InvalidName, InvalidValue, ValueTooLarge, LimitExceeded)


@dataclass
class ApplyReport:
    stored: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rotated: list[str] = field(default_factory=list)


class Stores:
    """Open stores by kind, lazily (a plan may use both)."""

    def __init__(self, opener: Callable[[str], SecretStore]) -> None:
        self.opener = opener
        self.open: dict[str, SecretStore] = {}

    def __call__(self, kind: str) -> SecretStore:
        if kind not in self.open:
            self.open[kind] = self.opener(kind)
        return self.open[kind]


def apply_plan(plan: Plan, stores: Stores, journal: Journal, progress=None) -> ApplyReport:
    """`progress(done, total)`, when given, is called as each store entry is done."""
    check_targets(plan)
    report = ApplyReport()
    verified = store_items(plan, stores, journal, report, progress)
    changes = plan_changes(plan, lambda target: stores(target.store).arn(target.name), only=verified)
    values = {m.value_id: m.value for i in plan.items if i.item_id in verified for m in i.members}
    ready = [(change, prepared) for change in changes if change.edits
             for prepared in [prepare_file(plan, change.path, change.edits, values, report)] if prepared]
    # Generated files and the manifest first: if the run dies before a source file is rewritten,
    # they only name entries that already exist, and a resume finds them in place.
    manifest: dict[str, str] = {}
    for change, _ in ready:
        manifest.update(change.manifest)
        for generated in change.generated:
            write_generated(plan, generated.path, generated.render, values, journal)
    if manifest:
        write_generated(plan, MANIFEST, lambda old: render_manifest(old, manifest), values, journal)
    for change, prepared in ready:
        if change.delete:
            delete_file(plan, change.path, prepared, journal, report)
        else:
            rewrite_file(plan, change.path, prepared, journal, report)
    journal.finish()
    return report


def store_items(plan: Plan, stores: Stores, journal: Journal, report: ApplyReport, progress=None) -> set[str]:
    """Every item the plan can store, stored; the ids of those verified in the store."""
    verified = set()
    for done, item in enumerate(plan.items, start=1):
        if item.manual is None and store_item(plan, item, stores(item.store), journal, report):
            verified.add(item.item_id)
        if progress is not None:
            progress(done, len(plan.items))
    return verified


def rewrite_file(plan: Plan, path: str, prepared: tuple, journal: Journal, report: ApplyReport) -> None:
    """One source file rewritten to its references (after the store holds their values)."""
    data, new, applied = prepared
    _write_journalled(plan.root / path, path, data, new, applied, journal, existed=True, root=plan.root)
    report.files.append(path)


def delete_file(plan: Plan, path: str, prepared: tuple, journal: Journal, report: ApplyReport) -> None:
    """A file that is itself a secret, deleted once the store holds it, and from git's index; the
    journal records how to rebuild it (one edit whose old text is the stored value) and its index
    entry, for a rollback."""
    data, _, applied = prepared
    real = plan.root / path
    tracked = index_entry(plan.root, path)
    entry = journal.begin_file({"path": path, "existed": True, "deleted": True, "index": tracked,
                                "mode": os.lstat(real).st_mode & 0o7777, "old_sha256": sha256_bytes(data),
                                "new_sha256": None, "edits": [a.to_json() for a in applied],
                                "encoding": BINARY_FILE if path in plan.binary else ""})
    try:
        real.unlink()
        fs.fsync_directory(real.parent)
    except OSError as exc:
        raise FatalError(f"{path}: cannot delete: {exc.strerror or exc}") from None
    if tracked:  # `git rm --cached`: the deletion is staged, and scans of the work tree no longer list it
        untrack(plan.root, path)
    journal.finish_file(entry)
    report.files.append(path)


def check_targets(plan: Plan) -> None:
    """Before any value leaves for the store: every file the plan would read or write is a plain
    file (or missing) inside the repository, never a link out (`.keystow-refs.toml -> ~/.aws/credentials`)."""
    paths = {MANIFEST}
    for change in plan.changes:
        paths.add(change.path)
        paths.update(generated.path for generated in change.generated)
    for path in sorted(paths):
        full = plan.root / path
        if not full.is_symlink():
            fs.confine(full, plan.root, "migrate target")
        else:
            raise fs.UnsafePath(
                f"migrate target {path} is a symbolic link; keystow neither reads nor writes through it "
                "(replace it with a plain file, then run keystow migrate again)"
            )


def store_item(plan: Plan, item: Item, store, journal: Journal, report: ApplyReport) -> bool:
    for member in item.members:
        journal.record_target(member.value_id, item.store, item.name, member.key)
    rotation = journal.rotations().get(item.item_id)
    if rotation is not None and rotation["state"] in ("rotated", "stored"):
        return _rotated_before(item, store, rotation, report)
    mapping, tags = item.mapping(), _tags(plan, item)
    try:
        if mapping is not None:
            result = store.put_json(item.name, mapping, tags=tags, overwrite=plan.settings.overwrite)
            verified = store.get_json(item.name) == mapping
        else:
            result = store.put(item.name, item.payload(), tags=tags, overwrite=plan.settings.overwrite)
            verified = store.get(item.name) == item.payload()
    except Conflict as exc:
        report.conflicts.append(item.name)
        journal.record_item(item.item_id, item.name, item.store, "conflict", reason=str(exc))
        return False
    except PER_ITEM_ERRORS as exc:
        report.failed.append(item.name)
        journal.record_item(item.item_id, item.name, item.store, "failed", reason=str(exc))
        return False
    if not verified:
        report.failed.append(item.name)
        journal.record_item(item.item_id, item.name, item.store, "unverified", result.version)
        return False
    (report.reused if result.status == "unchanged" else report.stored).append(item.name)
    journal.record_item(item.item_id, item.name, item.store, result.status, result.version)
    _rotate_key(plan, item, store, journal, report, result.version)
    _configure_rotation(plan, item, store, report)
    return True


def _rotate_key(plan: Plan, item: Item, store, journal: Journal, report: ApplyReport, version: str) -> None:
    """`--rotate`: a stored leaked AWS key pair is replaced by a new key; a failure is reported and
    the leaked pair stays stored (its files are still rewritten: the reference works either way)."""
    if not plan.settings.rotate or item.group != "aws-key-pair":
        return
    problem = rotate_key_pair(item, store, journal, version)
    if problem is None:
        report.rotated.append(item.name)
    else:
        report.warnings.append(f"{item.name}: {problem}")


def _rotated_before(item: Item, store, rotation: dict, report: ApplyReport) -> bool:
    """A resumed run: this pair was rotated already; the store must hold the new key."""
    current = store.get_json(item.name) or {}
    if current.get(KEY_ID) != rotation["new_key_id"]:
        report.failed.append(item.name)
        return False
    report.reused.append(item.name)
    return True


def _configure_rotation(plan: Plan, item: Item, store: SecretStore, report: ApplyReport) -> None:
    """Rotation is an extra: a failure is reported, the stored value and its rewrite stand."""
    settings = plan.settings
    if not settings.rotation_lambda or item.store != "secretsmanager":
        return
    try:
        store.configure_rotation(item.name, settings.rotation_lambda, settings.rotate_days or 30)
    except StoreError as exc:
        report.warnings.append(f"rotation not configured for {item.name}: {exc}")


def _tags(plan: Plan, item: Item) -> dict[str, str]:
    first = next(s for s in plan.sites if s.item_id in item.member_ids())
    return {
        "managed-by": "keystow",
        "keystow-repo": _tag_value(plan.root.name),
        "keystow-path": _tag_value(first.path),
        **dict(plan.settings.tags),
    }


def _tag_value(text: str) -> str:
    """AWS tag values allow letters, digits, spaces and _.:/=+-@ (at most 256 characters)."""
    return re.sub(r"[^\w .:/=+\-@]", "_", text, flags=re.ASCII)[:256]


def prepare_file(plan: Plan, path: str, edits, values: dict[str, str], report: ApplyReport):
    """(old bytes, new bytes, applied edits) for a file still as planned, else None (reported)."""
    try:
        data = fs.read_confined(plan.root / path, plan.root, "source file")
    except OSError as exc:
        report.skipped_files.append(f"{path}: cannot read it now ({exc.strerror})")
        return None
    if sha256_bytes(data) != plan.file_hashes[path]:
        report.skipped_files.append(f"{path}: changed since the plan was made")
        return None
    try:
        new_text, applied = apply_edits(plan.texts[path], edits, values)
        _check_no_literal_secret(plan, applied)
    except RewriteError as exc:
        report.skipped_files.append(f"{path}: {exc}")
        return None
    return data, encode(new_text), applied


def write_generated(plan: Plan, path: str, render, values: dict[str, str], journal: Journal) -> None:
    real = fs.confine(plan.root / path, plan.root, "generated file")
    try:
        old = fs.read_confined(real, plan.root, "generated file")
    except FileNotFoundError:
        old = None
    old_text = decode(old) if old is not None else None
    new_text = render(old_text)
    new = encode(new_text)
    if new == old:
        return
    applied = [AppliedEdit(0, len(new_text), split_old(old_text, values))] if old_text is not None else []
    _make_parents(real, plan.root)
    _write_journalled(real, path, old, new, applied, journal, existed=old is not None, root=plan.root)


def _make_parents(real: Path, root: Path) -> None:
    """Missing directories of a generated file, one at a time, none created through a link out."""
    missing = []
    for parent in real.parents:
        if parent == root or os.path.lexists(parent):
            break
        missing.append(parent)
    for parent in reversed(missing):
        fs.confine(parent, root, "generated file's directory")
        parent.mkdir(exist_ok=True)


def _write_journalled(
    real: Path, path: str, old: bytes | None, new: bytes, applied, journal: Journal, existed: bool, root: Path
) -> None:
    mode = os.lstat(real).st_mode & 0o7777 if existed else 0o644
    entry = journal.begin_file(
        {
            "path": path,
            "existed": existed,
            "mode": mode,
            "old_sha256": sha256_bytes(old) if old is not None else None,
            "new_sha256": sha256_bytes(new),
            "edits": [a.to_json() for a in applied],
        }
    )
    try:
        write_atomic(real, new, within=root, mode=mode, durable=True)
    except OSError as exc:  # disk full, permission denied: one line; the journal knows how far it got
        raise FatalError(f"{path}: cannot write: {exc.strerror or exc}") from None
    journal.finish_file(entry)


def _check_no_literal_secret(plan: Plan, applied: list[AppliedEdit]) -> None:
    """A literal piece that holds a value not being migrated would leak it into the journal."""
    for edit in applied:
        for kind, text in edit.old:
            if kind == "text" and any(v and v in text for v in plan.values.values()):
                raise RewriteError("an edit would record another secret; left for a manual fix")

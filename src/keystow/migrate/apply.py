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

from keystow.errors import FatalError
from keystow.fs import write_atomic
from keystow.migrate.journal import Journal
from keystow.migrate.manifest import MANIFEST, render_manifest
from keystow.migrate.plan import Item, Plan, plan_changes
from keystow.migrate.rewrite import (
    AppliedEdit,
    RewriteError,
    apply_edits,
    decode,
    encode,
    sha256_bytes,
    split_old,
)
from keystow.migrate.stores import (
    Conflict,
    InvalidName,
    InvalidValue,
    LimitExceeded,
    StoreError,
    ValueTooLarge,
)

CRASH_ENV = "KEYSTOW_TEST_CRASH_AFTER"  # tests: die (as kill -9 would) at a named point
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


class Stores:
    """Open stores by kind, lazily (a plan may use both)."""

    def __init__(self, opener) -> None:
        self.opener, self.open = opener, {}

    def __call__(self, kind: str):
        if kind not in self.open:
            self.open[kind] = self.opener(kind)
        return self.open[kind]


def apply_plan(plan: Plan, stores: Stores, journal: Journal, progress=None) -> ApplyReport:
    """`progress(done, total)`, when given, is called as each store entry is done."""
    report = ApplyReport()
    verified = set()
    for done, item in enumerate(plan.items, start=1):
        if item.manual is None and store_item(plan, item, stores(item.store), journal, report):
            verified.add(item.item_id)
        if progress is not None:
            progress(done, len(plan.items))
    crash_point("store-write")
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
    for change, (data, new, applied) in ready:
        _write_journalled(plan.root / change.path, change.path, data, new, applied, journal, existed=True)
        report.files.append(change.path)
        crash_point("file-write")
    journal.finish()
    return report


def store_item(plan: Plan, item: Item, store, journal: Journal, report: ApplyReport) -> bool:
    for member in item.members:
        journal.record_target(member.value_id, item.store, item.name, member.key)
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
    _configure_rotation(plan, item, store, report)
    return True


def _configure_rotation(plan: Plan, item: Item, store, report: ApplyReport) -> None:
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
    return {"managed-by": "keystow", "keystow-repo": _tag_value(plan.root.name),
            "keystow-path": _tag_value(first.path), **dict(plan.settings.tags)}


def _tag_value(text: str) -> str:
    """AWS tag values allow letters, digits, spaces and _.:/=+-@ (at most 256 characters)."""
    return re.sub(r"[^\w .:/=+\-@]", "_", text, flags=re.ASCII)[:256]


def prepare_file(plan: Plan, path: str, edits, values: dict[str, str], report: ApplyReport):
    """(old bytes, new bytes, applied edits) for a file still as planned, else None (reported)."""
    try:
        data = (plan.root / path).read_bytes()
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
    real = plan.root / path
    old = real.read_bytes() if real.exists() else None
    old_text = decode(old) if old is not None else None
    new = encode(render(old_text))
    if new == old:
        return
    applied = [AppliedEdit(0, len(decode(new)), split_old(old_text, values))] if old_text is not None else []
    real.parent.mkdir(parents=True, exist_ok=True)
    _write_journalled(real, path, old, new, applied, journal, existed=old is not None)


def _write_journalled(real: Path, path: str, old: bytes | None, new: bytes, applied, journal: Journal, existed: bool) -> None:
    mode = os.stat(real).st_mode & 0o7777 if existed else 0o644
    entry = journal.begin_file({"path": path, "existed": existed, "mode": mode,
                                "old_sha256": sha256_bytes(old) if old is not None else None,
                                "new_sha256": sha256_bytes(new), "edits": [a.to_json() for a in applied]})
    try:
        write_atomic(real, new, mode=mode, durable=True)
    except OSError as exc:  # disk full, permission denied: one line; the journal knows how far it got
        raise FatalError(f"{path}: cannot write: {exc.strerror or exc}") from None
    journal.finish_file(entry)


def _check_no_literal_secret(plan: Plan, applied: list[AppliedEdit]) -> None:
    """A literal piece that holds a value not being migrated would leak it into the journal."""
    for edit in applied:
        for kind, text in edit.old:
            if kind == "text" and any(v and v in text for v in plan.values.values()):
                raise RewriteError("an edit would record another secret; left for a manual fix")


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os._exit(137)

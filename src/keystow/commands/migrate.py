"""`keystow migrate`: plan, apply, resume or roll back a migration of found secrets into AWS.

Without --apply nothing is written but the plan (`keystow-plan.json`, no values in it). With
--apply the plan (just computed, or a reviewed `--plan FILE`) is carried out after confirmation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from keystow.commands.output import emit, notice
from keystow.commands.progress import Progress, wanted
from keystow.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, FatalError

PLAN_FILE = "keystow-plan.json"


@dataclass(frozen=True)
class MigrateOptions:
    path: Path
    settings: object  # keystow.migrate.plan.Settings
    apply: bool = False
    plan_file: Path | None = None
    yes: bool = False
    resume: Path | None = None
    rollback: Path | None = None
    emit_iam_policy: Path | None = None
    quiet: bool = False  # no progress display


def run_migrate(options: MigrateOptions, confirm: Callable[[str], bool] | None) -> int:
    from keystow.migrate.workflow import open_stores, root_of

    if options.rollback:
        return _rollback(options.rollback, options)
    if options.resume:
        return _resume(options.resume, options)
    root = root_of(options.path)
    settings, names = options.settings, None
    if options.plan_file:
        settings, names, reviewed = _reviewed(options.plan_file)
        settings = _with_connection(settings, options.settings)
    stores = open_stores(settings)
    plan = _plan(root, options.path, settings, names, stores)
    if options.plan_file:
        _check_fresh(plan, reviewed)
    else:
        _write_plan(root, plan)
    if options.emit_iam_policy:
        _emit_policy(plan, stores, options.emit_iam_policy)
    if not plan.items:
        notice("no secrets to migrate")
        return EXIT_CLEAN
    if not options.apply:
        notice(f"plan written to {PLAN_FILE}; nothing was changed. Apply it with --apply "
               f"(or review it and run --apply --plan {PLAN_FILE})")
        return EXIT_CLEAN
    if not _confirmed(plan, options.yes, confirm):
        notice("nothing was applied")
        return EXIT_USAGE
    return _apply(plan, stores, options.path, wanted(options.quiet))


def _plan(root: Path, path: Path, settings, names, stores):
    from keystow.migrate.workflow import make_plan

    return make_plan(root, path, settings, names, stores)


def _write_plan(root: Path, plan) -> None:
    from keystow.migrate.plan_output import dumps, render_text

    emit(render_text(plan))
    (root / PLAN_FILE).write_text(dumps(plan), encoding="utf-8")


def _reviewed(plan_file: Path):
    from keystow.migrate.plan import settings_from_dict

    try:
        data = json.loads(plan_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FatalError(f"{plan_file}: cannot read the plan: {exc}") from None
    try:
        settings = settings_from_dict(data["settings"])
        names = {item["id"]: item["name"] for item in data["items"]}
    except (KeyError, TypeError):
        raise FatalError(f"{plan_file}: not a keystow migrate plan") from None
    return settings, names, data


def _with_connection(reviewed, given):
    """Where and how fast to write may differ between planning and applying; what to write may not."""
    return replace(reviewed, region=given.region or reviewed.region,
                   endpoint_url=given.endpoint_url or reviewed.endpoint_url,
                   writes_per_second=given.writes_per_second or reviewed.writes_per_second,
                   overwrite=given.overwrite or reviewed.overwrite)


def _check_fresh(plan, reviewed: dict) -> None:
    from keystow.migrate.plan_output import render_text

    for path, digest in reviewed["files"].items():
        if plan.file_hashes.get(path) != digest:
            raise FatalError(f"the plan is stale: {path} changed since it was made; run keystow migrate again")
    if {i.item_id for i in plan.items} != {i["id"] for i in reviewed["items"]}:
        raise FatalError("the plan is stale: the secrets found differ from the reviewed plan; run keystow migrate again")
    emit(render_text(plan))


def _confirmed(plan, yes: bool, confirm) -> bool:
    if yes:
        return True
    if confirm is None:
        notice("not applied: this run is not interactive; pass --yes to apply the plan")
        return False
    names = sum(1 for item in plan.items if not item.manual)
    return confirm(f"Store {names} secret(s) and rewrite {len([c for c in plan.changes if c.edits])} file(s)?")


def _apply(plan, stores, path: Path, show_progress: bool = False) -> int:
    from keystow.migrate.journal import Journal

    scanned = path.resolve().relative_to(plan.root).as_posix()
    journal = Journal.create(plan.root, plan.settings, {i.item_id: i.name for i in plan.items}, scanned)
    with Progress("writing to the store", show_progress, "entries") as display:
        report = _carry_out(plan, stores, journal, lambda done, total: display.update(done, total=total))
    _print_report(report, journal.path, plan.root)
    return EXIT_FINDINGS if report.conflicts or report.failed or report.skipped_files else EXIT_CLEAN


def _carry_out(plan, stores, journal, progress=None):
    """apply_plan, pointing at the journal when an AWS error stops the run half-way."""
    from keystow.migrate.apply import apply_plan

    try:
        return apply_plan(plan, stores, journal, progress)
    except FatalError:
        notice(f"stopped; what was done is in {journal.path}: fix the cause, then "
               f"keystow migrate --resume {journal.path} (or --rollback it)")
        raise


def _print_report(report, journal_path: Path, root: Path) -> None:
    shown = journal_path.relative_to(root) if journal_path.is_relative_to(root) else journal_path
    emit(f"stored {len(report.stored)}, reused {len(report.reused)} (same value already there), "
         f"conflicts {len(report.conflicts)}, failed {len(report.failed)}; rewrote {len(report.files)} file(s)\n"
         f"journal: {shown} (undo with keystow migrate --rollback {shown})\n")
    for name in report.conflicts:
        notice(f"conflict: {name} exists with a different value; skipped (pass --overwrite to add a new version)")
    for name in report.failed:
        notice(f"failed: {name} could not be stored and verified; its files are untouched")
    for line in report.skipped_files:
        notice(f"not rewritten: {line}")
    for line in report.warnings:
        notice(line)


def _resume(journal_path: Path, options: MigrateOptions) -> int:
    from keystow.migrate.journal import Journal
    from keystow.migrate.recovery import settle_pending
    from keystow.migrate.workflow import open_stores, settings_from_journal

    journal = Journal.load(journal_path)
    settle_pending(journal)
    settings = settings_from_journal(journal, options.settings)
    stores = open_stores(settings)
    plan = _plan(journal.root, journal.scan_path, settings, journal.data["names"], stores)
    journal.data["state"] = "running"
    report = _carry_out(plan, stores, journal)
    _print_report(report, journal.path, journal.root)
    return EXIT_FINDINGS if report.conflicts or report.failed or report.skipped_files else EXIT_CLEAN


def _rollback(journal_path: Path, options: MigrateOptions) -> int:
    from keystow.migrate.journal import Journal
    from keystow.migrate.recovery import rollback
    from keystow.migrate.workflow import open_stores, settings_from_journal

    journal = Journal.load(journal_path)
    stores = open_stores(settings_from_journal(journal, options.settings))
    report = rollback(journal, stores)
    emit(f"restored {len(report.restored)} file(s), removed {len(report.removed)} generated file(s); "
         "the store entries are kept\n")
    for problem in report.problems:
        notice(f"not restored: {problem}")
    return EXIT_FINDINGS if report.problems else EXIT_CLEAN


def _emit_policy(plan, stores, path: Path) -> None:
    from keystow.migrate.stores.iam import policy_for, policy_json

    targets = [item.target(m) for item in plan.items if not item.manual for m in item.members]
    kinds = {t.store for t in targets}
    policy = policy_for(targets, {kind: stores(kind) for kind in kinds})
    path.write_text(policy_json(policy), encoding="utf-8")
    notice(f"IAM policy for reading the {len(targets)} migrated value(s) written to {path}")

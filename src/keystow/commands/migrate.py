"""`keystow migrate`: plan, apply, resume or roll back a migration of found secrets into AWS.

Without --apply nothing is written but the plan (`.keystow/plan.json`, no values in it). With
--apply the plan (just computed, or a reviewed `--plan FILE`) is carried out after confirmation.

A plan file says what to write; where to send it (endpoint, region, KMS key, rotation Lambda,
tags, overwrite) comes from the command line only: a plan file sits in the repository, and an
edited `endpoint_url` would otherwise send every value to someone else's server.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from keystow import fs
from keystow.commands.output import emit, notice
from keystow.commands.progress import Progress, wanted
from keystow.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, FatalError
from keystow.migrate.apply import apply_plan, check_targets
from keystow.migrate.journal import Journal
from keystow.migrate.model import Settings
from keystow.migrate.plan_output import dumps, render_text
from keystow.migrate.recovery import rollback, settle_pending
from keystow.migrate.stores.iam import policy_for, policy_json
from keystow.migrate.workflow import check_aws_ready, make_plan, open_stores, root_of, settings_from_journal

PLAN_FILE = ".keystow/plan.json"  # keystow.migrate.plan_output.PLAN_FILE, without importing migrate at startup
# Settings that decide where values go and who can read them: taken from the command line, and a
# reviewed plan recording different ones is refused rather than followed.
CONNECTION_SETTINGS = ("region", "endpoint_url", "kms_key_id", "tags", "overwrite", "rotation_lambda",
                       "rotate_days", "allow_advanced_tier")


@dataclass(frozen=True)
class MigrateOptions:
    path: Path
    settings: Settings
    apply: bool = False
    plan_file: Path | None = None
    yes: bool = False
    resume: Path | None = None
    rollback: Path | None = None
    emit_iam_policy: Path | None = None
    verify: bool = False  # ask providers which secrets are live; those lead the plan
    quiet: bool = False  # no progress display


def run_migrate(options: MigrateOptions, confirm: Callable[[str], bool] | None) -> int:
    if options.rollback:
        return _rollback(options.rollback, options)
    if options.resume:
        return _resume(options.resume, options)
    root = root_of(options.path)
    settings, names = options.settings, None
    if options.plan_file:
        settings, names, reviewed = _reviewed(options.plan_file, root)
        settings = _with_connection(settings, options.settings)
    if options.apply:  # a region and credentials first: a run that cannot store writes nothing
        check_aws_ready(settings)
    stores = open_stores(settings)
    plan = _plan(root, options.path, settings, names, stores, options.verify)
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


def _plan(root: Path, path: Path, settings, names, stores, verify: bool = False):

    return make_plan(root, path, settings, names, stores, verify)


def _write_plan(root: Path, plan) -> None:
    emit(render_text(plan))
    fs.ignored_state_directory(root)
    fs.write_atomic(root / PLAN_FILE, dumps(plan).encode("utf-8"), within=root)


def _reviewed(plan_file: Path, root: Path):
    from keystow.migrate.plan_output import read_plan

    reviewed = read_plan(Path(os.path.abspath(plan_file)), root)
    if reviewed.settings is None:
        raise FatalError(f"{plan_file}: not a keystow migrate plan (no settings)")
    return reviewed.settings, {item.item_id: item.name for item in reviewed.items}, reviewed


def _with_connection(reviewed, given):
    """The reviewed plan's names with the command line's connection settings; a plan recording
    different ones (edited, or made with other options) is refused, naming the setting."""
    for name in CONNECTION_SETTINGS:
        if getattr(reviewed, name) != getattr(given, name):
            raise FatalError(f"the plan's {name} ({_shown(getattr(reviewed, name))}) differs from the command line's "
                             f"({_shown(getattr(given, name))}); connection settings come from the command line: "
                             "pass the same options, or make the plan again")
    return replace(reviewed, writes_per_second=given.writes_per_second or reviewed.writes_per_second,
                   **{name: getattr(given, name) for name in CONNECTION_SETTINGS})


def _shown(value) -> str:
    if value in (None, (), False):
        return "not set"
    return repr(value)[:120]


def _check_fresh(plan, reviewed) -> None:
    from keystow.migrate.plan_output import render_text

    for path, digest in reviewed.files.items():
        if plan.file_hashes.get(path) != digest:
            raise FatalError(f"the plan is stale: {path} changed since it was made; run keystow migrate again")
    if {i.item_id for i in plan.items} != {i.item_id for i in reviewed.items}:
        raise FatalError(
            "the plan is stale: the secrets found differ from the reviewed plan; run keystow migrate again"
        )
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
    check_targets(plan)  # before the journal and before any value leaves
    scanned = path.resolve().relative_to(plan.root).as_posix()
    journal = Journal.create(plan.root, plan.settings, {i.item_id: i.name for i in plan.items}, scanned)
    with Progress("writing to the store", show_progress, "entries") as display:
        report = _carry_out(plan, stores, journal, lambda done, total: display.update(done, total=total))
    _print_report(report, journal.path, plan.root)
    return EXIT_FINDINGS if report.conflicts or report.failed or report.skipped_files else EXIT_CLEAN


def _carry_out(plan, stores, journal, progress=None):
    """apply_plan, pointing at the journal when an AWS error stops the run half-way."""
    try:
        return apply_plan(plan, stores, journal, progress)
    except FatalError:
        notice(
            f"stopped; what was done is in {journal.path}: fix the cause, then "
            f"keystow migrate --resume {journal.path} (or --rollback it)"
        )
        raise


def _print_report(report, journal_path: Path, root: Path) -> None:
    shown = journal_path.relative_to(root) if journal_path.is_relative_to(root) else journal_path
    emit(
        f"stored {len(report.stored)}, reused {len(report.reused)} (same value already there), "
        f"conflicts {len(report.conflicts)}, failed {len(report.failed)}; rewrote {len(report.files)} file(s)\n"
        f"journal: {shown} (undo with keystow migrate --rollback {shown})\n"
    )
    for name in report.conflicts:
        notice(f"conflict: {name} exists with a different value; skipped (pass --overwrite to add a new version)")
    for name in report.failed:
        notice(f"failed: {name} could not be stored and verified; its files are untouched")
    for line in report.skipped_files:
        notice(f"not rewritten: {line}")
    for name in report.rotated:
        notice(f"rotated: {name} holds a new access key; the leaked key is deactivated (not deleted)")
    for line in report.warnings:
        notice(line)


def _resume(journal_path: Path, options: MigrateOptions) -> int:
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
    journal = Journal.load(journal_path)
    stores = open_stores(settings_from_journal(journal, options.settings))
    report = rollback(journal, stores)
    emit(
        f"restored {len(report.restored)} file(s), removed {len(report.removed)} generated file(s); "
        "the store entries are kept\n"
    )
    for problem in report.problems:
        notice(f"not restored: {problem}")
    return EXIT_FINDINGS if report.problems else EXIT_CLEAN


def _emit_policy(plan, stores, path: Path) -> None:
    targets = [item.target(m) for item in plan.items if not item.manual for m in item.members]
    kinds = {t.store for t in targets}
    policy = policy_for(targets, {kind: stores(kind) for kind in kinds})
    fs.write_atomic(path, policy_json(policy).encode("utf-8"))  # a path the user chose: never through a link
    notice(f"IAM policy for reading the {len(targets)} migrated value(s) written to {path}")

"""`keystow purge`: rewrite history so that none of the selected secrets remains anywhere.

Order matters and each step is a safety net for the next: refuse a dirty tree or an unconfirmed
run, select the secrets, back up every ref, rewrite, restore the remotes, scan again and prove
the purged fingerprints are gone, then write the aftercare checklist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from keystow import git
from keystow.baseline.fingerprints import repository_salt
from keystow.commands.output import notice
from keystow.commands.progress import Progress
from keystow.commands.progress import wanted as progress_wanted
from keystow.config import Config, load_config
from keystow.detect.scanner import Scanner
from keystow.errors import EXIT_CLEAN, EXIT_FINDINGS, FatalError, GitError
from keystow.findings import report_fingerprint
from keystow.pipeline.scanning import build_scanner
from keystow.purge import backup, dryrun, report, tips
from keystow.purge.history import history_findings
from keystow.purge.migrated import migrated_references
from keystow.purge.plan import (
    PurgePlan,
    build_plan,
    check_replacement,
    report_fingerprints,
)
from keystow.purge.rewrite import commit_map, rewrite_history
from keystow.purge.verify import remaining_findings


@dataclass(frozen=True)
class PurgeOptions:
    path: Path = Path(".")
    from_report: Path | None = None
    history: bool = False
    replacement: str | None = None
    dry_run: bool = False
    include_head: bool = False  # also replace secrets still in a branch tip's current tree
    verify: bool = False  # ask providers which secrets are live: they lead the rotation list
    yes: bool = False
    interactive: bool = False  # stdin is a terminal: ask instead of refusing
    config_file: Path | None = None
    quiet: bool = False  # no progress display


def run_purge(options: PurgeOptions, confirm: Callable[[str], bool]) -> int:
    repo = _repository(options.path)
    recovered = backup.recover_interrupted(repo)
    if recovered:
        notice(recovered)
    _check_selection(options)
    if not options.dry_run:
        _refuse_unsafe(repo, options)
    config = load_config(repo, options.config_file)
    for warning in config.warnings:
        notice(warning)
    scanner = build_scanner(config)  # before anything changes: the same rules select and verify
    plan = select(repo, scanner, config, options)
    if not plan.targets:
        print("nothing to purge: none of the selected secrets is in this repository's history")
        return EXIT_CLEAN
    in_tips = tips.tip_files(repo, plan.targets)
    _warn_filters(repo)
    if options.dry_run:
        print_dry_run(dryrun.dry_run(repo, plan.targets), plan)
        print_tip_files(in_tips, options.include_head)
        return EXIT_CLEAN
    if in_tips and not options.include_head:
        raise FatalError(tips.refusal(in_tips))
    if not options.yes and not confirm(f"Rewrite every branch and tag of {repo} to purge "
                                       f"{len(plan.targets)} secret(s)?"):
        raise FatalError("purge cancelled; nothing was changed")
    verdicts = verified_statuses(plan) if options.verify else {}
    return purge(repo, scanner, config, plan, tips.changed_tips(in_tips), verdicts, progress_wanted(options.quiet))


def select(repo: Path, scanner: Scanner, config: Config, options: PurgeOptions) -> PurgePlan:
    wanted = report_fingerprints(options.from_report) if options.from_report else None
    with Progress("scanning history", progress_wanted(options.quiet)) as display:
        findings = history_findings(repo, scanner, config, progress=lambda done: display.update(
            done.total_blobs, done.scanned_bytes))
    if wanted is not None:
        wanted = _own_fingerprints(wanted, findings, repository_salt(repo, repo / config.baseline))
    plan = build_plan(findings, wanted, migrated_references(repo, findings), options.replacement)
    if plan.not_found:
        notice(f"{len(plan.not_found)} finding(s) of the report are not in this history (already purged?)")
    return plan


def _own_fingerprints(reported: set[str], findings: list, salt: str | None) -> set[str]:
    """A report prints fingerprints salted for the repository: each becomes the finding's own;
    one matching no finding stays as it is, to be named as not found."""
    by_report = {report_fingerprint(f.fingerprint, salt): f.fingerprint for f in findings}
    return {by_report.get(fingerprint, fingerprint) for fingerprint in reported}


def verified_statuses(plan: PurgePlan) -> dict[str, str]:
    """fingerprint → active | inactive | unknown, asked before the rewrite."""
    import os

    from keystow.verify.runner import Settings, verify_findings

    verdicts = verify_findings([t.finding for t in plan.targets], Settings(os.environ), lambda finding: "")
    return {fingerprint: verdict.status for fingerprint, verdict in verdicts.items()}


def purge(repo: Path, scanner: Scanner, config: Config, plan: PurgePlan,
          changed_tips: dict[str, list[str]] | None = None, verdicts: dict[str, str] | None = None,
          show_progress: bool = False) -> int:
    remotes = backup.record_remotes(repo)
    commits_before = len(git.all_commits(repo))
    bundle = backup.create_backup(repo)
    print(f"backup of every ref: {bundle}")
    saved = backup.save_state(repo, bundle)  # before filter-repo can drop remotes: survives a kill
    remotes = saved.remotes
    try:
        with (
            backup.terminate_as_interrupt(),
            Progress("rewriting history with git-filter-repo", show_progress, "commits"),
        ):
            rewrite_history(repo, plan.targets)
    except BaseException:  # failed or interrupted: the user needs to know where the original is
        backup.restore_state(repo, saved)  # config and remote-tracking refs, as before the run
        backup.forget_state(repo)
        notice(
            f"the rewrite did not finish; the original history is in {bundle}; the remote "
            "configuration and remote-tracking refs were restored"
        )
        raise
    backup.restore_remotes(repo, remotes)  # tracking refs stay dropped: they hold the old history
    backup.forget_state(repo)
    with Progress("verifying the rewritten history", show_progress):
        remaining = remaining_findings(repo, scanner, config, plan.fingerprints)
    outcome = report.Outcome(
        plan.targets,
        bundle,
        _short(git.refs(repo, "refs/heads"), "refs/heads/"),
        _short(git.refs(repo, "refs/tags"), "refs/tags/"),
        remotes.remotes,
        sorted({f.fingerprint for f in remaining}),
        commits_before,
        commit_map(repo),
        _short(git.refs(repo, "refs/notes"), "refs/notes/"),
        changed_tips or {},
        verdicts or {},
    )
    path = report.write_report(repo, outcome)
    print(report.render(outcome))
    print(f"aftercare checklist written to {path}")
    return EXIT_CLEAN if outcome.proven else EXIT_FINDINGS


def print_dry_run(result: dryrun.DryRun, plan: PurgePlan) -> None:
    files = result.files
    print(
        f"dry run: {len(plan.targets)} secret(s), {result.occurrences} occurrence(s) in {len(files)} file(s); "
        f"{len(result.commits)} commit(s) would get new ids"
    )
    for target in sorted(plan.targets, key=lambda t: (t.finding.rule_id, t.fingerprint)):
        print(
            f"  {target.finding.rule_id}  {target.finding.redacted}  {target.fingerprint[:12]}  "
            f"{len(target.finding.locations)} occurrence(s)  -> {target.replacement}"
        )
    print("commits that add a secret:")
    for commit, paths in result.introducing.items():
        print(f"  {commit[:12]}  {', '.join(paths)}")
    print("nothing was changed: no backup, no rewrite")


def print_tip_files(files: list[tips.TipFile], include_head: bool) -> None:
    """The current files (branch tips, the work tree of HEAD) a purge would change."""
    if not files:
        print("branch tips: unchanged (no secret to purge is in a current tree)")
        return
    print("current files that would change (branch tips; HEAD's also in the work tree):")
    for tip_file in files:
        print(f"  {tip_file.describe()}")
    if not include_head:
        print("without --include-head the purge refuses: migrate these first (`keystow migrate`)")


def _repository(path: Path) -> Path:
    root = git.work_tree_root(path.resolve()) if path.exists() else None
    if root is None:
        raise GitError(f"not a git work tree: {path}")
    return root


def _check_selection(options: PurgeOptions) -> None:
    if bool(options.from_report) == bool(options.history):
        raise FatalError("choose what to purge: --history (every secret in history) or --from-report FILE")
    if options.replacement is not None:
        check_replacement(options.replacement)


def _warn_filters(repo: Path) -> None:
    """filter-repo ends with a checkout, and a checkout runs the repository's smudge filters:
    commands its own config names. Said once, before anything is rewritten."""
    filters = git.configured_filters(repo)
    if filters:
        notice(
            f"warning: this repository configures clean/smudge filters ({', '.join(filters)}); "
            "purge's final checkout runs them, as any checkout would; check .gitattributes and "
            ".git/config first if you did not write them"
        )


def _refuse_unsafe(repo: Path, options: PurgeOptions) -> None:
    if git.is_dirty(repo):
        raise FatalError(f"{repo} has uncommitted changes; commit or stash them before purging history")
    if not options.yes and not options.interactive:
        raise FatalError("purge rewrites history: pass --yes to run it without a terminal")


def _short(names: list[str], prefix: str) -> list[str]:
    return [name[len(prefix) :] for name in names]

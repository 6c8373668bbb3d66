"""Reference names of secrets `keystow migrate` already moved into AWS.

Migrate stores no values: its journals (`.keystow/journal-*.json`) key each stored value by
`value_id(secret)` with its store target, and its plan (`.keystow/plan.json`) lists members by
`salted_hash(secret)`. Purge has the secrets in memory, so it computes the same hashes (with
migrate's own functions) and uses the reference (`ssm:/app/db_password`) as the history
replacement. Journals win over the plan: a journal records what was stored, a plan only intent.
Unreadable files and failed items are skipped, purging must not depend on migrate's state; a file
written by a newer keystow is refused rather than half understood.
"""

from __future__ import annotations

from pathlib import Path

from keystow.errors import FatalError, NewerFormatError
from keystow.findings import Finding
from keystow.migrate.journal import Journal
from keystow.migrate.plan import salted_hash
from keystow.migrate.plan_output import PLAN_FILE, read_plan
from keystow.migrate.sites import value_id


def migrated_references(repo: Path, findings: list[Finding]) -> dict[str, str]:
    """finding fingerprint → reference, for the findings migrate has a record of.

    A journal or plan written by a newer keystow stops the purge (NewerFormatError): skipping it
    would replace migrated secrets with markers instead of the references the user expects."""
    by_value_id = _journal_targets(repo)
    by_value_hash = _plan_members(repo)
    references = {}
    for finding in findings:
        reference = by_value_id.get(value_id(finding.secret)) or by_value_hash.get(salted_hash(finding.secret))
        if reference and _one_line(reference):
            references[finding.fingerprint] = reference
    return references


def _journal_targets(repo: Path) -> dict[str, str]:
    targets: dict[str, str] = {}
    for path in sorted((repo / ".keystow").glob("journal-*.json")):  # oldest first; newer overwrite
        journal = _readable(Journal.load, path)
        for vid, target in journal.stored_targets().items() if journal else ():
            reference = _reference(target.store, target.name, target.key)
            if reference:
                targets[vid] = reference
    return targets


def _plan_members(repo: Path) -> dict[str, str]:
    plan = _readable(lambda path: read_plan(path, repo), repo / PLAN_FILE)
    members = {}
    for item in plan.items if plan else ():
        for member in item.members:
            reference = _reference(item.store, item.name, member.key)
            if reference:
                members[member.value_hash] = reference
    return members


def _readable(read, path: Path):
    """`read(path)`, or None for a missing, unreadable or malformed file; a newer format is raised."""
    if not path.is_file():
        return None
    try:
        return read(path)
    except NewerFormatError:
        raise
    except FatalError:
        return None


def _reference(store: str, name: str, key: str | None) -> str | None:
    """migrate's reference syntax: `ssm:/name` or `secretsmanager:name#key`."""
    if not store or not name:
        return None
    return f"{store}:{name}" + (f"#{key}" if key else "")


def _one_line(text: str) -> bool:
    """A replace-text replacement must be one line without '==>'."""
    return not ("\n" in text or "\r" in text or "==>" in text)

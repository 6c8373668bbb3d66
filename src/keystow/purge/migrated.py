"""Reference names of secrets `keystow migrate` already moved into AWS.

Migrate stores no values: its journals (`.keystow/journal-*.json`) key each stored value by
`value_id(secret)` with its store target, and its plan (`.keystow/plan.json`) lists members by
`salted_hash(secret)`. Purge has the secrets in memory, so it computes the same hashes (with
migrate's own functions) and uses the reference (`ssm:/app/db_password`) as the history
replacement. Journals win over the plan: a journal records what was stored, a plan only intent.
Unreadable files and failed items are skipped; purging must not depend on migrate's state.
"""

from __future__ import annotations

import json
from pathlib import Path

from keystow.findings import Finding

FAILED = {"failed", "conflict", "unverified"}


def migrated_references(repo: Path, findings: list[Finding]) -> dict[str, str]:
    """finding fingerprint → reference, for the findings migrate has a record of."""
    try:
        from keystow.migrate.plan import salted_hash
        from keystow.migrate.sites import value_id
    except ImportError:
        return {}
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
        journal = _load(path)
        items = journal.get("items", {}) if isinstance(journal.get("items"), dict) else {}
        failed = {(i.get("store"), i.get("name")) for i in items.values() if isinstance(i, dict) and i.get("status") in FAILED}
        for vid, target in (journal.get("targets") or {}).items():
            if isinstance(target, dict) and (target.get("store"), target.get("name")) not in failed:
                reference = _reference(target.get("store"), target.get("name"), target.get("key"))
                if reference:
                    targets[vid] = reference
    return targets


def _plan_members(repo: Path) -> dict[str, str]:
    plan = _load(repo / ".keystow" / "plan.json", repo)
    members = {}
    for item in plan.get("items") or []:
        for member in (item.get("members") or []) if isinstance(item, dict) else []:
            reference = _reference(item.get("store"), item.get("name"), member.get("key"))
            if reference and isinstance(member.get("value_hash"), str):
                members[member["value_hash"]] = reference
    return members


def _reference(store: object, name: object, key: object) -> str | None:
    """migrate's reference syntax: `ssm:/name` or `secretsmanager:name#key`."""
    if not isinstance(store, str) or not isinstance(name, str) or not store or not name:
        return None
    return f"{store}:{name}" + (f"#{key}" if isinstance(key, str) and key else "")


def _load(path: Path, repo: Path | None = None) -> dict:
    from keystow import fs
    from keystow.errors import FatalError

    try:
        data = json.loads(fs.read_confined(path, repo, "plan") if repo else path.read_text(encoding="utf-8"))
    except (OSError, ValueError, FatalError):
        return {}
    return data if isinstance(data, dict) else {}


def _one_line(text: str) -> bool:
    """A replace-text replacement must be one line without '==>'."""
    return not ("\n" in text or "\r" in text or "==>" in text)

"""The migration plan: which secrets go where, and what each file will look like afterwards.

`build_plan` scans the work tree (values stay in memory), gives each unique secret one store
target, and asks the reference writers for their edits. The plan that reaches the user or disk
(`plan_output`) holds names, redacted forms and salted hashes only, never a value.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from keystow import fs
from keystow.migrate import naming
from keystow.migrate.grouping import group_members
from keystow.migrate.manifest import MANIFEST, existing_entries
from keystow.migrate.model import Item, Member, Plan, Settings, settings_from_dict
from keystow.migrate.parse_check import still_parses
from keystow.migrate.references import plan_file, reads_environment, secretsmanager_reason
from keystow.migrate.references.base import BoundSite, FileChange, FileContext, Site
from keystow.migrate.rewrite import RewriteError, apply_edits
from keystow.migrate.secretfiles import is_whole_file, whole_file_members
from keystow.migrate.sites import collect_sites, members_of
from keystow.migrate.stores import StoreTarget

# The model's names, importable from here as before the model had its own module.
__all__ = ["Item", "Member", "Plan", "Settings", "build_plan", "plan_changes", "salted_hash", "settings_from_dict"]

STANDARD_LIMIT, ADVANCED_LIMIT, SECRETS_MANAGER_LIMIT = 4096, 8192, 65536
ADVANCED_COST = "Advanced tier: $0.05 per parameter per month (Standard is free)"


def build_plan(root: Path, scan_path: Path, settings: Settings, findings: list, names: dict[str, str] | None = None,
               store_check=None) -> Plan:
    """`findings` come from keystow.pipeline.scanning (secrets in memory); `names` overrides item names."""
    plan = Plan(root, settings, [], [], {}, {}, [])
    collect_sites(plan, findings)
    members = whole_file_members(plan, members_of(plan, findings))
    plan.items = group_members(members, plan.sites, settings.store, plan.texts)
    _choose_stores(plan)
    _name_items(plan, names or {})
    _check_sizes(plan, store_check)
    _assign_env_vars(plan)
    plan.changes = plan_changes(plan)
    return plan


def _choose_stores(plan: Plan) -> None:
    """CloudFormation can read SSM SecureStrings in 11 properties only: elsewhere use Secrets Manager."""
    if plan.settings.store != "ssm":
        return
    item_of = {m.value_id: item for item in plan.items for m in item.members}
    for site in plan.sites:
        item = item_of[site.item_id]
        reason = secretsmanager_reason(site.path, plan.texts[site.path], site) if item.store == "ssm" else None
        if reason:
            item.store = "secretsmanager"
            item.notes.append(f"{site.path}:{site.line}: {reason}")


def _name_items(plan: Plan, overrides: dict[str, str]) -> None:
    base = plan.settings.prefix or plan.root.name
    first_site: dict[str, Site] = {}
    for site in plan.sites:
        first_site.setdefault(site.item_id, site)
    wanted = {}
    for item in plan.items:
        first = first_site[item.members[0].value_id]
        variable = item.group_variable or item.members[0].variable or first.variable
        wanted[item.item_id] = naming.base_name(base, first.path, variable)
    unique = naming.assign_unique(wanted)
    for item in plan.items:
        item.name = overrides.get(item.item_id) or naming.for_store(unique[item.item_id], item.store)


def _check_sizes(plan: Plan, store_check) -> None:
    for item in plan.items:
        size = len(item.payload().encode("utf-8"))
        _large_file_to_secretsmanager(plan, item, size)
        if item.store == "secretsmanager":
            item.tier = "SecretString (JSON)" if item.group else "SecretString"
            if size > SECRETS_MANAGER_LIMIT:
                item.manual = f"{size} bytes is above Secrets Manager's 64 KB limit"
        elif size > ADVANCED_LIMIT:
            item.manual = f"{size} bytes is above the Advanced tier's 8 KB limit"
        elif size > STANDARD_LIMIT:
            item.tier = "SecureString, Advanced tier"
            item.notes.append(ADVANCED_COST)
            if not plan.settings.allow_advanced_tier:
                item.manual = f"{size} bytes needs the Advanced tier (pass --allow-advanced-tier; it costs money)"
        else:
            item.tier = "SecureString, Standard tier"
        if "PRIVATE KEY-----" in item.payload() and not any(is_whole_file(m) for m in item.members):
            item.notes.append("a private key: stored whole; where a key file cannot be rewritten, "
                              "delete it and fetch the key from the store at deploy time")
        if store_check is not None and item.manual is None:
            item.manual = store_check(item)


def _large_file_to_secretsmanager(plan: Plan, item: Item, size: int) -> None:
    """A whole secret file too large for the SSM tier it may use goes to Secrets Manager."""
    limit = ADVANCED_LIMIT if plan.settings.allow_advanced_tier else STANDARD_LIMIT
    if item.store == "ssm" and size > limit and any(is_whole_file(m) for m in item.members):
        item.store = "secretsmanager"
        item.name = naming.for_store(item.name, item.store)
        item.notes.append(f"{size} bytes: above the SSM tier allowed, so stored in Secrets Manager")


def _assign_env_vars(plan: Plan) -> None:
    """Environment variable names, unique in the manifest; only values read from the
    environment claim one, so a name used by a template elsewhere does not push it aside."""
    try:
        text = fs.read_confined(plan.root / MANIFEST, plan.root, "manifest").decode("utf-8", "replace")
    except FileNotFoundError:
        text = None
    taken = existing_entries(text)
    from_env = {s.item_id for s in plan.sites if reads_environment(s.path, plan.texts[s.path])}
    for item in sorted(plan.items, key=lambda i: i.name):
        for member in item.members:
            reference = item.target(member).reference()
            wanted = naming.env_var_name(member.variable or "secret")
            name, n = wanted, 1
            while member.value_id in from_env and taken.get(name, reference) != reference:
                n += 1
                name = f"{wanted}_{n}"
            if member.value_id in from_env:
                taken[name] = reference
            member.env_var = name


def plan_changes(plan: Plan, arn=None, only: set[str] | None = None) -> list[FileChange]:
    """Each file's change; `only` limits it to the given item ids (those verified in the store)."""
    item_of = {m.value_id: item for item in plan.items for m in item.members}
    by_path: dict[str, list[BoundSite]] = {}
    for site in plan.sites:
        item = item_of[site.item_id]
        if item.manual is None and (only is None or item.item_id in only):
            by_path.setdefault(site.path, []).append(_bound(site, item, item.member(site.item_id)))
    return [_checked(plan, plan_file(FileContext(path, plan.texts[path], tuple(sites), arn or _placeholder_arn(plan),
                                                 binary=path in plan.binary)))
            for path, sites in sorted(by_path.items())]


def _checked(plan: Plan, change: FileChange) -> FileChange:
    """Drop a rewrite that would leave a parseable file unparseable; its sites become manual."""
    if not change.edits or change.delete:  # a deleted file need not parse
        return change
    old = plan.texts[change.path]
    try:
        new, _ = apply_edits(old, change.edits, {})
    except RewriteError as exc:
        reason = f"edits overlap ({exc})"
    else:
        if still_parses(change.path, old, new):
            return change
        reason = "the rewritten file would not parse"
    for site in change.rewritten:
        change.skip(site, reason)
    change.edits, change.rewritten, change.generated, change.manifest = [], [], [], {}
    return change


def _bound(site: Site, item: Item, member: Member) -> BoundSite:
    start, end = site.start, site.end
    if member.span is not None:  # grouped: only part of the literal (a URI's password) moves
        start, end = site.start + member.span[0], site.start + member.span[1]
    return BoundSite.bind(site, item.target(member), start=start, end=end, env_var=member.env_var)


def _placeholder_arn(plan: Plan):
    region = plan.settings.region or "<region>"

    def arn(target: StoreTarget) -> str:
        if target.store == "ssm":
            return f"arn:aws:ssm:{region}:<account>:parameter/{target.name.lstrip('/')}"
        return f"arn:aws:secretsmanager:{region}:<account>:secret:{target.name}-<suffix>"
    return arn


def salted_hash(value: str) -> str:
    return hashlib.sha256(b"keystow-migrate-value\0" + value.encode()).hexdigest()[:32]

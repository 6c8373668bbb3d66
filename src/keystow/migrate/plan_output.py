"""The plan as the user sees it: text on the terminal and `.keystow/plan.json` on disk.

Neither ever holds a secret value: values appear redacted (first characters and an ellipsis) and
as salted hashes; each file's change is shown as the lines it will become.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict
from pathlib import Path
from typing import NamedTuple

from keystow import fs
from keystow.errors import ConfigError, FatalError, NewerFormatError
from keystow.migrate.model import Plan, Settings, settings_from_dict
from keystow.migrate.plan import salted_hash
from keystow.migrate.references.base import BY_DESIGN
from keystow.migrate.rewrite import PIECE_KINDS, apply_edits, piece_text

PLAN_FILE = ".keystow/plan.json"
PLAN_VERSION = 1


class PlannedMember(NamedTuple):
    value_hash: str   # salted_hash(value): the plan holds no value
    key: str | None   # the JSON key inside a grouped Secrets Manager secret


class PlannedItem(NamedTuple):
    item_id: str
    name: str
    store: str
    members: tuple[PlannedMember, ...]


class PlanFile(NamedTuple):
    """What keystow reads back from `.keystow/plan.json` (the rest is for people): `migrate
    --apply --plan` the settings, names and file hashes; purge the members' store targets."""

    version: int
    settings: Settings | None
    items: tuple[PlannedItem, ...]
    files: dict[str, str]  # path -> sha256 of the contents the plan was made from


def redacted_text(plan: Plan, text: str) -> str:
    """The text with every value, and its base64 form (a Kubernetes `data:` value), redacted."""
    forms = {piece_text(kind, value) for value in plan.values.values() if value for kind in PIECE_KINDS}
    for value in sorted(forms, key=len, reverse=True):
        text = text.replace(value, value[:min(4, len(value) // 4)] + "…")
    return text


def file_diffs(plan: Plan) -> dict[str, list[str]]:
    """path → changed lines (`-old` redacted, `+new`), as a zero-context unified diff."""
    diffs = {}
    values = {vid: v for vid, v in plan.values.items()}
    for change in plan.changes:
        if not change.edits:
            continue
        old = plan.texts[change.path]
        new, _ = apply_edits(old, change.edits, values)
        lines = difflib.unified_diff(redacted_text(plan, old).splitlines(), redacted_text(plan, new).splitlines(),
                                     lineterm="", n=0)
        diffs[change.path] = [line for line in lines if not line.startswith(("---", "+++"))]
    return diffs


def occurrences(plan: Plan) -> dict[str, list[dict]]:
    """value id → where it appears and what happens there."""
    result: dict[str, list[dict]] = {}
    for change in plan.changes:
        for site in change.rewritten:
            result.setdefault(site.item_id, []).append(
                {"path": site.path, "line": site.line, "action": "rewrite", "style": change.kind,
                 "resolves": change.resolves, "note": change.note, "env_var": site.env_var or None})
        for site, reason in change.manual:
            result.setdefault(site.item_id, []).append(
                {"path": site.path, "line": site.line, "action": "manual", "reason": reason})
    for item in plan.items:
        if item.manual:
            for site in (s for s in plan.sites if s.item_id in item.member_ids()):
                result.setdefault(site.item_id, []).append(
                    {"path": site.path, "line": site.line, "action": "manual", "reason": item.manual})
    return result


def summary(where: dict[str, list[dict]], plan: Plan) -> dict[str, int]:
    """How many occurrences are rewritten, left to a person, and left on purpose (by design: a
    Terraform state file, whose remedy is in its reason). `manual` excludes `manual_by_design`."""
    found = [occ for occs in where.values() for occ in occs]
    by_design = sum(1 for occ in found if occ["action"] == "manual" and occ["reason"].startswith(BY_DESIGN))
    manual = sum(1 for occ in found if occ["action"] == "manual") - by_design + len(plan.unreadable)
    rewritten = sum(1 for occ in found if occ["action"] == "rewrite")
    return {"occurrences": len(found) + len(plan.unreadable), "rewritten": rewritten, "manual": manual,
            "manual_by_design": by_design}


def to_json(plan: Plan) -> dict:
    where = occurrences(plan)
    items = []
    for item in plan.items:
        items.append({
            "id": item.item_id, "name": item.name, "store": item.store, "tier": item.tier,
            "group": item.group, "notes": item.notes, "manual": item.manual,
            "members": [{"value_hash": salted_hash(m.value), "rule_id": m.rule_id, "redacted": m.redacted,
                         "key": m.key, "env_var": m.env_var, "occurrences": where.get(m.value_id, [])}
                        for m in item.members]})
    return {
        "version": PLAN_VERSION, "settings": asdict(plan.settings), "items": items,
        "files": dict(sorted(plan.file_hashes.items())),
        "changes": file_diffs(plan),
        "generated": sorted({g.path for c in plan.changes for g in c.generated} | _manifest_path(plan)),
        "unreadable": [{"path": p, "line": n, "reason": r} for p, n, r in plan.unreadable],
        "expected_duration_seconds": round(plan.expected_duration, 1),
        "summary": summary(where, plan),
    }


def _manifest_path(plan: Plan) -> set[str]:
    return {".keystow-refs.toml"} if any(c.manifest for c in plan.changes) else set()


def dumps(plan: Plan) -> str:
    return json.dumps(to_json(plan), indent=2, ensure_ascii=False) + "\n"


def render_text(plan: Plan) -> str:
    data = to_json(plan)
    out = [f"keystow migrate plan: {len(plan.items)} secret(s) → {plan.settings.store}"
           f" (expected duration about {data['expected_duration_seconds']} s)"]
    for number, item in enumerate(data["items"], 1):
        status = f"MANUAL: {item['manual']}" if item["manual"] else f"{item['store']} {item['tier']}"
        out.append(f"\n{number}. {item['name']}  [{status}]" + (f"  group: {item['group']}" if item["group"] else ""))
        for note in item["notes"]:
            out.append(f"   note: {note}")
        for member in item["members"]:
            key = f" #{member['key']}" if member["key"] else ""
            out.append(f"   {member['rule_id']} {member['redacted']}{key}")
            for occ in member["occurrences"]:
                detail = (
                    f"{occ['style']}, {occ['resolves']}: {occ['note']}" if occ["action"] == "rewrite" else occ["reason"]
                )
                out.append(f"     {occ['path']}:{occ['line']}  {occ['action']}  ({detail})")
    for entry in data["unreadable"]:
        out.append(f"\nmanual: {entry['path']}:{entry['line']}: {entry['reason']}")
    for path, lines in data["changes"].items():
        out.append(f"\n{path} will become:")
        out += [f"   {line}" for line in lines]
    if data["generated"]:
        out.append("\nfiles added or updated: " + ", ".join(data["generated"]))
    counts = data["summary"]
    out.append(f"\n{counts['occurrences']} occurrence(s): {counts['rewritten']} rewritten, {counts['manual']} manual, "
               f"{counts['manual_by_design']} manual by design")
    return "\n".join(out) + "\n"


# --- reading the file back ------------------------------------------------------------------


def read_plan(path: Path, root: Path | None = None) -> PlanFile:
    """The plan file at `path` (inside `root`, read bounded and never through a link out, when
    given). FatalError when it is unreadable or not a plan; NewerFormatError when a newer keystow
    wrote it (its items may mean something this version does not know)."""
    try:
        raw = fs.read_confined(Path(path), root, "plan") if root else Path(path).read_bytes()
        document = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise FatalError(f"{path}: no such plan") from None
    except (OSError, ValueError) as exc:
        raise FatalError(f"{path}: cannot read the migrate plan: {exc}") from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ConfigError(f"{path}: not a keystow migrate plan (no format version)")
    if version > PLAN_VERSION:
        raise NewerFormatError(path, "migrate plan", version)
    items, files, settings = document.get("items"), document.get("files", {}), document.get("settings")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ConfigError(f"{path}: migrate plan items must be a list of objects")
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise ConfigError(f"{path}: migrate plan files must map paths to hashes")
    if settings is not None and not isinstance(settings, dict):
        raise ConfigError(f"{path}: migrate plan settings must be an object")
    try:
        typed = settings_from_dict(settings) if settings is not None else None
    except (TypeError, ValueError):
        raise ConfigError(f"{path}: migrate plan settings are not valid") from None
    return PlanFile(version, typed, tuple(_planned_item(item, path) for item in items), dict(files))


def _planned_item(raw: dict, where: Path) -> PlannedItem:
    item_id, name, store, members = raw.get("id", ""), raw.get("name"), raw.get("store"), raw.get("members", [])
    if not isinstance(name, str) or not isinstance(store, str) or not isinstance(members, list) \
            or not isinstance(item_id, str):
        raise ConfigError(f"{where}: migrate plan item needs a name, a store and a list of members: {raw!r:.80}")
    planned = []
    for member in members:
        value_hash = member.get("value_hash") if isinstance(member, dict) else None
        if not isinstance(value_hash, str):
            raise ConfigError(f"{where}: migrate plan member of {name} has no value_hash")
        key = member.get("key")
        planned.append(PlannedMember(value_hash, key if isinstance(key, str) and key else None))
    return PlannedItem(item_id, name, store, tuple(planned))

"""The plan as the user sees it: text on the terminal and `.keystow/plan.json` on disk.

Neither ever holds a secret value: values appear redacted (first characters and an ellipsis) and
as salted hashes; each file's change is shown as the lines it will become.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict

from keystow.migrate.plan import Plan, salted_hash
from keystow.migrate.rewrite import PIECE_KINDS, apply_edits, piece_text

PLAN_VERSION = 1


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
                detail = f"{occ['style']}, {occ['resolves']}: {occ['note']}" if occ["action"] == "rewrite" else occ["reason"]
                out.append(f"     {occ['path']}:{occ['line']}  {occ['action']}  ({detail})")
    for entry in data["unreadable"]:
        out.append(f"\nmanual: {entry['path']}:{entry['line']}: {entry['reason']}")
    for path, lines in data["changes"].items():
        out.append(f"\n{path} will become:")
        out += [f"   {line}" for line in lines]
    if data["generated"]:
        out.append("\nfiles added or updated: " + ", ".join(data["generated"]))
    return "\n".join(out) + "\n"

"""`keystow baseline audit`: walk the entries, mark each a true or false positive, give a reason.

Interactive by default (the CLI passes `click.prompt` as `ask`); `--json` prints a summary
instead. Both show redacted forms only.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Callable

from keystow import baseline as bl
from keystow.commands.baseline import (
    existing_baseline,
    located,
    matched_keys,
    scan_findings,
    within_of,
)
from keystow.commands.scan import ScanOptions
from keystow.errors import EXIT_CLEAN
from keystow.findings import Finding


def audit_summary(options: ScanOptions) -> dict:
    """What `baseline audit --json` prints: counts and entries, never a secret."""
    findings, path, anchor = scan_findings(options)
    baseline = existing_baseline(path, within_of(options))
    matched = matched_keys(baseline, findings, path, anchor)
    today = datetime.date.today()
    entries = [{**e.to_json(), "matched": e.key in matched, "expired": e.is_expired(today)}
               for e in sorted(baseline.entries, key=bl.Entry.sort_key)]
    for entry in entries:
        entry.pop("hash", None)
    verdicts = [e.get("verdict") or "unaudited" for e in entries]
    return {
        "baseline": str(path),
        "entries": len(entries),
        "true_positives": verdicts.count("true-positive"),
        "false_positives": verdicts.count("false-positive"),
        "unaudited": verdicts.count("unaudited"),
        "expired": sum(e["expired"] for e in entries),
        "unmatched": sum(not e["matched"] for e in entries),
        "items": entries,
    }


def audit_json(options: ScanOptions) -> int:
    print(json.dumps(audit_summary(options), indent=2, sort_keys=True))
    return EXIT_CLEAN


def audit_interactive(options: ScanOptions, ask: Callable[..., str], say: Callable[[str], None]) -> int:
    """Walk the entries not yet audited: show the redacted line, ask for a verdict and a reason."""
    findings, path, anchor = scan_findings(options)
    baseline = existing_baseline(path, within_of(options))
    base = path.resolve().parent
    where: dict[tuple, tuple[Finding, str, int]] = {}
    for finding, relative, line in located(findings, base, anchor):
        for key in baseline.finding_keys(finding, relative, line):
            where.setdefault(key, (finding, relative, line))
    todo = [e for e in sorted(baseline.entries, key=bl.Entry.sort_key) if e.verdict is None]
    say(f"{len(todo)} of {len(baseline.entries)} entries to audit in {path}")
    for number, entry in enumerate(todo, 1):
        hit = where.get(entry.key)
        say(f"\n[{number}/{len(todo)}] {entry.rule_id} in {entry.path}")
        say(context_line(base, *hit) if hit else "  (matches nothing in the current scan; `baseline prune` removes it)")
        answer = ask("(t)rue positive, (f)alse positive, (s)kip, (q)uit", default="s")
        if answer.lower().startswith("q"):
            break
        if answer.lower()[:1] not in ("t", "f"):
            continue
        verdict = "true-positive" if answer.lower().startswith("t") else "false-positive"
        reason = ask("reason", default="") or None
        _swap(baseline, entry, entry._replace(verdict=verdict, reason=reason or entry.reason))
    bl.save(baseline, path, within_of(options))
    return EXIT_CLEAN


def _swap(baseline: bl.Baseline, old: bl.Entry, new: bl.Entry) -> None:
    baseline.entries = [new if e == old else e for e in baseline.entries]


def context_line(base: Path, finding: Finding, relative: str, line: int) -> str:
    """`path:line: text` with the secret replaced by its redacted form (everything from the
    secret's column on, when the secret runs past the line)."""
    try:
        text = (base / relative).read_text(encoding="utf-8", errors="replace").splitlines()[line - 1]
    except (OSError, IndexError):
        text = ""
    if finding.secret in text:
        text = text.replace(finding.secret, finding.redacted)
    else:
        column = next((loc.column for loc in finding.locations if loc.line == line), 1)
        text = text[:column - 1] + finding.redacted
    return f"  {relative}:{line}: {text.strip()[:200]}"

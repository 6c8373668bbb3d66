"""Where each found secret sits: character spans in the work tree's files, values in memory.

A finding's line and column come from the scanner; the span is found again in the file's text
(the secret on that line, nearest the column), so edits replace exactly the secret's characters.
"""

from __future__ import annotations

from pathlib import Path

from keystow import fs
from keystow.detect.keystores import is_whole_file, secret_of
from keystow.findings import fingerprint, redact
from keystow.migrate import naming
from keystow.migrate.model import Member, Plan
from keystow.migrate.references.base import Site
from keystow.migrate.references.kubernetes import encoded_data_value
from keystow.migrate.rewrite import decode, sha256_bytes

OWN_FILES = (".keystow/", "keystow-plan.json", ".keystow-refs.toml")


def value_id(secret: str) -> str:
    return fingerprint("keystow-migrate", secret)[:20]


def collect_sites(plan: Plan, findings: list) -> None:
    seen: set[Site] = set()
    for finding in findings:
        for location in finding.locations:
            try:
                path = Path(location.path).resolve().relative_to(plan.root).as_posix()
            except ValueError:  # outside the work tree (a symlinked directory): not ours to edit
                continue
            if path.startswith(OWN_FILES):
                continue
            text = _text(plan, path, binary=is_whole_file(finding.rule_id))
            if text is None:
                plan.unreadable.append((path, location.line, "not a UTF-8 text file"))
                continue
            span, encoding = _span(text, location, finding.secret)
            if span is None:
                plan.unreadable.append((path, location.line, "secret not found at its reported position"))
                continue
            start, end = span
            plan.values[value_id(finding.secret)] = finding.secret
            variable = naming.variable_name(text[max(0, start - 300):start], finding.rule_id.replace("-", "_"),
                                            dotted=path.endswith(".properties"))
            site = Site(path, location.line, start, end, value_id(finding.secret), variable, encoding=encoding)
            if site not in seen:
                seen.add(site)
                plan.sites.append(site)


def _text(plan: Plan, path: str, binary: bool = False) -> str | None:
    """The file's text, read once; only UTF-8 text goes into plan.texts, and a keystore (`binary`:
    the scanner found it whole) as its base64, which is also its finding's secret."""
    if path not in plan.file_hashes:
        data = fs.read_confined(plan.root / path, plan.root, "source file")
        plan.file_hashes[path] = sha256_bytes(data)
        text = secret_of(data) if binary else decode(data)
        if text is not None:
            plan.texts[path] = text
        if binary:
            plan.binary.add(path)
    return plan.texts.get(path)


def _span(text: str, location, secret: str) -> tuple[tuple[int, int] | None, str]:
    """Where the secret is and how it is written there: as itself, or in base64 (a finding made
    by decoding a Kubernetes Secret's `data:` value is reported with the decoded secret)."""
    start = _locate(text, location.line, location.column, secret)
    if start is not None:
        return (start, start + len(secret)), ""
    return encoded_data_value(text, location.line, secret), "base64"


def _locate(text: str, line: int, column: int, secret: str) -> int | None:
    """The secret's offset: on its line, nearest to the reported column."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    hits, at = [], text.find(secret, start)
    while at >= 0 and text.count("\n", start, at) == 0:
        hits.append(at)
        at = text.find(secret, at + 1)
    return min(hits, key=lambda h: abs(h - start - column + 1)) if hits else None


def members_of(plan: Plan, findings: list) -> list[Member]:
    seen: dict[str, Member] = {}
    for finding in findings:
        vid = value_id(finding.secret)
        if vid in plan.values and vid not in seen:
            seen[vid] = Member(vid, finding.rule_id, redact(finding.secret), finding.secret)
    return list(seen.values())

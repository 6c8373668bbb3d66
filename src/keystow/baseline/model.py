"""The baseline: findings a team has accepted, so scans and hooks report only new ones.

`.keystow-baseline.json` holds no secret and no timestamp. An entry is keyed by rule id, a salted
hash of the secret and the path, so it survives line moves, rebases and squashes. The salt is
random per baseline and stored in it, so the hashes cannot be matched against another
repository's. The file is written with sorted keys and sorted entries, one field per line, so two
people adding entries usually merge without a conflict.

Entries imported from other tools keep those tools' identities: `sha1` (detect-secrets hashes the
secret with SHA-1) and `location` (gitleaks fingerprints: path, rule, line).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from keystow import fs
from keystow.baseline.paths import Scope, relative_path
from keystow.errors import ConfigError, NewerFormatError
from keystow.findings import Finding
from keystow.pipeline.result import ScanResult

if TYPE_CHECKING:
    # late: the hook imports this module; datetime is on its no-import list, needed only for a dated entry
    import datetime

__all__ = ["Baseline", "Entry", "filter_result", "load", "save"]

FORMAT_VERSION = 1
KINDS = ("sha256", "sha1", "location")
OPTIONAL_FIELDS = ("line", "reason", "owner", "expires", "verdict", "source", "scope")
TRUE_POSITIVE = "true-positive"
HISTORY = "history"


class Entry(NamedTuple):
    kind: str
    rule_id: str
    path: str
    hash: str = ""
    line: int | None = None
    reason: str | None = None
    owner: str | None = None
    expires: str | None = None  # YYYY-MM-DD; the entry stops suppressing after this day
    verdict: str | None = None  # "true-positive" | "false-positive", set by `baseline audit`
    source: str | None = None   # the tool an imported entry came from
    scope: str | None = None    # "history": recorded by a history scan (kept by a work-tree prune)

    @property
    def key(self) -> tuple:
        """What this entry matches; see `Baseline.finding_keys`."""
        if self.kind == "location":
            return ("location", self.rule_id, self.path, self.line)
        return (self.kind, self.rule_id if self.kind == "sha256" else "", self.path, self.hash)

    def sort_key(self) -> tuple:
        return (self.path, self.rule_id, self.kind, self.hash, self.line or 0)

    def is_expired(self, today: datetime.date) -> bool:
        return self.expires is not None and _date().fromisoformat(self.expires) < today

    @property
    def suppresses(self) -> bool:
        """An entry audited as a true positive is a leak to fix, not a finding to hide."""
        return self.verdict != TRUE_POSITIVE

    def to_json(self) -> dict:
        return {k: v for k, v in self._asdict().items() if v is not None and v != ""}


class Baseline:
    """The salt and the accepted entries (a plain class: see keystow.findings on dataclasses)."""

    def __init__(self, salt: str | None = None, entries: list[Entry] | None = None) -> None:
        self.salt = salt if salt is not None else os.urandom(16).hex()
        self.entries = entries if entries is not None else []

    def __repr__(self) -> str:
        return f"Baseline({len(self.entries)} entries)"

    def secret_hash(self, rule_id: str, secret: str) -> str:
        """sha256(salt, rule id, secret), NUL-separated so no two fields can run together."""
        data = "\0".join((self.salt, rule_id, secret)).encode("utf-8", "surrogateescape")
        return hashlib.sha256(data).hexdigest()

    def entry_for(self, finding: Finding, path: str, scope: str | None = None) -> Entry:
        return Entry("sha256", finding.rule_id, path, self.secret_hash(finding.rule_id, finding.secret), scope=scope)

    def finding_keys(self, finding: Finding, path: str, line: int) -> set[tuple]:
        """Every key under which an entry could record this finding at this location."""
        sha1 = hashlib.sha1(finding.secret.encode("utf-8", "surrogateescape")).hexdigest()
        return {("sha256", finding.rule_id, path, self.secret_hash(finding.rule_id, finding.secret)),
                ("sha1", "", path, sha1),
                ("location", finding.rule_id, path, line),
                ("location", "*", path, line)}

    def to_text(self) -> str:
        entries = [e.to_json() for e in sorted(set(self.entries), key=Entry.sort_key)]
        # late: the hook imports this module; json is on its no-import list
        import json

        document = {"version": FORMAT_VERSION, "salt": self.salt, "entries": entries}
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load(path: Path, within: Path | None = None) -> Baseline:
    """`within`: the repository a configured baseline must stay in (read bounded, never through a
    link out); None for a baseline the user named on the command line."""
    # late: the hook imports this module; json is on its no-import list
    import json

    try:
        data = fs.read_confined(path, within, "baseline") if within else fs.read_bounded(path, "baseline", follow=True)
        document = json.loads(data.decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except ValueError as exc:
        raise ConfigError(f"{path}: baseline is not valid JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("salt"), str):
        raise ConfigError(
            f"{path}: not a keystow baseline (no salt); import other tools' files with `keystow baseline import`"
        )
    document = upgraded(document, path)
    entries = document.get("entries", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: baseline entries must be a list")
    return Baseline(document["salt"], [_entry(raw, path) for raw in entries])


def upgraded(document: dict, where: Path) -> dict:
    """`document` in the current format. A file without a version predates versioning and has
    the version-1 shape; an upgrade happens in memory only, so the next save writes the current
    format. A newer version is refused: guessing at fields we do not know could drop entries and
    let accepted findings fail the build, or worse, let new ones pass."""
    version = document.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ConfigError(f"{where}: baseline version must be a whole number, got {version!r:.40}")
    if version > FORMAT_VERSION:
        raise NewerFormatError(where, "baseline", version)
    for step in range(version, FORMAT_VERSION):
        document = _UPGRADES[step](document)
    return document


def _from_unversioned(document: dict) -> dict:
    """Version 0 (no "version" key) already had salt and entries as version 1 does."""
    return {**document, "version": 1}


_UPGRADES = {0: _from_unversioned}  # version N -> the function that makes it version N + 1


def _entry(raw: object, where: Path) -> Entry:
    if not isinstance(raw, dict) or raw.get("kind") not in KINDS or not raw.get("path") or not raw.get("rule_id"):
        raise ConfigError(f"{where}: baseline entry needs kind ({'/'.join(KINDS)}), rule_id and path: {raw!r:.80}")
    expires = raw.get("expires")
    if expires is not None:
        try:
            _date().fromisoformat(str(expires))
        except ValueError:
            raise ConfigError(f"{where}: expires must be a date YYYY-MM-DD, got {expires!r}") from None
    known = {k: raw[k] for k in OPTIONAL_FIELDS if raw.get(k) is not None}
    return Entry(raw["kind"], str(raw["rule_id"]), str(raw["path"]), str(raw.get("hash", "")), **known)


def _date() -> type[datetime.date]:
    """`datetime.date`, imported on first use, not at the top: the hook imports this module on
    every commit, and only a baseline with expiry dates needs dates."""
    # late: the hook imports this module; datetime is on its no-import list, needed only for a dated entry
    import datetime

    return datetime.date


def save(baseline: Baseline, path: Path, within: Path | None = None) -> None:
    """Atomic replace, so a concurrent scan reads the old baseline or the new one; never through
    a link, and inside `within` (the repository) when the repository's config chose the path."""
    fs.write_atomic(path, baseline.to_text().encode("utf-8"), within=within)


# --- filtering a scan result (called by `keystow scan` and the hooks) -----------------------


def filter_result(result: ScanResult, scope: Scope) -> ScanResult:
    """Drop baselined locations from `result`; an expired entry stops suppressing and says so,
    and an entry audited as a true positive keeps its finding open (counted in the summary)."""
    path = scope.file
    if not path.is_file():
        return result
    baseline = load(path, scope.within)
    today = _date().today()
    unexpired = [e for e in baseline.entries if not e.is_expired(today)]
    active = [e for e in unexpired if e.suppresses]
    for entry in baseline.entries:
        if entry.is_expired(today):
            result.notices.append(
                f"baseline entry for {entry.rule_id} in {entry.path} expired on "
                f"{entry.expires}; it no longer suppresses findings"
            )
    base = path.resolve().parent
    if any(not f.secret for f in result.findings) and any(e.kind != "location" for e in active):
        # late: the hook imports this module; only a run with baseline entries to match needs the secret checks
        from keystow.baseline.secrets import (
            with_secrets,  # cached history findings carry no secret
        )

        result.findings = with_secrets(result.findings, scope.root)
    keys = {e.key for e in active}
    kept = [unmatched_part(f, baseline, keys, base, scope.anchor) for f in result.findings]
    before = sum(len(f.locations) for f in result.findings)
    result.findings = [f for f in kept if f is not None]
    result.suppressed["baselined"] = before - sum(len(f.locations) for f in result.findings)
    open_keys = {e.key for e in unexpired if not e.suppresses}
    result.suppressed["true_positives_open"] = sum(
        1 for f in result.findings if unmatched_part(f, baseline, open_keys, base, scope.anchor) is not f
    )
    return result


def unmatched_part(finding: Finding, baseline: Baseline, keys: set[tuple], base: Path, anchor: Path) -> Finding | None:
    """The finding with its baselined locations removed; None when nothing is left."""
    left = tuple(
        loc
        for loc in finding.locations
        if not keys & baseline.finding_keys(finding, relative_path(loc.path, base, anchor), loc.line)
    )
    if not left:
        return None
    return finding if len(left) == len(finding.locations) else finding.with_locations(left)

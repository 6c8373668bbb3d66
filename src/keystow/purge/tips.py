"""Which branch tips still hold a secret the purge would remove.

filter-repo rewrites every blob, the ones in a branch's current tree included. Replacing a
live value there breaks the code that uses it (or, for a migrated value, would deploy the
marker), so purge refuses by default while a target sits in a tip and lists those files in a
dry run. A tip's tree is compared by blob id with the history scan's locations: every blob
holding a target is already one of its locations.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from keystow import git
from keystow.purge.plan import Target

REFUSAL = ("{count} secret(s) to purge are still in a branch tip ({where}): migrate it first "
           "(`keystow migrate`), or pass `--include-head` to replace it there too")


@dataclass(frozen=True)
class TipFile:
    branch: str
    path: str
    targets: tuple[Target, ...]

    def describe(self) -> str:
        changes = ", ".join(f"{t.finding.redacted} -> {t.replacement}" for t in self.targets)
        return f"{self.branch}:{self.path}  {changes}"


def tip_files(repo: Path, targets: list[Target]) -> list[TipFile]:
    """Every (branch, file) of a current tree that the purge would change, with its targets."""
    by_blob: dict[str, list[Target]] = {}
    for target in targets:
        for blob in {loc.blob for loc in target.finding.locations if loc.blob}:
            by_blob.setdefault(blob, []).append(target)
    found = []
    for ref in git.refs(repo, "refs/heads"):
        branch = ref[len("refs/heads/"):]
        for blob, path in git.tree_blobs(repo, ref):
            if blob in by_blob:
                found.append(TipFile(branch, path, tuple(_unique(by_blob[blob]))))
    return found


def refusal(files: list[TipFile]) -> str:
    secrets = {t.fingerprint for f in files for t in f.targets}
    where = ", ".join(sorted({f"{f.branch}:{f.path}" for f in files})[:3])
    more = len({(f.branch, f.path) for f in files}) - 3
    return REFUSAL.format(count=len(secrets), where=where + (f" and {more} more" if more > 0 else ""))


def changed_tips(files: list[TipFile]) -> dict[str, list[str]]:
    """branch → the files of its tip the purge changed (for the aftercare report)."""
    changed: dict[str, list[str]] = {}
    for tip_file in files:
        changed.setdefault(tip_file.branch, []).append(tip_file.path)
    return {branch: sorted(paths) for branch, paths in sorted(changed.items())}


def _unique(targets: list[Target]) -> list[Target]:
    return list({t.fingerprint: t for t in targets}.values())

"""`--dry-run`: which commits and files a purge would change, and how many occurrences.

A commit changes when it brings in a blob holding a target secret, or when any parent changes
(its id depends on theirs). A merge brings in a blob only when it differs from every parent
(a conflict resolution); otherwise the side branch did. Occurrences are the history scan's
locations: one per place a secret sits in a blob.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from keystow import git
from keystow.purge.plan import Target
from keystow.sources.messages import COMMIT_MESSAGE


@dataclass
class DryRun:
    commits: list[str] = field(default_factory=list)  # every commit that gets a new id
    introducing: dict[str, list[str]] = field(default_factory=dict)  # commit → paths it adds secrets in
    occurrences: int = 0

    @property
    def files(self) -> list[str]:
        return sorted({path for paths in self.introducing.values() for path in paths})


def dry_run(repo: Path, targets: list[Target]) -> DryRun:
    blobs = {loc.blob for t in targets for loc in t.finding.locations if loc.blob}
    result = DryRun(occurrences=sum(len(t.finding.locations) for t in targets))
    messages = _message_commits(targets)
    changed: set[str] = set()
    for commit, parents, added in reversed(_commits(repo, blobs)):  # parents before children
        paths = sorted(path for path, count in added.items() if count >= max(1, len(parents)))
        paths += [COMMIT_MESSAGE] if commit in messages else []
        if paths:
            result.introducing[commit] = paths
        if paths or any(p in changed for p in parents):
            changed.add(commit)
            result.commits.append(commit)
    return result


def _message_commits(targets: list[Target]) -> set[str]:
    """Commits whose own message holds a target secret (their location is the message)."""
    return {loc.provenance.commit for t in targets for loc in t.finding.locations
            if loc.path == COMMIT_MESSAGE and loc.provenance is not None}


def _commits(repo: Path, blobs: set[str]) -> list[tuple[str, list[str], Counter]]:
    """(commit, parents, path → number of parent diffs adding a target blob there), children
    first; git lists a merge once per parent (-m), here merged into one entry."""
    commits: dict[str, tuple[str, list[str], Counter]] = {}
    for commit, parents, changes in git.changed_blobs_by_commit(repo):
        entry = commits.setdefault(commit, (commit, parents, Counter()))
        entry[2].update(path for blob, path in changes if blob in blobs)
    return list(commits.values())

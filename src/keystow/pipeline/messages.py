"""Scanning commit and annotated-tag messages (see `keystow.sources.messages`) for the history
and range scans, through the blob cache keyed by the commit or tag id."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from keystow.detect.scanner import Scanner
from keystow.findings import Provenance
from keystow.pipeline.blob_cache import BlobCache
from keystow.pipeline.blob_hits import Outcome, scan_blob
from keystow.sources.messages import iter_commit_messages, iter_tag_messages


def scan_messages(root: Path, revisions: list[str], every_tag: bool, scanner: Scanner, cache: BlobCache | None,
                  need_secrets: bool) -> Iterator[tuple[str, str, Provenance, Outcome]]:
    """(object id, path, provenance, outcome) per message: the commits `git log REVISIONS`
    lists, and the annotated tags (all of them with `every_tag`, else those on those commits)."""
    commits: set[str] = set()
    for commit, path, provenance, message in iter_commit_messages(root, revisions):
        commits.add(commit)
        yield commit, path, provenance, _outcome(commit, message, scanner, cache, need_secrets)
    if not commits and not every_tag:
        return
    for tag, path, provenance, message in iter_tag_messages(root, None if every_tag else commits):
        yield tag, path, provenance, _outcome(tag, message, scanner, cache, need_secrets)


def _outcome(key: str, message: bytes, scanner: Scanner, cache: BlobCache | None, need_secrets: bool) -> Outcome:
    cached = cache.get(key) if cache else None
    if cached is not None and not (need_secrets and cached.hits):
        return cached
    outcome = scan_blob(scanner, message)
    if cache:
        cache.put(key, outcome)
    return outcome


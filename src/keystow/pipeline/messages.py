"""Scanning commit and annotated-tag messages (see `keystow.sources.messages`) for the history
and range scans, through the blob cache keyed by the commit or tag id.

Messages are many and short (a history of 10,000 commits has 10,000 of them, ~60 bytes each), so
what costs is the scanner's work per text, not per byte. They are first searched in batches, in
one matcher pass per batch (`texts_with_hits`), and only a message that pass flags is scanned on
its own; the others have no finding, as a scan of their own would find.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from keystow.detect.quick import may_hold_encoded_values, needs_decoding
from keystow.detect.scanner import Scanner
from keystow.findings import Provenance
from keystow.pipeline.blob_cache import BlobCache
from keystow.pipeline.blob_hits import Outcome, scan_blob
from keystow.sources.messages import iter_commit_messages, iter_tag_messages

# Messages searched in one matcher pass.
BATCH = 512

Message = tuple[str, str, Provenance, bytes]  # (object id, path, provenance, message)


def scan_messages(root: Path, revisions: list[str], every_tag: bool, scanner: Scanner, cache: BlobCache | None,
                  need_secrets: bool) -> Iterator[tuple[str, str, Provenance, Outcome]]:
    """(object id, path, provenance, outcome) per message: the commits `git log REVISIONS`
    lists, and the annotated tags (all of them with `every_tag`, else those on those commits)."""
    commits: set[str] = set()

    def commit_messages() -> Iterator[Message]:
        for commit, path, provenance, message in iter_commit_messages(root, revisions):
            commits.add(commit)
            yield commit, path, provenance, message

    yield from _scan_batched(commit_messages(), scanner, cache, need_secrets)
    if not commits and not every_tag:
        return
    yield from _scan_batched(iter_tag_messages(root, None if every_tag else commits), scanner, cache, need_secrets)


def _scan_batched(messages: Iterable[Message], scanner: Scanner, cache: BlobCache | None,
                  need_secrets: bool) -> Iterator[tuple[str, str, Provenance, Outcome]]:
    batch: list[Message] = []
    for key, path, provenance, message in messages:
        cached = cache.get(key) if cache else None
        if cached is not None and not (need_secrets and cached.hits):
            yield key, path, provenance, cached
            continue
        batch.append((key, path, provenance, message))
        if len(batch) == BATCH:
            yield from _scan_batch(batch, scanner, cache)
            batch = []
    yield from _scan_batch(batch, scanner, cache)


def _scan_batch(batch: list[Message], scanner: Scanner, cache: BlobCache | None,
                ) -> Iterator[tuple[str, str, Provenance, Outcome]]:
    flagged = scanner.matcher.texts_with_hits([message for *_, message in batch]) if batch else []
    for (key, path, provenance, message), hit in zip(batch, flagged, strict=True):
        # what Scanner.scan_text reads beyond the matcher's hits, and text the scanner decodes
        # first (a BOM, a NUL), are scanned as before
        if hit or needs_decoding(message) or may_hold_encoded_values(message, ""):
            outcome = scan_blob(scanner, message)
        else:
            outcome = Outcome(scanned_bytes=len(message))
        if cache:
            cache.put(key, outcome)
        yield key, path, provenance, outcome

"""The incremental history cache: which blobs were already scanned, and what they held.

It lives in the repository's common git dir (`.git/keystow/`, never in the work tree), one file
per scanner digest (rules, filter policy and size limit), so a rule change starts afresh. It
stores, per blob: nothing (clean), a skip kind, or hits as rule, position, fingerprint and
redacted form. Never a secret: a report that must show one re-reads the blob.

Writes are atomic (temporary file + `os.replace`) and merge with what is on disk at that moment,
so two concurrent runs never corrupt the file and rarely lose each other's work.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from keystow import __version__, fs
from keystow.detect.scanner import Scanner
from keystow.pipeline.blob_hits import Outcome, hit_from_cache

CACHE_FORMAT = "2"  # 2: redacted forms carry a hash tag
KEEP = 4


def scanner_digest(scanner: Scanner, max_file_size: int) -> str:
    """Everything that changes what a blob yields: the rules, the filter policy, the size limit,
    and the detection code itself (an upgraded keystow must not trust an older keystow's results)."""
    rules = [(r.id, r.name, r.regex, r.severity, r.keywords, r.entropy, r.validator, r.window, r.tags,
              r.kind, r.confidence)
             for r in scanner.ruleset.rules]
    policy = [(name, _stable(getattr(scanner.policy, name))) for name in scanner.policy._fields]
    return fs.digest(repr((CACHE_FORMAT, rules, policy, max_file_size)), _detection_code_digest())[:24]


def _stable(value: object) -> object:
    """Compiled patterns by their source, so the digest is the same in every process."""
    if isinstance(value, tuple):
        return tuple(_stable(v) for v in value)
    return value.pattern if isinstance(value, re.Pattern) else value


@functools.lru_cache(maxsize=1)
def _detection_code_digest() -> bytes:
    detect = Path(__file__).resolve().parent.parent / "detect"
    parts: list[str | bytes] = [__version__]
    for source in sorted(detect.rglob("*.py")):
        parts += [source.relative_to(detect).as_posix(), source.read_bytes()]
    return fs.digest(*parts).encode()


class BlobCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.clean: set[str] = set()
        self.skipped: dict[str, str] = {}
        self.hits: dict[str, list] = {}
        self.new: dict[str, Outcome] = {}
        self._merge(_read(path))

    @classmethod
    def open(cls, git_dir: Path, digest: str) -> "BlobCache":
        return cls(git_dir / "keystow" / f"blobs-{digest}.json")

    def get(self, blob: str) -> Outcome | None:
        if blob in self.clean:
            return Outcome()
        if blob in self.skipped:
            return Outcome(skip=self.skipped[blob])
        if blob in self.hits:
            return Outcome(tuple(hit_from_cache(e) for e in self.hits[blob]))
        return None

    def put(self, blob: str, outcome: Outcome) -> None:
        if outcome.skip is None or outcome.skip == "binary" or outcome.skip.startswith("too-large"):
            # read errors (a missing or corrupt object) are retried next time
            self.new[blob] = outcome

    def save(self) -> None:
        if not self.new:
            return
        self._merge(_read(self.path))  # what a concurrent run wrote meanwhile
        for blob, outcome in self.new.items():
            if outcome.skip:
                self.skipped[blob] = outcome.skip
            elif outcome.hits:
                self.hits[blob] = [hit.cacheable() for hit in outcome.hits]
            else:
                self.clean.add(blob)
        document = {"format": CACHE_FORMAT, "clean": " ".join(sorted(self.clean)),
                    "skipped": self.skipped, "hits": self.hits}
        fs.write_cache(self.path, json.dumps(document, separators=(",", ":")).encode())
        self.new.clear()
        _prune(self.path.parent)

    def _merge(self, document: dict) -> None:
        if document.get("format") != CACHE_FORMAT:
            return
        self.clean.update(document.get("clean", "").split())
        self.skipped.update(document.get("skipped", {}))
        self.hits.update(document.get("hits", {}))


def _prune(directory: Path) -> None:
    """Keep the caches of the KEEP most recently written digests (rules change over time)."""
    try:
        caches = sorted(directory.glob("blobs-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in caches[KEEP:]:
            stale.unlink()
    except OSError:
        pass  # a concurrent run pruned it first


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            document = json.load(handle)
    except (OSError, ValueError):
        return {}  # missing or damaged: a cache miss, never an error
    return document if isinstance(document, dict) else {}

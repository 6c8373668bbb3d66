"""The incremental history cache: which blobs were already scanned, and what they held.

It lives in the repository's common git dir (`.git/keystow/`, never in the work tree), one file
per scanner digest (rules, filter policy and size limit), so a rule change starts afresh. It
stores, per blob: nothing (clean), a skip kind, or hits as rule, position, fingerprint and
redacted form. Never a secret: a report that must show one re-reads the blob.

The cache is trusted to say "nothing here", so it is bound to this repository and this user: its
file name and contents are authenticated (HMAC) with a per-user, per-repository key kept in the
user cache directory (`fs.repository_key`). A cache planted in `.git/keystow/` (a tarball, a
shared volume) cannot carry a valid code, fails verification and is ignored, never trusted.

Writes are atomic (temporary file + `os.replace`) and merge with what is on disk at that moment,
so two concurrent runs never corrupt the file and rarely lose each other's work.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from keystow import __version__, fs
from keystow.detect.public_examples import DATA_FILE as PUBLIC_EXAMPLES
from keystow.detect.scanner import Scanner
from keystow.git.catfile import BINARY, TOO_LARGE, ReadProblem
from keystow.pipeline.blob_hits import Outcome, hit_from_cache

# On disk a skip is a string: "binary" or "too-large:<size>" (`ReadProblem` in memory).
CACHE_FORMAT = "4"  # 2: redacted forms carry a hash tag; 3: hits carry public_example and severity;
# 4: a history blob is scanned as a file at its first path (Terraform state, scoped rules), hits keep
# their finding's name
KEEP = 4
CACHE_READ_LIMIT = 1 << 30  # ~40 bytes per clean blob: room for the largest histories


def scanner_digest(scanner: Scanner, max_file_size: int) -> str:
    """Everything that changes what a blob yields: the rules, the filter policy, the size limit,
    and the detection code itself (an upgraded keystow must not trust an older keystow's results)."""
    rules = [(r.id, r.name, r.regex, r.severity, r.keywords, r.entropy, r.validator, r.window, r.tags,
              r.kind, r.confidence, r.paths)
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
    parts.append(PUBLIC_EXAMPLES.read_bytes())  # a value added there changes what a blob yields
    return fs.digest(*parts).encode()


class BlobCache:
    def __init__(self, path: Path, key: bytes, git_dir: Path | None = None) -> None:
        self.path, self.key, self.git_dir = path, key, git_dir or path.parent
        self.rejected = False  # a cache file was there but failed verification
        self.clean: set[str] = set()
        self.skipped: dict[str, ReadProblem] = {}
        self.hits: dict[str, list] = {}
        self.new: dict[str, Outcome] = {}
        self._merge(self._read())

    @classmethod
    def open(cls, git_dir: Path, digest: str, root: Path) -> "BlobCache":
        key = fs.repository_key(root)
        name = fs.authenticate(key, digest.encode())[:24]  # not predictable without the key
        return cls(git_dir / "keystow" / f"blobs-{name}.json", key, git_dir)

    def get(self, blob: str) -> Outcome | None:
        if blob in self.clean:
            return Outcome()
        if blob in self.skipped:
            return Outcome(skip=self.skipped[blob])
        if blob in self.hits:
            return Outcome(tuple(hit_from_cache(e) for e in self.hits[blob]))
        return None

    def put(self, blob: str, outcome: Outcome) -> None:
        if outcome.skip is None or outcome.skip.permanent:
            # read errors (a missing or corrupt object) are retried next time
            self.new[blob] = outcome

    def save(self) -> None:
        if not self.new:
            return
        if not fs.is_within(self.path.parent, self.git_dir):
            return  # .git/keystow is a link out of the repository: write nothing there
        self._merge(self._read())  # what a concurrent run wrote meanwhile
        for blob, outcome in self.new.items():
            if outcome.skip:
                self.skipped[blob] = outcome.skip
            elif outcome.hits:
                self.hits[blob] = [hit.cacheable() for hit in outcome.hits]
            else:
                self.clean.add(blob)
        document = {"format": CACHE_FORMAT, "clean": " ".join(sorted(self.clean)),
                    "skipped": {blob: skip_to_cache(p) for blob, p in self.skipped.items()}, "hits": self.hits}
        document["mac"] = fs.authenticate(self.key, _canonical(document))
        fs.write_cache(self.path, json.dumps(document, separators=(",", ":")).encode())
        self.new.clear()
        _prune(self.path.parent)

    def _merge(self, document: dict) -> None:
        if document.get("format") != CACHE_FORMAT:
            return
        self.clean.update(document.get("clean", "").split())
        skipped = document.get("skipped", {})
        for blob, text in skipped.items() if isinstance(skipped, dict) else ():
            problem = skip_from_cache(text)
            if problem is not None:  # an entry this version cannot read is a cache miss
                self.skipped[blob] = problem
        self.hits.update(document.get("hits", {}))

    def _read(self) -> dict:
        """The verified document on disk; {} when missing, damaged or not authentic."""
        try:
            document = json.loads(fs.read_bounded(self.path, "history cache", CACHE_READ_LIMIT))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, fs.FatalError):
            document = None  # damaged, a link, not a regular file: a cache miss, never an error
        mac = document.pop("mac", None) if isinstance(document, dict) else None
        if not isinstance(document, dict) or not fs.authentic(self.key, _canonical(document), mac):
            self.rejected = True
            return {}
        return document


def skip_to_cache(problem: ReadProblem) -> str:
    return f"{TOO_LARGE}:{problem.size}" if problem.kind == TOO_LARGE else problem.kind


def skip_from_cache(text: object) -> ReadProblem | None:
    if text == BINARY:
        return ReadProblem(BINARY)
    kind, _, size = text.partition(":") if isinstance(text, str) else ("", "", "")
    if kind == TOO_LARGE and size.isdigit():
        return ReadProblem(TOO_LARGE, int(size))
    return None


def _prune(directory: Path) -> None:
    """Keep the caches of the KEEP most recently written digests (rules change over time)."""
    try:
        caches = sorted(directory.glob("blobs-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in caches[KEEP:]:
            stale.unlink()
    except OSError:
        pass  # a concurrent run pruned it first


def _canonical(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()

"""`keystow scan --history`: every unique blob reachable from any ref, scanned exactly once.

Three steps. (1) One streamed `git log --raw` pass maps each blob to the (path, commit) pairs
that introduced it (see `git_log`). (2) Blobs not already in the cache are read through one
long-lived `git cat-file --batch` process and scanned, in this process or in worker processes
(`--jobs`); (1) runs as the id source of (2), so both git processes work at the same time.
(3) Each blob's hits are placed at every location that introduced the blob, and grouped: one
finding per (rule, secret), carrying all its locations.

Refs: `--all` (branches, tags, remotes, notes, `refs/stash`) plus every older stash in the
stash reflog, because `git stash list` shows those to the user, plus the trees and blobs a ref
points at without a commit (`tagged_objects`). Other reflogs (amended or rebased-away commits)
are not scanned: they are not part of the repository anyone shares.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Callable, Iterable, Iterator

from keystow import git
from keystow.config import Config
from keystow.detect.keystores import RULES as KEYSTORE_RULES
from keystow.detect.keystores import named_like_keystore
from keystow.detect.scanner import Blob, Scanner
from keystow.errors import GitError
from keystow.findings import Finding, Location, Provenance
from keystow.git.catfile import BINARY, MISSING, ReadProblem
from keystow.pipeline.blob_cache import BlobCache, scanner_digest
from keystow.pipeline.blob_hits import Outcome, hit_from_finding, to_finding
from keystow.pipeline.messages import scan_messages
from keystow.pipeline.result import ScanResult
from keystow.pipeline.workers import PathedAnswer, default_jobs, scan_answers, scan_in_workers
from keystow.sources import Skipped
from keystow.sources.git_log import checked_log_options, iter_introductions
from keystow.sources.paths import path_allowlist
from keystow.sources.tagged_objects import iter_tagged_introductions

# Without an explicit --jobs, worker processes start only after this many blobs.
PARALLEL_AFTER = 2000

Introductions = dict[str, list[tuple[str, Provenance]]]
# Called with the result as it fills (from the reading loop and the log pass): a display reads
# its counts. It must be cheap; the caller throttles redraws.
ProgressCallback = Callable[[ScanResult], None]


def scan_history(repo: Path, scanner: Scanner, config: Config, *, use_cache: bool = True,
                 need_secrets: bool = False, jobs: int | None = None,
                 progress: ProgressCallback | None = None, log_options: tuple[str, ...] = ()) -> ScanResult:
    root = git.require_repository(Path(repo))
    revisions = ["--all", *git.stash_commits(root)]
    result = scan_revisions(root, revisions, scanner, config, use_cache=use_cache,
                            need_secrets=need_secrets, jobs=jobs, tagged_objects=not log_options,
                            progress=progress, log_options=log_options)
    result.notices.extend(git.history_overrides(root))
    if git.shallow_boundary(root):  # say so: "every version" is only what the clone holds
        result.notices.append("shallow clone: commits older than the clone's depth are not here and were not "
                              "scanned (git fetch --unshallow to scan them)")
    return result


def scan_revisions(root: Path, revisions: list[str], scanner: Scanner, config: Config, *,
                   use_cache: bool = True, need_secrets: bool = False, jobs: int | None = None,
                   tagged_objects: bool = False, messages: bool = True, progress: ProgressCallback | None = None,
                   log_options: tuple[str, ...] = ()) -> ScanResult:
    """Scan the blobs introduced by the commits `git log REVISIONS LOG_OPTIONS` lists (and, with
    `tagged_objects`, the trees and blobs refs point at directly), and those commits' messages
    and their annotated tags' messages (every annotated tag with `tagged_objects`). `log_options`
    narrow the walk (`--since=...`; checked against git_log.LOG_OPTION_ALLOWLIST)."""
    revisions = [*revisions, *checked_log_options(list(log_options))]
    digest = scanner_digest(scanner, config.max_file_size)
    cache = BlobCache.open(git.common_git_dir(root), digest, root) if use_cache else None
    result = ScanResult()
    if cache and cache.rejected:
        result.details.append(f"ignored the history cache {cache.path}: it failed verification (not written by "
                              "keystow for this repository as this user); every blob is scanned")
    tick = progress or _no_progress
    walk = HistoryWalk(root, revisions, config, cache, need_secrets, tagged_objects, result, lambda: tick(result))
    noteworthy: list[tuple[str, Outcome]] = []  # blobs with hits or skips; clean ones are only counted
    for blob, outcome in read_and_scan(root, walk.blobs_to_read(), walk.first_path, scanner, config.max_file_size,
                                       jobs):
        result.scanned_blobs += outcome.skip is None
        result.scanned_bytes += outcome.scanned_bytes
        if outcome.hits or outcome.skip:
            noteworthy.append((blob, outcome))
        if cache:
            cache.put(blob, outcome)
        tick(result)
    if messages:  # after the log pass: its introductions are complete, messages join them
        for key, path, provenance, outcome in scan_messages(root, revisions, tagged_objects, scanner, cache,
                                                             need_secrets):
            walk.introductions[key] = [(path, provenance)]
            if outcome.hits or outcome.skip:
                noteworthy.append((key, outcome))
    if cache:
        cache.save()
    outcomes = named_keystores(root, [*walk.from_cache, *noteworthy], walk.introductions, scanner,
                               config.max_file_size)
    placer = FindingPlacer(scanner, walk.introductions)  # complete now: the log pass has ended
    for blob, outcome in outcomes:
        placer.record(blob, outcome, result)
    result.findings.extend(placer.findings())
    result.notices.extend(walk.notices)
    return result


def named_keystores(root: Path, outcomes: list[tuple[str, Outcome]], introductions: Introductions,
                    scanner: Scanner, max_size: int) -> list[tuple[str, Outcome]]:
    """`outcomes` with each binary blob introduced at a keystore's name (`*.bks`, `*.p12`) read
    again and scanned with that path: the scan read it at its first path only, and formats without a
    structure keystow reads are known by name. Not cached: the blob at another path is just binary."""
    named = {blob: path for blob, outcome in outcomes if outcome.skip and outcome.skip.kind == BINARY
             for path in [next((p for p, _ in introductions[blob] if named_like_keystore(p)), None)] if path}
    if not named:
        return outcomes
    found: dict[str, Outcome] = {}
    for blob, data, _problem in git.CatFile(root, max_size).read(list(named)):
        findings = scanner.scan_binary(Blob(named[blob], data)) if data is not None else []
        if findings:
            found[blob] = Outcome(tuple(hit_from_finding(f) for f in findings), scanned_bytes=len(data or b""))
    return [(blob, found.get(blob, outcome)) for blob, outcome in outcomes]


def _no_progress(_result: ScanResult) -> None:
    pass


class HistoryWalk:
    """The `git log` pass, run as the id source of `git cat-file` (in its writer thread): it
    records where each blob was introduced and yields each new blob the cache cannot answer."""

    def __init__(self, root: Path, revisions: list[str], config: Config, cache: BlobCache | None,
                 need_secrets: bool, tagged_objects: bool = False, counts: ScanResult | None = None,
                 on_blob: Callable[[], None] | None = None) -> None:
        self.root, self.revisions, self.cache, self.need_secrets = root, revisions, cache, need_secrets
        self.tagged_objects = tagged_objects
        self.allowlist = path_allowlist(config)
        self.introductions: Introductions = {}
        self.from_cache: list[tuple[str, Outcome]] = []
        self.notices: list[str] = []
        self.counts = counts if counts is not None else ScanResult()  # its cached_blobs: answered by the cache
        self.on_blob = on_blob

    def blobs_to_read(self) -> Iterator[str]:
        """New blobs to read; a `git log` that dies on a damaged commit or tree becomes a notice
        and everything it listed before that is still scanned."""
        try:
            yield from self._walk()
        except GitError as exc:
            self.notices.append(f"history is incomplete (later commits were not scanned): {exc}")

    def _walk(self) -> Iterator[str]:
        # Each distinct path once: one string object for all its introductions (memory on big
        # histories), or None when the allowlist skips it (one match per path, not per commit).
        paths: dict[str, str | None] = {}
        for blob, path, provenance in self._introductions():
            if path not in paths:
                paths[path] = None if self.allowlist.matches_relative(path) else path
            kept = paths[path]
            if kept is None:
                continue
            place = (kept, provenance)
            places = self.introductions.get(blob)
            if places is not None:
                places.append(place)
                continue
            # recorded before the yield: the reader takes the blob's first path from here
            self.introductions[blob] = [place]
            if self._needs_reading(blob):
                yield blob
            elif self.on_blob:
                self.on_blob()

    def _introductions(self) -> Iterator[tuple[str, str, Provenance]]:
        """The log's introductions, then those of tagged trees and blobs no commit introduced
        at the same path (a tag on a commit's own tree adds nothing)."""
        yield from iter_introductions(self.root, self.revisions)
        if self.tagged_objects:
            for blob, path, provenance in iter_tagged_introductions(self.root):
                if all(known != path for known, _ in self.introductions.get(blob, ())):
                    yield blob, path, provenance

    def first_path(self, blob: str) -> str:
        """The path the walk first saw `blob` at (set before the blob is yielded)."""
        return self.introductions[blob][0][0]

    def _needs_reading(self, blob: str) -> bool:
        cached = self.cache.get(blob) if self.cache else None
        if cached is None or (self.need_secrets and cached.hits):
            return True
        self.counts.cached_blobs += cached.skip is None
        if cached.hits or cached.skip:
            self.from_cache.append((blob, cached))
        return False


def read_and_scan(root: Path, ids: Iterable[str], path_of: Callable[[str], str], scanner: Scanner, max_size: int,
                  jobs: int | None) -> Iterator[tuple[str, Outcome]]:
    """Outcome per blob, each scanned as the file `path_of` names (its first path in history), so
    what the working-tree scan reads by path holds in history too: a Terraform state's structure,
    a Kubernetes Secret's encoded values, the rules scoped to `.netrc` or `.pypirc`. Without an
    explicit --jobs, the first PARALLEL_AFTER blobs are scanned here, and only a history bigger
    than that is worth starting worker processes for."""
    answers: Iterator[PathedAnswer] = (PathedAnswer(blob, data, problem, path_of(blob))
                                       for blob, data, problem in git.CatFile(root, max_size).read(ids))
    workers = jobs if jobs is not None else _default_workers()
    if jobs is None and workers > 1:
        yield from scan_answers(itertools.islice(answers, PARALLEL_AFTER), scanner)
        following = next(answers, None)
        if following is None:
            return
        answers = itertools.chain([following], answers)
    if workers > 1:
        yield from scan_in_workers(answers, scanner, workers)
    else:
        yield from scan_answers(answers, scanner)


def _default_workers() -> int:
    return default_jobs()


class FindingPlacer:
    """Turns per-blob outcomes into grouped findings at every introducing location."""

    def __init__(self, scanner: Scanner, introductions: Introductions) -> None:
        self.rules = {**KEYSTORE_RULES, **{rule.id: rule for rule in scanner.ruleset.rules}}
        self.introductions = introductions
        self.order = {blob: index for index, blob in enumerate(introductions)}
        self.grouped: dict[tuple[str, str], list[tuple[tuple, Finding]]] = {}

    def record(self, blob: str, outcome: Outcome, result: ScanResult) -> None:
        first_path = self.introductions[blob][0][0]
        if outcome.skip and outcome.skip.permanent:
            result.skipped.append(_skipped(first_path, blob, outcome.skip))
            return
        if outcome.skip:  # a missing or corrupt object: one warning, the rest is still scanned
            problem = "missing or corrupt" if outcome.skip.kind == MISSING else outcome.skip.describe()
            result.notices.append(f"could not read blob {blob} ({first_path}): {problem}")
            return
        for hit in outcome.hits:
            for index, (path, provenance) in enumerate(self.introductions[blob]):
                key = (self.order[blob], index, hit.line, hit.column)
                finding = to_finding(hit, self.rules, path, blob, provenance)
                self.grouped.setdefault((hit.rule_id, hit.fingerprint), []).append((key, finding))

    def findings(self) -> list[Finding]:
        grouped = []
        for placed in self.grouped.values():
            placed.sort(key=lambda item: item[0])
            first = placed[0][1]
            locations = tuple(dict.fromkeys(finding.location for _, finding in placed))
            secret = next((f.secret for _, f in placed if f.secret), first.secret)
            grouped.append(_with(first, secret, locations))
        return grouped


def _with(finding: Finding, secret: str, locations: tuple[Location, ...]) -> Finding:
    if secret:
        return finding.replace(secret=secret, locations=locations, known_fingerprint=None, known_redacted=None)
    return finding.with_locations(locations)


def _skipped(path: str, blob: str, skip: ReadProblem) -> Skipped:
    if skip.kind == BINARY:
        return Skipped(path, f"binary blob {blob[:12]}", "binary")
    return Skipped(path, f"blob {blob[:12]} larger than the size limit ({skip.size / (1 << 20):.1f} MiB)", "too-large")

"""`--jobs N`: blobs scanned in worker processes while the parent reads them from git.

The parent streams blobs from `git cat-file --batch`, packs them into batches of about 1 MiB and
keeps at most two batches per worker in flight, so memory stays flat whatever the repository
size. Workers are spawned (not forked: a fork would inherit the pipe to `cat-file` and keep it
from ever seeing end of input) and each builds its scanner from the on-disk Hyperscan cache, so
nothing is recompiled. Results come back in completion order; callers sort what they report.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator, NamedTuple

from keystow.detect.scanner import Scanner
from keystow.errors import EXIT_INTERNAL, FatalError
from keystow.git.catfile import MISSING, ReadProblem
from keystow.pipeline.blob_hits import Outcome, scan_blob

BATCH_BYTES = 1 << 20
BATCH_BLOBS = 512
IN_FLIGHT_PER_WORKER = 2

_worker_scanner: Scanner | None = None


class PathedAnswer(NamedTuple):
    """A `git cat-file` answer (catfile.Answer) and the path the blob is scanned as."""

    blob: str
    data: bytes | None
    problem: ReadProblem | None
    path: str


def scan_answers(answers: Iterable[PathedAnswer], scanner: Scanner) -> Iterator[tuple[str, Outcome]]:
    """(blob, outcome) per answer: its scan, or why it has none."""
    for blob, data, problem, path in answers:
        yield blob, (scan_blob(scanner, data, path) if data is not None
                     else Outcome(skip=problem or ReadProblem(MISSING)))


def usable_cores() -> int:
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_jobs() -> int:
    """One core stays with `git cat-file`, which inflates every blob and is the bottleneck of a
    history scan: on 2 cores extra workers only add copying (bench/RESULTS.md, `history`)."""
    return max(1, usable_cores() - 1)


def scan_in_workers(answers: Iterable[PathedAnswer], scanner: Scanner, jobs: int) -> Iterator[tuple[str, Outcome]]:
    try:
        yield from _pooled(answers, scanner, jobs)
    except BrokenProcessPool:
        raise FatalError("a scanning worker process died (out of memory?); try a lower --jobs",
                         exit_code=EXIT_INTERNAL) from None


def _pooled(answers: Iterable[PathedAnswer], scanner: Scanner, jobs: int) -> Iterator[tuple[str, Outcome]]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                             initargs=(scanner.init_arguments(),)) as pool:
        pending: set[Future] = set()
        try:
            for batch in _batches(answers):
                if len(pending) >= jobs * IN_FLIGHT_PER_WORKER:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        yield from future.result()
                pending.add(pool.submit(_scan_batch, batch))
            for future in pending:
                yield from future.result()
        finally:
            for future in pending:
                future.cancel()


def _batches(answers: Iterable[PathedAnswer]) -> Iterator[list[PathedAnswer]]:
    batch: list[PathedAnswer] = []
    size = 0
    for answer in answers:
        batch.append(answer)
        size += len(answer[1] or b"")
        if size >= BATCH_BYTES or len(batch) >= BATCH_BLOBS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _init_worker(arguments: dict) -> None:
    global _worker_scanner
    _worker_scanner = Scanner(**arguments)  # the Hyperscan database comes from the on-disk cache


def _scan_batch(batch: list[PathedAnswer]) -> list[tuple[str, Outcome]]:
    scanner = _worker_scanner
    assert scanner is not None  # _init_worker sets it in every pool process
    return list(scan_answers(batch, scanner))

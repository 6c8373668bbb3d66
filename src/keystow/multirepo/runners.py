"""Where the per-repository tasks run: a local process pool, or an existing Dask cluster.

Both yield one `RepoReport` per spec as tasks complete (in completion order). A task that dies
rather than returning (a bug, a lost process, a cluster that gave up) becomes an "error" report
naming only the exception type: an exception's text may quote scanned bytes.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator

from keystow.errors import FatalError
from keystow.multirepo.model import RepoReport, RepoScanSettings, RepoSpec, failed
from keystow.multirepo.task import scan_repository, scanner_for

# Retries for a task that raised; a worker lost mid-task is rescheduled by the scheduler itself
# (up to `distributed.scheduler.allowed-failures` times) and does not count here.
DASK_RETRIES = 2
DASK_CONNECT_TIMEOUT = "20s"


def iter_local(specs: list[RepoSpec], settings: RepoScanSettings, jobs: int) -> Iterator[RepoReport]:
    scanner_for(settings)  # load (or compile) the database once, before the workers fork
    if jobs <= 1 or len(specs) <= 1:
        for spec in specs:
            yield _local_outcome(spec, lambda spec=spec: scan_repository(spec, settings))
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(specs))) as pool:
        futures = {pool.submit(scan_repository, spec, settings): spec for spec in specs}
        for future in as_completed(futures):
            yield _local_outcome(futures[future], future.result)


def _local_outcome(spec: RepoSpec, get) -> RepoReport:
    try:
        return get()
    except BrokenProcessPool:
        return failed(spec, "a worker process died")
    except Exception as exc:  # noqa: BLE001 - a bug in one repository's scan must not lose the others
        return failed(spec, describe_task_error(exc))


def iter_dask(specs: list[RepoSpec], settings: RepoScanSettings, address: str) -> Iterator[RepoReport]:
    distributed = _import_distributed()
    try:
        client = distributed.Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise FatalError(f"cannot connect to the Dask scheduler at {address}: {exc}") from None
    with client:
        futures = client.map(scan_repository, specs, settings=settings, pure=False, retries=DASK_RETRIES)
        spec_of = {future.key: spec for future, spec in zip(futures, specs, strict=True)}
        for future in distributed.as_completed(futures):
            yield _dask_outcome(spec_of[future.key], future)


def _dask_outcome(spec: RepoSpec, future) -> RepoReport:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - KilledWorker, CancelledError, a bug in the task
        return failed(spec, describe_task_error(exc))


def describe_task_error(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "KilledWorker":
        return "the cluster lost a worker on this repository too many times (KilledWorker)"
    if isinstance(exc, ModuleNotFoundError):
        return f"the worker cannot import {exc.name!r}: install keystow on every Dask worker"
    return f"the scan task failed: {name}"


def _import_distributed():
    try:
        # late: distributed is the optional `dask` extra
        import distributed
    except ImportError:
        raise FatalError("--dask needs the 'distributed' package: pip install 'keystow[dask]'") from None
    return distributed

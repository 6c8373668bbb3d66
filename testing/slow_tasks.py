"""Run `keystow scan-repos` with every per-repository task sleeping first.

    python -m testing.slow_tasks SECONDS -- scan-repos <arguments>

A test that kills a Dask worker mid-scan needs tasks that last long enough to be caught running.
The product has no option for that: this wrapper makes the runners submit `delayed_scan_repository`
(bound to SECONDS) instead of `scan_repository`. The function lives in this importable module, not
in `__main__`, so Dask and the process pool pickle it by name and each worker imports it (the
workers need this repository on their `sys.path`, as the test's LocalCluster has).
"""

from __future__ import annotations

import functools
import sys
import time

from keystow.multirepo.model import RepoReport, RepoScanSettings, RepoSpec
from keystow.multirepo.task import scan_repository


def delayed_scan_repository(seconds: float, spec: RepoSpec, settings: RepoScanSettings) -> RepoReport:
    time.sleep(seconds)
    return scan_repository(spec, settings)


def main(argv: list[str]) -> int:
    try:
        seconds = float(argv[0])
        if argv[1] != "--" or seconds < 0:
            raise ValueError
    except (IndexError, ValueError):
        print("usage: python -m testing.slow_tasks SECONDS -- scan-repos ARGS", file=sys.stderr)
        return 2
    from keystow.multirepo import runners
    from testing import slow_tasks  # this module by its importable name, not as __main__

    runners.scan_repository = functools.partial(slow_tasks.delayed_scan_repository, seconds)
    from keystow.cli.main import main as keystow_main

    return keystow_main(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

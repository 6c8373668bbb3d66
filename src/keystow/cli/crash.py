"""Crash reports for bugs: where it failed, never what the data was.

Exception messages and local variables can hold file content, and so secrets; the report keeps
only the exception type and the stack (file, line, function), which is what a maintainer needs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback

from keystow import fs
from keystow.errors import EXIT_INTERNAL


def redacted_report(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f"keystow crash: {type(exc).__module__}.{type(exc).__qualname__}",
             f"python {sys.version.split()[0]} on {sys.platform}", "stack (most recent call last):"]
    lines += [f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in frames]
    return "\n".join(lines) + "\n"


def report_crash(exc: BaseException) -> int:
    report = redacted_report(exc)
    path = _write_report(report)
    where = f" A report (no secrets in it) is at {path}." if path else ""
    print(f"keystow: internal error ({type(exc).__name__}). This is a bug: please report it.{where}",
          file=sys.stderr)
    return EXIT_INTERNAL


def _write_report(report: str) -> str | None:
    try:
        directory = fs.private_directory(fs.cache_dir())
        fd, path = tempfile.mkstemp(dir=directory, prefix=time.strftime("crash-%Y%m%d-%H%M%S-"), suffix=".txt")
        with os.fdopen(fd, "w") as handle:
            handle.write(report)
        return path
    except OSError:
        return None

"""Where commands write: results to stdout or a file, one-line notices to stderr."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from keystow import fs
from keystow.findings import visible


def notice(message: str) -> None:
    """One line on stderr; never carries a secret (callers pass paths, counts and rule ids).
    Exactly one line: a path or ref name from the repository cannot start a line of its own
    (a GitHub workflow command) or send terminal escapes."""
    print(f"keystow: {visible(message)}", file=sys.stderr)


def emit(text: str, output: Path | None = None) -> None:
    """The report, to a file (owner-only permissions) or stdout."""
    if output is None:
        sys.stdout.buffer.write(text.encode("utf-8", errors="surrogateescape"))
        sys.stdout.flush()
        return
    write_report(output, text.encode("utf-8", errors="surrogateescape"))


def write_report(output: Path, data: bytes) -> None:
    """A report the user asked for with `-o`: owner-only, and never written through a link that
    sits inside a repository (a checkout may commit `report.json -> ~/.bash_profile`; the link is
    replaced by the report). A link elsewhere, a device or a pipe the user named (`-o
    /dev/stdout`, a FIFO) is the user's own choice and is written as it is."""
    if (output.is_symlink() and not _inside_work_tree(output)) or _is_device_or_pipe(output):
        with open(output, "wb") as handle:
            handle.write(data)
        return
    fs.write_atomic(output, data, mode=0o600)


def _is_device_or_pipe(path: Path) -> bool:
    try:
        return not stat.S_ISREG(os.lstat(path).st_mode) and not path.is_symlink() and not path.is_dir()
    except OSError:
        return False


def _inside_work_tree(path: Path) -> bool:
    """Whether the link itself (not its target) sits in a git work tree."""
    directory = Path(os.path.abspath(path)).parent
    return any((folder / ".git").exists() for folder in (directory, *directory.parents))


def stdout_is_tty() -> bool:
    return sys.stdout.isatty() and os.environ.get("NO_COLOR") is None

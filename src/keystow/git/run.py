"""Every git process starts here: a hardened command line and environment.

keystow scans repositories it must not trust. A scanned repository's config can name commands
(core.fsmonitor, core.pager, diff textconv, filters, hooks); each is disabled on the command line
and the system config is ignored, so scanning never executes anything the repository configures.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

from keystow.errors import GitError
from keystow.git.command import HARDENING, git_command, git_env

__all__ = ["HARDENING", "git_command", "git_env", "run_git", "split_nul", "stream_git"]


def run_git(args: list[str] | tuple[str, ...], cwd: Path | str, input: bytes | None = None,
            check: bool = True, keep_index: bool = False) -> subprocess.CompletedProcess[bytes]:
    try:
        result = subprocess.run(git_command(*args), cwd=cwd, input=input, capture_output=True,
                                env=git_env(keep_index), stdin=None if input is not None else subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed in {cwd}: {message[-1] if message else 'no message'}")
    return result


def split_nul(output: bytes) -> list[str]:
    """Paths from `-z` output, decoded with surrogateescape so non-UTF-8 names survive."""
    return [os.fsdecode(item) for item in output.split(b"\0") if item]


def stream_git(args: list[str], cwd: Path, keep_index: bool = False) -> Iterator[bytes]:
    """Chunks of a git command's stdout as it runs (memory stays flat on huge histories)."""
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(git_command(*args), cwd=cwd, env=git_env(keep_index),
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors)
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None
        assert process.stdout is not None  # stdout=PIPE
        with process:
            while chunk := process.stdout.read(1 << 16):
                yield chunk
        if process.returncode != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed in {cwd}: {lines[-1] if lines else 'no message'}")



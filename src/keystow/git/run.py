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

# Config that could make git run a command the scanned repository chose. Passed on every call.
HARDENING = (
    "-c", "core.fsmonitor=false",
    "-c", "core.pager=cat",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.untrackedCache=false",
    "-c", "diff.external=",
    "-c", "core.sshCommand=false",
    "-c", "protocol.ext.allow=never",
    "-c", "uploadpack.packObjectsHook=",
    "-c", "core.alternateRefsCommand=",
    "-c", "log.showSignature=false",
    "-c", "diff.noprefix=false",
    "-c", "diff.mnemonicPrefix=false",
)


def git_env(keep_index: bool = False) -> dict[str, str]:
    """The environment without inherited GIT_* variables (inside a hook git sets GIT_DIR and
    GIT_INDEX_FILE for its own repository) and without the system config.

    GIT_NO_REPLACE_OBJECTS: a scanned repository's refs/replace/* (which mirror clones fetch)
    would otherwise swap any object for another on every read, e.g. a secret blob for a clean
    one; keystow reads objects as they are stored. GIT_GRAFT_FILE: `info/grafts` (which that
    setting does not cover) could cut a commit off from its real parents and hide them.

    `keep_index`: keep GIT_INDEX_FILE (made absolute). `git commit -a` and `git commit PATH` run
    the pre-commit hook against a temporary index named there; the staged scan must read it.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", PAGER="cat",
               GIT_OPTIONAL_LOCKS="0", LC_ALL="C",
               GIT_NO_REPLACE_OBJECTS="1", GIT_GRAFT_FILE=os.devnull)
    index = os.environ.get("GIT_INDEX_FILE")
    if keep_index and index:
        env["GIT_INDEX_FILE"] = os.path.abspath(index)
    return env


def git_command(*args: str) -> list[str]:
    return ["git", *HARDENING, *args]


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



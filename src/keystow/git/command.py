"""The command line and environment of every git process, and a one-shot reader built on `os`
alone for the hook's quick path.

`keystow.git.run` (subprocess) starts every other git call with the same HARDENING and
`git_env`; this module imports nothing heavier than `os`, so a clean commit through the hook
does not pay for subprocess, threading and selectors (~15 ms CPU per commit).
"""

from __future__ import annotations

import os

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
READ_CHUNK = 1 << 16
MAX_INPUT = 1 << 15  # what read_git writes to git's stdin at most


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


def read_git(args: list[str], cwd: str, input: bytes = b"", limit: int = 1 << 20) -> bytes | None:
    """The stdout of one git command run in `cwd` (index kept, see `git_env`), or None when git
    fails, is missing, or writes more than `limit` bytes (it is killed then). No message: the
    quick path's answer to any surprise is to hand the commit to the full scan, which reports.

    `input` is written whole before reading, so it must fit a pipe buffer (64 KiB on Linux)."""
    if len(input) > MAX_INPUT:
        return None
    to_git, from_git = os.pipe(), os.pipe()
    actions = [(os.POSIX_SPAWN_DUP2, to_git[0], 0), (os.POSIX_SPAWN_DUP2, from_git[1], 1),
               (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
               *((os.POSIX_SPAWN_CLOSE, fd) for fd in (*to_git, *from_git))]
    try:
        pid = os.posix_spawnp("git", git_command("-C", cwd, *args), git_env(keep_index=True), file_actions=actions)
    except OSError:  # no git on PATH
        pid = None
    os.close(to_git[0])
    os.close(from_git[1])
    with open(to_git[1], "wb") as writer, open(from_git[0], "rb", buffering=0) as reader:
        if pid is None:
            return None
        try:
            writer.write(input)
            writer.close()
        except BrokenPipeError:  # git stopped early; its status says why
            pass
        output = _read_at_most(reader, limit)
    if output is None:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    return output if output is not None and status == 0 else None


def _read_at_most(reader, limit: int) -> bytes | None:
    chunks, size = [], 0
    while chunk := reader.read(READ_CHUNK):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)

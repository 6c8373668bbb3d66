"""The only module that runs git.

Every call goes through `run_git`: NUL-separated output where git offers it, and a hardened
environment, because keystow scans repositories it must not trust. A scanned repository's config
can name commands (core.fsmonitor, core.pager, diff textconv, filters, hooks); keystow disables
each of them on the command line and ignores the system config, so scanning never executes
anything the repository configures.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

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
)


def git_env() -> dict[str, str]:
    """The environment without inherited GIT_* variables (inside a hook git sets GIT_DIR and
    GIT_INDEX_FILE for its own repository) and without the system config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", PAGER="cat",
               GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    return env


def git_command(*args: str) -> list[str]:
    return ["git", *HARDENING, *args]


def run_git(args: list[str] | tuple[str, ...], cwd: Path | str, input: bytes | None = None,
            check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        result = subprocess.run(git_command(*args), cwd=cwd, input=input, capture_output=True,
                                env=git_env(), stdin=None if input is not None else subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed in {cwd}: {message[-1] if message else 'no message'}")
    return result


def split_nul(output: bytes) -> list[str]:
    """Paths from `-z` output, decoded with surrogateescape so non-UTF-8 names survive."""
    return [os.fsdecode(item) for item in output.split(b"\0") if item]


def work_tree_root(path: Path) -> Path | None:
    """The top of the work tree holding `path`, or None outside any repository."""
    directory = path if path.is_dir() else path.parent
    result = run_git(["rev-parse", "--show-toplevel"], directory, check=False)
    if result.returncode != 0:
        return None
    return Path(os.fsdecode(result.stdout.rstrip(b"\n")))


def listed_files(root: Path, pathspecs: tuple[str, ...] = ()) -> list[str]:
    """Tracked files plus untracked files that are not ignored, relative to `root`."""
    result = run_git(["ls-files", "-z", "--cached", "--others", "--exclude-standard",
                      "--deduplicate", "--", *pathspecs], root)
    return split_nul(result.stdout)

"""Cloning for `keystow scan-repos`."""

from __future__ import annotations

from pathlib import Path

from keystow.errors import GitError
from keystow.git.run import run_git

# A clone runs the user's own ssh (the hardening turns ssh off against a scanned repository's
# config; a clone has no repository config yet). BatchMode: never wait for a password prompt.
CLONE_SSH = ("-c", "core.sshCommand=ssh -o BatchMode=yes")
# A checkout must not run smudge filters from the user's global config (git-lfs would fetch).
NO_LFS = ("-c", "filter.lfs.smudge=", "-c", "filter.lfs.process=", "-c", "filter.lfs.required=false")


def clone_repository(url: str, dest: Path, bare: bool = True) -> None:
    """Clone `url` into the new directory `dest`: a mirror (every ref, for history scans) or a
    shallow checkout of the default branch (for work-tree scans). Raises GitError with git's
    last line; callers that show it should anonymise the URL (it may carry a token)."""
    how = ["--mirror"] if bare else ["--depth", "1", "--no-recurse-submodules"]
    args = [*CLONE_SSH, *NO_LFS, "clone", "--quiet", *how, "--", url, str(dest)]
    result = run_git(args, dest.parent, check=False)
    if result.returncode != 0:
        raise GitError(f"clone failed: {_first_fatal_line(result.stderr)}")


def _first_fatal_line(raw: bytes) -> str:
    """git's first `fatal:` line names the cause; the advice lines after it do not."""
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    fatal = [line for line in lines if line.startswith("fatal:")]
    return (fatal or lines or ["no message"])[0].removeprefix("fatal: ")

"""Cloning for `keystow scan-repos`.

A clone URL may carry a token (`https://user:TOKEN@host/repo.git`). On git's command line it
would be readable by every local user in `ps` and /proc, and git would write it into the
clone's config. So the user part is taken out of the URL, and git gets it through the
environment: GIT_ASKPASS names a tiny script that prints KEYSTOW_GIT_USERNAME or
KEYSTOW_GIT_PASSWORD (the script itself holds nothing), and `credential.helper=` keeps the
user's helpers from storing it. A remote that stops answering is cut off by curl's low-speed
limit and by an overall timeout; git runs in its own process group, and the whole group (git,
git-remote-https, ...) is killed on a timeout or an interrupt, so nothing outlives the task.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from keystow.errors import GitError
from keystow.git.run import git_command, git_env

# A clone runs the user's own ssh (the hardening turns ssh off against a scanned repository's
# config; a clone has no repository config yet). BatchMode: never wait for a password prompt.
CLONE_SSH = ("-c", "core.sshCommand=ssh -o BatchMode=yes")
# A checkout must not run smudge filters from the user's global config (git-lfs would fetch).
NO_LFS = ("-c", "filter.lfs.smudge=", "-c", "filter.lfs.process=", "-c", "filter.lfs.required=false")
# Abort an HTTP transfer slower than 1 KB/s for 60 s (a server that accepts and never answers).
LOW_SPEED = ("-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=60")
DEFAULT_TIMEOUT = 1800.0
ASKPASS = """#!/bin/sh
case "$1" in
    Username*) printf '%s\\n' "$KEYSTOW_GIT_USERNAME" ;;
    *) printf '%s\\n' "$KEYSTOW_GIT_PASSWORD" ;;
esac
"""


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """(url without its user part, username, password) for http(s) URLs; others unchanged.
    ssh's `user@` is a login name, not a secret, and stays."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or "@" not in parts.netloc:
        return url, None, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, has_password, password = userinfo.partition(":")
    return (urlunsplit(parts._replace(netloc=host)), unquote(user),
            unquote(password) if has_password else None)


def clone_repository(url: str, dest: Path, bare: bool = True, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Clone `url` into the new directory `dest`: a mirror (every ref, for history scans) or a
    shallow checkout of the default branch (for work-tree scans). Raises GitError with git's
    last line; callers that show it should anonymise the URL (it may carry a token)."""
    plain_url, user, password = split_credentials(url)
    how = ["--mirror"] if bare else ["--depth", "1", "--no-recurse-submodules"]
    env = git_env()
    helper: tuple[str, ...] = ()
    askpass_dir = None
    if user is not None:
        askpass_dir = Path(tempfile.mkdtemp(prefix="keystow-askpass-"))  # 0700
        script = askpass_dir / "askpass"
        script.write_text(ASKPASS)
        script.chmod(0o700)
        env.update(GIT_ASKPASS=str(script), KEYSTOW_GIT_USERNAME=user, KEYSTOW_GIT_PASSWORD=password or "")
        helper = ("-c", "credential.helper=", "-c", "credential.interactive=never")
    args = [*CLONE_SSH, *NO_LFS, *LOW_SPEED, *helper, "clone", "--quiet", *how, "--", plain_url, str(dest)]
    try:
        returncode, stderr = run_in_group(git_command(*args), dest.parent, env, timeout)
    finally:
        if askpass_dir is not None:
            shutil.rmtree(askpass_dir, ignore_errors=True)
    if returncode is None:
        raise GitError(f"clone timed out after {timeout:g}s")
    if returncode != 0:
        raise GitError(f"clone failed: {_first_fatal_line(stderr)}")


def run_in_group(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int | None, bytes]:
    """(exit code, stderr) of `command` run as the leader of a new process group; None for the
    code when it ran out of time. On a timeout or any interrupt the whole group is killed."""
    try:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, start_new_session=True)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    try:
        _, stderr = process.communicate(timeout=timeout)
        return process.returncode, stderr
    except subprocess.TimeoutExpired:
        _kill_group(process)
        return None, b""
    except BaseException:
        _kill_group(process)
        raise
    finally:
        _kill_group(process)  # helpers git left behind (git-remote-https) go with it


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if process.returncode is None:
        process.communicate()


def _first_fatal_line(raw: bytes) -> str:
    """git's first `fatal:` line names the cause; the advice lines after it do not."""
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    fatal = [line for line in lines if line.startswith("fatal:")]
    return (fatal or lines or ["no message"])[0].removeprefix("fatal: ")

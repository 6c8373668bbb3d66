"""`keystow run -- CMD ARGS…`: resolve the reference manifest from AWS and exec CMD with the
values in its environment. The values live only in that process's environment.

With `--file PATH[=REF]` secret files (a private key, a keystore) are written back for the
child (runtime/files.py); keystow then waits for the child instead of replacing itself, so it
can remove the files when the child exits, and passes on the child's exit status.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from keystow.errors import FatalError
from keystow.runtime.files import parse_specs, remove_files, write_files
from keystow.runtime.resolve import MANIFEST_NAME, load_manifest, manifest_files, resolve_all

EXIT_COMMAND_NOT_FOUND = 127
AWS_KEY_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
# Credentials of another kind the caller may have: with injected long-term keys, a session token
# makes AWS reject every call, and a profile makes some SDKs ignore the keys.
CONFLICTING_AWS_VARIABLES = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE")


def run_with_references(command: list[str], refs: Path | None = None, *, region: str | None = None,
                        endpoint_url: str | None = None, files: tuple[str, ...] = (),
                        keep_files: bool = False) -> int:
    """Replaces this process with `command` (or, with files, runs it and returns its status)."""
    if not command:
        raise FatalError("no command given: keystow run [--refs FILE] [--file PATH=REF] -- CMD ARGS...")
    manifest = refs or Path(MANIFEST_NAME)
    references = _manifest_or_empty(manifest, explicit=refs is not None or not files, load=load_manifest)
    specs = parse_specs(list(files), _manifest_or_empty(manifest, explicit=False, load=manifest_files))
    wanted = {**references, **{_file_label(spec.path): spec.reference for spec in specs}}
    resolved = resolve_all(wanted, region=region, endpoint_url=endpoint_url)
    values = {name: resolved[name] for name in references}
    environment = child_environment(dict(os.environ), values)
    if not specs:
        return _exec(command, environment)
    written = write_files(specs, {spec.path: resolved[_file_label(spec.path)] for spec in specs}, Path.cwd(),
                          keep_files)
    try:
        return _run_and_wait(command, environment)
    finally:
        remove_files(written)


def child_environment(current: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    """The caller's environment with the values; injected AWS keys drop conflicting credentials."""
    if any(name in values for name in AWS_KEY_VARIABLES):
        for name in CONFLICTING_AWS_VARIABLES:
            if name not in values:
                current.pop(name, None)
    return {**current, **values}


def _file_label(path: str) -> str:
    return "file:" + path


def _manifest_or_empty(path: Path, explicit: bool, load) -> dict[str, str]:
    """The manifest's entries; a missing default manifest is empty when only files are wanted."""
    if not explicit and not path.exists():
        return {}
    return load(path)


def _exec(command: list[str], environment: dict[str, str]) -> int:
    try:
        os.execvpe(command[0], command, environment)
    except FileNotFoundError:
        raise FatalError(f"command not found: {command[0]}", EXIT_COMMAND_NOT_FOUND) from None
    except PermissionError:
        raise FatalError(f"command not executable: {command[0]}", 126) from None
    return 0  # pragma: no cover  (execvpe does not return)


def _run_and_wait(command: list[str], environment: dict[str, str]) -> int:
    """The child's exit status (128 + N when a signal ended it, as a shell reports it)."""
    try:
        child = subprocess.Popen(command, env=environment)
    except FileNotFoundError:
        raise FatalError(f"command not found: {command[0]}", EXIT_COMMAND_NOT_FOUND) from None
    except PermissionError:
        raise FatalError(f"command not executable: {command[0]}", 126) from None
    forwarded = {sig: signal.signal(sig, lambda number, _frame: child.send_signal(number))
                 for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        status = child.wait()
    finally:
        for sig, handler in forwarded.items():
            signal.signal(sig, handler)
    return 128 - status if status < 0 else status

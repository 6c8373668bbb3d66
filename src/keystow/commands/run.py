"""`keystow run -- CMD ARGS…`: resolve the reference manifest from AWS and exec CMD with the
values in its environment. The values live only in that process's environment."""

from __future__ import annotations

import os
from pathlib import Path

from keystow.errors import FatalError
from keystow.runtime.resolve import MANIFEST_NAME, resolve_manifest

EXIT_COMMAND_NOT_FOUND = 127


def run_with_references(command: list[str], refs: Path | None = None, *, region: str | None = None,
                        endpoint_url: str | None = None) -> int:
    """Replaces this process with `command`; returns only if it could not be started."""
    if not command:
        raise FatalError("no command given: keystow run [--refs FILE] -- CMD ARGS...")
    values = resolve_manifest(refs or Path(MANIFEST_NAME), region=region, endpoint_url=endpoint_url)
    environment = {**os.environ, **values}
    try:
        os.execvpe(command[0], command, environment)
    except FileNotFoundError:
        raise FatalError(f"command not found: {command[0]}", EXIT_COMMAND_NOT_FOUND) from None
    except PermissionError:
        raise FatalError(f"command not executable: {command[0]}", 126) from None
    return 0  # pragma: no cover  (execvpe does not return)

"""Helpers for the reliability tests: the real CLI in a subprocess, checked for tracebacks,
and fake credentials planted in files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from testing.fakes import Fakes

# Root ignores file modes; dropping these two capabilities makes permission checks real again.
NO_DAC = ("setpriv", "--inh-caps=-dac_override,-dac_read_search",
          "--bounding-set=-dac_override,-dac_read_search", "--")


def fake_key(seed: int) -> str:
    return Fakes(seed).aws_access_key_id()


def leak_line(seed: int) -> str:
    return f'AWS_KEY = "{fake_key(seed)}"\n'


def keystow(*args: str, cwd: Path, env: dict | None = None, prefix: tuple[str, ...] = (),
            input: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`keystow ARGS` in a subprocess; asserts that no Python traceback reached stderr."""
    result = subprocess.run([*prefix, sys.executable, "-m", "keystow", *args], cwd=cwd, input=input,
                            capture_output=True, env={**os.environ, **(env or {})}, timeout=timeout)
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    assert b"internal error" not in result.stderr, result.stderr.decode(errors="replace")
    return result


def scan_json(*args: str, cwd: Path, **kwargs) -> tuple[int, dict, str]:
    result = keystow("scan", "--format", "json", *args, cwd=cwd, **kwargs)
    document = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.returncode, document, result.stderr.decode(errors="replace")


def found_keys(document: dict) -> set[tuple[str, int]]:
    """(path, line) of each finding location."""
    return {(loc["path"], loc["line"]) for f in document.get("findings", []) for loc in f["locations"]}


def can_drop_privileges() -> bool:
    if shutil.which("setpriv") is None:
        return False
    probe = subprocess.run([*NO_DAC, "true"], capture_output=True)
    return probe.returncode == 0


def warm_cache_copy(destination: Path) -> Path:
    """A copy of the session's user cache with the compiled rules in it: a subprocess with an
    empty cache would spend seconds compiling the Hyperscan database first."""
    from keystow.config import Config
    from keystow.pipeline.scanning import build_scanner

    build_scanner(Config())  # compiles into the session cache once, then loads it
    shutil.copytree(os.environ["KEYSTOW_CACHE_DIR"], destination)
    return destination


def unprivileged_prefix() -> tuple[str, ...] | None:
    """Command prefix under which file modes are enforced: none needed for a normal user, the
    capability drop for root, None when root cannot drop them (such tests skip)."""
    if os.geteuid() != 0:
        return ()
    return NO_DAC if can_drop_privileges() else None

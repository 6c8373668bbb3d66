"""Where keystow may write, and a check that no full secret landed there."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from testing.fakes import Fakes


def planted_secrets(seed: int = 77) -> dict[str, str]:
    fakes = Fakes(seed)
    pem = fakes.rsa_private_key_pem()
    return {
        "aws_id": fakes.aws_access_key_id(), "aws_secret": fakes.aws_secret_access_key(),
        "github": fakes.github_token(), "slack": fakes.slack_bot_token(), "stripe": fakes.stripe_live_key(),
        "db_password": fakes.password(20), "pem_line": pem.splitlines()[5], "pem": pem,
    }


def write_fixture(root: Path, secrets: dict[str, str], name: str = "app") -> None:
    (root / f"{name}.py").write_text(
        f'KEY_ID = "{secrets["aws_id"]}"\naws_secret_access_key = "{secrets["aws_secret"]}"\n'
        f'GITHUB_TOKEN = "{secrets["github"]}"\nSLACK = "{secrets["slack"]}"\nSTRIPE = "{secrets["stripe"]}"\n')
    (root / f"{name}.env").write_text(f'DATABASE_URL=postgres://app:{secrets["db_password"]}@db.internal:5432/x\n')
    (root / f"{name}.pem").write_text(secrets["pem"])


def snapshot(*roots: Path) -> dict[Path, tuple[int, int]]:
    seen = {}
    for root in roots:
        for directory, _, files in os.walk(root):
            for name in files:
                path = Path(directory) / name
                info = path.lstat()
                seen[path] = (info.st_mtime_ns, info.st_size)
    return seen


def written_since(before: dict, *roots: Path, ignore: tuple[str, ...] = ()) -> list[Path]:
    """Files created or changed under `roots` since `before` (git's own objects excluded)."""
    after = snapshot(*roots)
    return [path for path, state in after.items()
            if before.get(path) != state and "objects" not in path.parts and not path.name.endswith(ignore)]


def leaks(secrets: dict[str, str], *blobs: bytes) -> list[str]:
    """Names of the secrets that appear in full in any of `blobs`."""
    found = []
    for name, value in secrets.items():
        if name == "pem":
            continue  # its lines are checked one by one (pem_line)
        needle = value.encode()
        if any(needle in blob for blob in blobs):
            found.append(name)
    return found


def file_leaks(secrets: dict[str, str], paths: list[Path]) -> dict[str, list[str]]:
    out = {}
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        found = leaks(secrets, data)
        if found:
            out[str(path)] = found
    return out


def owner_only(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0

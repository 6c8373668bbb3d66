"""Secret files written back at run time: `keystow run --file PATH=REF -- CMD`.

A migrated private key, keystore or credentials file lives whole in the store and is gone from
the work tree; `--file` puts it back for the child: created atomically (fs.write_atomic) with
mode 0600, only inside the current directory, never over a file that is already there, and
removed again when the child exits (`--keep-files` leaves it). A reference prefixed `base64:`
names a value stored base64-encoded (binary files such as `.jks`/`.p12`); the file gets the bytes.
A bare `--file PATH` takes its reference from the manifest's `"file:PATH" = "REF"` entry.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from keystow import fs
from keystow.errors import FatalError
from keystow.migrate.stores import BASE64_PREFIX

FILE_PREFIX = "file:"  # manifest keys naming a file, not an environment variable


@dataclass(frozen=True)
class FileSpec:
    path: str
    reference: str  # without the base64: prefix
    binary: bool


def parse_specs(specs: list[str], manifest_files: dict[str, str]) -> list[FileSpec]:
    """`PATH=REF` or `PATH` (looked up in the manifest) → FileSpec; a bad one is a FatalError."""
    parsed = []
    for spec in specs:
        path, sep, reference = spec.partition("=")
        if not sep:
            reference = manifest_files.get(path, "")
            if not reference:
                raise FatalError(f"--file {path}: no reference given and none in the manifest (use PATH=REF)")
        if not path or not reference:
            raise FatalError(f"--file {spec!r}: expected PATH=REF, e.g. keys/id_rsa=ssm:/app/keys/id_rsa")
        binary = reference.startswith(BASE64_PREFIX)
        parsed.append(FileSpec(path, reference.removeprefix(BASE64_PREFIX), binary))
    return parsed


def content(spec: FileSpec, value: str) -> bytes:
    if not spec.binary:
        return value.encode("utf-8")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise FatalError(f"--file {spec.path}: the stored value is not base64") from None


def write_files(specs: list[FileSpec], values: dict[str, str], base: Path, keep: bool) -> list[Path]:
    """Each file written (0600, atomically, inside `base`); the paths to remove afterwards."""
    written: list[Path] = []
    try:
        for spec in specs:
            target = fs.confine(Path(spec.path), base, "--file")
            if os.path.lexists(target) and not keep:
                raise FatalError(f"--file {spec.path}: already exists; keystow run does not overwrite it "
                                 "(remove it, or pass --keep-files to replace it and leave it in place)")
            parent = target.parent
            if not parent.is_dir():
                raise FatalError(f"--file {spec.path}: directory {parent} does not exist")
            fs.write_atomic(target, content(spec, values[spec.path]), within=base, mode=0o600)
            written.append(target)
    except BaseException:
        remove_files(written)
        raise
    return [] if keep else written


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass

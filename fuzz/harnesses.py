"""Atheris targets: each takes fuzzer bytes and must only ever raise keystow's expected errors.

Anything else (a TypeError in a loader, an exception from the scanner) is a finding: atheris
stops, prints the input and writes it as crash-<hash> in the working directory.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from keystow.errors import ConfigError, RuleError

WORK = Path(tempfile.mkdtemp(prefix="keystow-fuzz-"))


def _file(name: str, data: bytes) -> Path:
    path = WORK / name
    path.write_bytes(data)
    return path


def scanner_target():
    from keystow.config import Config
    from keystow.detect.scanner import Blob
    from keystow.pipeline.scanning import build_scanner, scan_blobs

    scanner = build_scanner(Config())

    def run(data: bytes) -> None:
        scan_blobs(scanner, [Blob("fuzz.txt", data)])

    return run


def rules_target():
    from keystow.detect.ruleset import load_rule_file

    def run(data: bytes) -> None:
        try:
            load_rule_file(_file("rules.yaml", data))
        except RuleError:
            pass

    return run


def config_target():
    from keystow.config import load_config

    def run(data: bytes) -> None:
        path = _file(".keystow.toml", data)
        try:
            load_config(path.parent, path)
        except ConfigError:
            pass

    return run


def baseline_target():
    from keystow import baseline

    def run(data: bytes) -> None:
        path = _file(".keystow-baseline.json", data)
        try:
            loaded = baseline.load(path)
        except ConfigError:
            return
        json.loads(loaded.to_text())

    return run


TARGETS = {"scanner": scanner_target, "rules": rules_target, "config": config_target, "baseline": baseline_target}


def seeds(name: str) -> list[bytes]:
    """A few valid inputs per target, so the fuzzer starts from the real formats."""
    from testing.fakes import Fakes

    fakes = Fakes(99)
    if name == "scanner":
        return [f'KEY = "{fakes.aws_access_key_id()}"\n'.encode(), fakes.rsa_private_key_pem().encode(),
                f"postgres://u:{fakes.password()}@h/db\n".encode(), "a = 1\n".encode("utf-16")]
    if name == "rules":
        rule = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "purge" / "rules.yaml"
        return [rule.read_bytes()] if rule.exists() else [b"rules: []\n"]
    if name == "config":
        return [b'max_file_size = "10MiB"\nallow_paths = ["tests/**"]\ndisabled_rules = ["x"]\n',
                b'allow_regexes = ["^x$"]\ninvalid_checksum = "low"\n']
    return [json.dumps({"version": 1, "salt": "ab", "entries": [
        {"kind": "sha256", "rule_id": "r", "path": "p", "hash": "00", "line": 3, "expires": "2030-01-01"}]}).encode()]


def cleanup() -> None:
    for child in WORK.iterdir():
        child.unlink()
    os.rmdir(WORK)

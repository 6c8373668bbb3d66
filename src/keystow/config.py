"""`.keystow.toml` or `[tool.keystow]` in `pyproject.toml` → a frozen `Config`.

Unknown keys warn (naming the key); an invalid value is one clear error line (exit 2).

A config found in the scanned repository is the repository's word, not the user's: the files it
names (extra_rules) must lie inside that repository, and every file is read with a size bound
(`extra_rules = ["/dev/zero"]` read until MemoryError). `--config FILE` is the user's and free.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import NamedTuple

from keystow.errors import ConfigError

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
CONFIG_READ_LIMIT = 4 << 20  # a config file is a few KB
SIZE = re.compile(r"^\s*(\d+)\s*([KMG]i?B?|B)?\s*$", re.I)
UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


class Config(NamedTuple):
    disabled_rules: frozenset[str] = frozenset()
    extra_rules: tuple[Path, ...] = ()
    allow_paths: tuple[str, ...] = ()
    allow_regexes: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    baseline: str = ".keystow-baseline.json"
    invalid_checksum: str = "drop"
    source: str | None = None
    warnings: tuple[str, ...] = ()  # what loading it warned about (unknown keys)


KEYS = {"disabled_rules", "extra_rules", "allow_paths", "allow_regexes", "stopwords",
        "max_file_size", "baseline", "invalid_checksum"}


def find_config(start: Path, ignored: list[str] | None = None) -> tuple[Path, dict] | None:
    """The nearest `.keystow.toml`, else a `pyproject.toml` with `[tool.keystow]`, upwards.

    Outside a git work tree, a config in a parent directory is applied only when it belongs to
    the current user (or root): anyone can put a `.keystow.toml` in /tmp to switch rules off for
    every scan below it. Such a file is skipped and named in `ignored`.
    """
    directory = start.resolve()
    directory = directory if directory.is_dir() else directory.parent
    chain = (directory, *directory.parents)
    in_work_tree = any((candidate / ".git").exists() for candidate in chain)
    for candidate in chain:
        for path in (candidate / ".keystow.toml", candidate / "pyproject.toml"):
            if not path.is_file():
                continue
            if candidate != directory and not in_work_tree and not _owned_by_us(path):
                if ignored is not None:
                    ignored.append(f"{path}: not applied: owned by another user (uid {path.stat().st_uid})")
                continue
            table = _read_toml(path)
            table = table if path.name == ".keystow.toml" else table.get("tool", {}).get("keystow")
            if isinstance(table, dict):
                return path, table
        if (candidate / ".git").exists():
            return None
    return None


def _owned_by_us(path: Path) -> bool:
    return os.stat(path).st_uid in (os.getuid(), 0)


def load_config(start: Path, explicit: Path | None = None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        table = _read_toml(explicit)
        table = table.get("tool", {}).get("keystow", {}) if explicit.name == "pyproject.toml" else table
        return parse_config(table, explicit, confined=False)
    ignored: list[str] = []
    found = find_config(start, ignored)
    config = parse_config(found[1], found[0]) if found else Config()
    return config._replace(warnings=(*ignored, *config.warnings))


def parse_config(table: dict, path: Path, confined: bool = True) -> Config:
    """`confined`: a config found in a repository may name only files inside that repository."""
    where = str(path)
    warnings = tuple(f"{where}: unknown key {key!r} ignored" for key in sorted(set(table) - KEYS))
    base = path.parent
    regexes = _strings(table, "allow_regexes", where)
    for regex in regexes:
        try:
            re.compile(regex)
        except (re.error, OverflowError, RecursionError) as exc:  # x{99999999999}, deep nesting
            raise ConfigError(f"{where}: allow_regexes: {regex!r} does not compile: {exc}") from None
    checksum = table.get("invalid_checksum", "drop")
    if checksum not in ("drop", "low"):
        raise ConfigError(f"{where}: invalid_checksum must be 'drop' or 'low'")
    baseline = table.get("baseline", ".keystow-baseline.json")
    if not isinstance(baseline, str):
        raise ConfigError(f"{where}: baseline must be a string")
    extra_rules = tuple(base / p for p in _strings(table, "extra_rules", where))
    if confined:
        _check_inside(extra_rules, _repository_of(base), where)
    return Config(
        disabled_rules=frozenset(_strings(table, "disabled_rules", where)),
        extra_rules=extra_rules,
        allow_paths=tuple(_strings(table, "allow_paths", where)),
        allow_regexes=tuple(regexes),
        stopwords=tuple(w.lower() for w in _strings(table, "stopwords", where)),
        max_file_size=parse_size(table.get("max_file_size", DEFAULT_MAX_FILE_SIZE), where),
        baseline=baseline,
        invalid_checksum=checksum,
        source=where,
        warnings=warnings,
    )


def _repository_of(directory: Path) -> Path:
    """The work tree holding the config (nearest `.git` upwards), else the config's directory."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return directory


def _check_inside(paths: tuple[Path, ...], root: Path, where: str) -> None:
    real_root = os.path.realpath(root).rstrip(os.sep) + os.sep
    for path in paths:
        if not os.path.realpath(path).startswith(real_root):
            raise ConfigError(f"{where}: extra_rules: {path} is outside the repository {root}; a repository's config "
                              "may only name rule files inside it (pass --config FILE to use others)")


def parse_size(value: object, where: str = "max_file_size") -> int:
    """Bytes from an integer or a string such as `10MiB`, `512K`, `1G`."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    match = SIZE.match(value) if isinstance(value, str) else None
    if not match or int(match.group(1)) <= 0:
        raise ConfigError(f"{where}: max_file_size must be a positive size such as 10MiB, got {value!r}")
    unit = (match.group(2) or "").upper()[:1]
    return int(match.group(1)) * UNITS[unit]


def _strings(table: dict, key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return value


def toml_parser():  # noqa: ANN201 (a module)
    """`tomllib` on Python 3.11+, the `tomli` backport before. Imported only where TOML is read:
    the parser costs ~10 ms, which the hook does not pay when there is no config file."""
    if sys.version_info >= (3, 11):
        # late: the hook imports this module; without a config file it parses no TOML (~10 ms)
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def _read_toml(path: Path) -> dict:
    tomllib = toml_parser()

    try:
        with open(path, "rb") as handle:
            data = handle.read(CONFIG_READ_LIMIT + 1)
        if len(data) > CONFIG_READ_LIMIT:
            raise ConfigError(f"{path}: config file larger than {CONFIG_READ_LIMIT >> 20} MiB")
        return tomllib.loads(data.decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:  # TOML is UTF-8; tomllib lets this one through
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 at byte {exc.start}") from None

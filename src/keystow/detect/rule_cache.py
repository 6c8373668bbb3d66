"""A pickle of the parsed rules in the user cache, keyed by the rule files' identity.

The key covers each file's path, size and mtime (regex fragments live in the rule files, so they
are covered too), the rule schema's, and keystow's version, so editing a rule file or the schema
or upgrading keystow invalidates it. A corrupt or unreadable cache is ignored, never fatal.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from keystow import __version__, fs

# Part of the key: a pickle of another shape of Rule (2: Rule is a NamedTuple; 3: with kind and
# confidence; 4: with paths) is never tried.
# The rule schema is part of the key (a stricter schema must re-check cached rules). Spelled out
# here, not imported from rule_schema: the hook computes this key on every commit.
SCHEMA = Path(__file__).resolve().parent.parent / "rules" / "rule.schema.json"

CACHE_FORMAT = "5"


def _key(files: list[Path]) -> str | None:
    parts = [__version__, CACHE_FORMAT]
    for path in [*files, SCHEMA]:
        try:
            info = os.stat(path)
        except OSError:
            return None  # let the parser report the missing file
        parts += [os.path.abspath(path), str(info.st_size), str(info.st_mtime_ns)]
    return fs.digest(*parts)[:32]


def _path(files: list[Path]) -> Path | None:
    key = _key(files)
    return None if key is None else fs.cache_dir() / f"rules-{key}.pickle"


def load(files: list[Path]):
    path = _path(files)
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # missing, truncated or from another version: parse afresh
        return None


def store(files: list[Path], ruleset) -> None:
    path = _path(files)
    if path is None:
        return
    fs.write_cache(path, pickle.dumps(ruleset, protocol=pickle.HIGHEST_PROTOCOL))

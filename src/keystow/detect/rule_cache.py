"""A pickle of the parsed rules in the user cache, keyed by the rule files' identity.

The key covers each file's path, size and mtime (regex fragments live in the rule files, so they
are covered too), the rule schema's, and keystow's version, so editing a rule file or the schema
or upgrading keystow invalidates it. A corrupt or unreadable cache is ignored, never fatal.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from keystow import __version__

# Part of the key: a pickle of another shape of Rule (2: Rule is a NamedTuple; 3: with kind and
# confidence) is never tried.
CACHE_FORMAT = "3"


def _key(files: list[Path]) -> str | None:
    from keystow.detect.rule_schema import schema_path

    h = hashlib.sha256(f"{__version__}\0{CACHE_FORMAT}".encode())
    for path in [*files, schema_path()]:
        try:
            info = os.stat(path)
        except OSError:
            return None  # let the parser report the missing file
        h.update(f"{os.path.abspath(path)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return h.hexdigest()[:32]


def _path(files: list[Path]) -> Path | None:
    from keystow.detect.matcher import default_cache_dir

    key = _key(files)
    return None if key is None else default_cache_dir() / f"rules-{key}.pickle"


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
    import tempfile  # only on a cache miss: the hook's cached path does not pay for it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-rules-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(ruleset, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass

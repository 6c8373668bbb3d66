"""The user cache directory as a plain string, computed with `os` alone.

The hook's quick path reads its rule index from here before anything heavier is imported;
`keystow.fs.cache_dir` wraps the same answer in a Path for everyone else.
"""

from __future__ import annotations

import os
import sys


def user_cache_directory() -> str | None:
    """$KEYSTOW_CACHE_DIR, else XDG_CACHE_HOME or ~/.cache (Linux), ~/Library/Caches (macOS);
    None on other platforms, where platformdirs knows the answer."""
    override = os.environ.get("KEYSTOW_CACHE_DIR")
    if override:
        return override
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "keystow")
    if os.name == "posix":
        return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"), "keystow")
    return None

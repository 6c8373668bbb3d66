"""`tomllib` on Python 3.11+, the `tomli` backport before. Import this module only where TOML
is read: the parser costs ~10 ms, which the hook does not pay when there is no config file."""

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["tomllib"]

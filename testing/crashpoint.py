"""Run keystow and die, as kill -9 would, right after a named step of `migrate --apply`.

    python -m testing.crashpoint POINT -- <keystow arguments>

Crash-safety tests need a run that stops between the store write and the file rewrites. The
product has no hook for that: this wrapper replaces the function that ends the step with one that
calls it and then `os._exit(137)` (no cleanup, no flush, no exception handlers), and then runs
keystow's own entry point. An unknown POINT is an error, so a typo cannot pass as "no crash".
"""

from __future__ import annotations

import functools
import importlib
import os
import sys

KILLED = 137  # 128 + SIGKILL: what a shell reports for kill -9

POINTS = {
    "store-write": ("keystow.migrate.apply", "store_items"),   # every value stored, no file touched
    "file-write": ("keystow.migrate.apply", "rewrite_file"),   # the first source file rewritten
}


def die_after(point: str) -> None:
    module_name, function_name = POINTS[point]
    module = importlib.import_module(module_name)
    real = getattr(module, function_name)

    @functools.wraps(real)
    def dying(*args, **kwargs):
        real(*args, **kwargs)
        os._exit(KILLED)

    setattr(module, function_name, dying)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] != "--" or argv[0] not in POINTS:
        print(f"usage: python -m testing.crashpoint {{{'|'.join(POINTS)}}} -- KEYSTOW-ARGS", file=sys.stderr)
        return 2
    die_after(argv[0])
    from keystow.cli.main import main as keystow_main

    return keystow_main(argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The native hooks' entry point: `python -m keystow.cli.hook_entry pre-commit|pre-push`.

The same scan as `keystow scan --staged` / `--pre-push`, without click: every commit pays for
the hook's imports, and click is a good part of them. Errors are handled as `keystow.cli.main`
handles them: a one-line message for an expected problem, a redacted crash report for a bug.
"""

from __future__ import annotations

import sys

from keystow.cli.guard import guarded
from keystow.commands.scan import ScanOptions, run_scan
from keystow.errors import EXIT_USAGE, FatalError


def options_for(hook: str, arguments: list[str]):
    """`arguments`: what git passed the hook (pre-push: the remote's name and URL)."""
    if hook == "pre-commit":
        return ScanOptions(staged=True)
    if hook == "pre-push":
        return ScanOptions(pre_push=True, push_remote=arguments[0] if arguments and arguments[0] else None)
    raise FatalError(f"unknown hook {hook!r} (expected pre-commit or pre-push)")


def main(argv: list[str]) -> int:
    def run() -> int:
        return run_scan(options_for(argv[0] if argv else "", argv[1:]))

    return guarded(run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) if len(sys.argv) > 1 else EXIT_USAGE)

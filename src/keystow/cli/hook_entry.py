"""The native hooks' entry point: `python -m keystow.cli.hook_entry pre-commit|pre-push`.

The same scan as `keystow scan --staged` / `--pre-push`, without click: every commit pays for
the hook's imports. A small clean commit is answered by the quick path
(`keystow.pipeline.quick_staged`: two git processes, a rule index, `re` on the few rules whose
keywords occur) without importing the scanner; anything else goes through the full scan.
Errors are handled as `keystow.cli.main` handles them: a one-line message for an expected
problem, a redacted crash report for a bug.
"""

from __future__ import annotations

import sys

from keystow.cli.guard import guarded
from keystow.errors import EXIT_CLEAN, EXIT_USAGE, FatalError
from keystow.pipeline.quick_staged import quick_staged_counts, scanned_counts


def options_for(hook: str, arguments: list[str]):  # noqa: ANN201 - ScanOptions, imported late
    """`arguments`: what git passed the hook (pre-push: the remote's name and URL)."""
    # late: the quick path answers most commits without the scan command and its modules
    from keystow.commands.scan import ScanOptions

    if hook == "pre-commit":
        return ScanOptions(staged=True)
    if hook == "pre-push":
        return ScanOptions(pre_push=True, push_remote=arguments[0] if arguments and arguments[0] else None)
    raise FatalError(f"unknown hook {hook!r} (expected pre-commit or pre-push)")


def run_hook(hook: str, arguments: list[str]) -> int:
    if hook == "pre-commit":
        counts = quick_staged_counts()
        if counts is not None:
            print(f"No secrets found ({scanned_counts(*counts)}).")  # what the full scan's text report says
            return EXIT_CLEAN
    # late: the quick path answers most commits without the scan command and its modules
    from keystow.commands.scan import run_scan

    return run_scan(options_for(hook, arguments))


def main(argv: list[str]) -> int:
    return guarded(lambda: run_hook(argv[0] if argv else "", argv[1:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) if len(sys.argv) > 1 else EXIT_USAGE)

"""The outermost layer's error policy, shared by the CLI and the click-free hook entry point.

Expected problems (`FatalError`) become one line on stderr and their exit code; Ctrl-C exits 130;
anything else is a bug and becomes a redacted crash report with exit code 3.
"""

from __future__ import annotations

import sys

from keystow.errors import FatalError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing on the hook's path
if TYPE_CHECKING:
    from typing import Callable


def guarded(call: Callable[[], int]) -> int:
    try:
        return call()
    except FatalError as exc:
        # late: only an error message needs the sanitiser (it may quote a path or a git message)
        from keystow.findings import visible

        print(f"keystow: error: {visible(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("keystow: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: report without any secret
        # late: only a crash needs the crash report (traceback, tempfile); the hook's start-up does not pay for it
        from keystow.cli.crash import report_crash

        return report_crash(exc)

"""The outermost layer's error policy, shared by the CLI and the click-free hook entry point.

Expected problems (`FatalError`) become one line on stderr and their exit code; Ctrl-C exits 130;
anything else is a bug and becomes a redacted crash report with exit code 3.
"""

from __future__ import annotations

import sys
from typing import Callable

from keystow.errors import FatalError


def guarded(call: Callable[[], int]) -> int:
    from keystow.findings import visible  # an error may quote a path or a git message

    try:
        return call()
    except FatalError as exc:
        print(f"keystow: error: {visible(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("keystow: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: report without any secret
        # late: only a crash needs the crash report (traceback, tempfile); the hook's start-up does not pay for it
        from keystow.cli.crash import report_crash

        return report_crash(exc)

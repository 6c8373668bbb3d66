"""The line under a blocking report that says how to get past it, for the exact situation.

What unblocks depends on where the secret is: a `keystow:allow` comment or a work-tree
baseline entry only helps before the secret is committed. Once it is in a commit (pre-push, a
CI range, history), only a history baseline entry or rewriting the commit does. Each hint is
followed literally by a test (tests/workflow/test_unblock_hints.py).
"""

from __future__ import annotations

PATHS = ("To allow a false positive: add `keystow:allow` in a comment on its line, "
         "or record it with `keystow baseline update`.")
STAGED = ("Commit blocked. A real secret: remove it (`keystow migrate` moves it to AWS) and `git add` "
          "again. A false positive: add `keystow:allow` in a comment on its line and `git add` the file, "
          "or run `keystow baseline update` and `git add .keystow-baseline.json`.")
COMMITTED = ("These secrets are already in a commit, so a `keystow:allow` comment in a new commit does not "
             "help. A real secret: remove it, rewrite the commit (`git commit --amend`, or `git rebase -i` "
             "for an older one) and rotate it. A false positive: run `keystow baseline update --history` "
             "and commit .keystow-baseline.json.")
HISTORY = ("A false positive: `keystow baseline update --history`. A real secret: rotate it, move it out "
           "of the code (`keystow migrate`), then remove it from history (`keystow purge --history`).")


def unblock_hint(staged: bool, committed: bool, history: bool) -> str:
    """committed: a pre-push or a CI range scan (the secret sits in commits not yet merged)."""
    if staged:
        return STAGED
    if committed:
        return COMMITTED
    return HISTORY if history else PATHS

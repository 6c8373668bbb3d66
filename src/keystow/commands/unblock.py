"""The line under a blocking report that says how to get past it, for the exact situation.

What unblocks depends on where the secret is: a `keystow:allow` comment or a work-tree
baseline entry only helps before the secret is committed. Once it is in a commit (pre-push, a
CI range, history), only a history baseline entry or rewriting the commit does, and the gates
(pre-push, CI range) trust only the baseline the base revision already has. Each hint is
followed literally by a test (tests/workflow/test_unblock_hints.py).
"""

from __future__ import annotations

PATHS = ("To allow a false positive: add `keystow:allow` in a comment on its line, "
         "or record it with `keystow baseline update`.")
STAGED = ("Commit blocked. A real secret: remove it (`keystow migrate` moves it to AWS) and `git add` "
          "again. A false positive: add `keystow:allow` in a comment on its line and `git add` the file, "
          "or run `keystow baseline update` and `git add .keystow-baseline.json`.")
_REWRITE = ("These secrets are already in a commit, so a `keystow:allow` comment in a new commit does not "
            "help. A real secret: remove it, rewrite the commit (`git commit --amend`, or `git rebase -i` "
            "for an older one) and rotate it. ")
# A scan that trusts the repository's own baseline (--trust-head-config, or no gate).
COMMITTED = _REWRITE + "A false positive: run `keystow baseline update --history` and commit .keystow-baseline.json."
# The gates apply the base revision's baseline (keystow.pipeline.untrusted), so a baseline entry
# committed with the change does not unblock them by itself: it is reported for a reviewer.
PUSH_GATE = (_REWRITE + "A false positive: run `keystow baseline update --history`, commit "
             ".keystow-baseline.json and push it with `git push --no-verify` (this hook trusts only the "
             "baseline the remote already has; CI shows the baseline change to a reviewer).")
RANGE_GATE = (_REWRITE + "A false positive: run `keystow baseline update --history` and commit "
              ".keystow-baseline.json; this gate applies the base revision's baseline, so the entry counts "
              "once a reviewer has merged it to the base branch, or at once in a trusted pipeline run with "
              "`--trust-head-config`.")
HISTORY = ("A false positive: `keystow baseline update --history`. A real secret: rotate it, move it out "
           "of the code (`keystow migrate`), then remove it from history (`keystow purge --history`).")


def unblock_hint(staged: bool, committed: bool, history: bool, gate: str | None = None) -> str:
    """committed: a pre-push or a CI range scan (the secret sits in commits not yet merged);
    gate: "push" or "range" when that scan applied the base revision's baseline."""
    if staged:
        return STAGED
    if gate == "push":
        return PUSH_GATE
    if gate == "range":
        return RANGE_GATE
    if committed:
        return COMMITTED
    return HISTORY if history else PATHS

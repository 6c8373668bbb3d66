"""The demo's last step: purge the demo repository's history and show the aftercare summary.

`tools.demo` calls `demo_purge(repo)` after the migration step.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tools.demo.steps import banner, git, keystow


def demo_purge(repo: Path) -> None:
    if _dirty(repo):
        banner("Commit the migrated sources first: purge rewrites committed history only")
        git(repo, "add", "--all", "--", ".", ":(exclude)keystow-plan.json")
        git(repo, "commit", "-q", "-m", "move secrets into AWS")
    banner("Purge, dry run: which commits and files would change")
    keystow(repo, "purge", "--history", "--dry-run")
    banner("Purge history: bundle backup, git-filter-repo, then a fresh history scan as proof")
    keystow(repo, "purge", "--history", "--yes", check_codes=(0,))
    banner("Every version of every file again: nothing left to find")
    keystow(repo, "scan", "--history", "--no-cache", ".")


def _dirty(repo: Path) -> bool:
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                            capture_output=True, check=True)
    return bool(status.stdout.strip())

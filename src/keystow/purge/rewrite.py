"""The rewrite itself: git-filter-repo `--replace-text` over blobs and `--replace-message` over
commit and tag messages, with the expressions in a private temporary file.

keystow does not rewrite history itself; filter-repo is the tool GitHub's guidance names.
Binary blobs (a NUL in the first 8 KiB) are left untouched by `--replace-text`; a binary keystore
is a secret as a whole file, so its blobs are stripped instead (`--strip-blobs-with-ids`): the
file disappears from every commit that held it.
"""

from __future__ import annotations

from pathlib import Path

from keystow import git
from keystow.detect.keystores import is_whole_file
from keystow.purge.expressions import private_file, replace_text
from keystow.purge.plan import Target


def rewrite_history(repo: Path, targets: list[Target]) -> None:
    _forget_previous_run(repo)
    whole_files = [t for t in targets if is_whole_file(t.finding.rule_id)]
    texts = [t for t in targets if not is_whole_file(t.finding.rule_id)]
    blobs = sorted({loc.blob for t in whole_files for loc in t.finding.locations if loc.blob})
    with private_file(replace_text(texts)) as expressions, \
            private_file("".join(f"{blob}\n" for blob in blobs).encode()) as blob_ids:
        git.run_filter_repo(repo, ["--replace-text", str(expressions), "--replace-message", str(expressions),
                                   *(["--strip-blobs-with-ids", str(blob_ids)] if blobs else []),
                                   "--force", "--quiet"])


def commit_map(repo: Path) -> dict[str, str]:
    """Old commit id → new commit id, from filter-repo's record of the last run."""
    path = git.common_git_dir(repo) / "filter-repo" / "commit-map"
    mapping = {}
    for line in path.read_text().splitlines()[1:]:  # first line is the header
        old, _, new = line.partition(" ")
        mapping[old] = new
    return mapping


def _forget_previous_run(repo: Path) -> None:
    """Each purge rewrites all refs from scratch. A marker from an earlier filter-repo run would
    make this one a "continuation" (and, if older than a day, a question on stdin)."""
    marker = git.common_git_dir(repo) / "filter-repo" / "already_ran"
    marker.unlink(missing_ok=True)

"""The aftercare checklist: printed at the end and written to `keystow-purge-report.md`.

It names each purged secret only in redacted form (with its rule and fingerprint), because the
report sits in the work tree next to code that gets shared.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from keystow.purge.backup import restore_commands
from keystow.purge.plan import Target

REPORT_NAME = "keystow-purge-report.md"
GITHUB_GUIDE = ("https://docs.github.com/authentication/keeping-your-account-and-data-secure/"
                "removing-sensitive-data-from-a-repository")


@dataclass
class Outcome:
    targets: list[Target]
    backup: Path
    branches: list[str]
    tags: list[str]
    remotes: list[str]
    remaining: list[str] = field(default_factory=list)  # fingerprints still found afterwards
    commits_before: int = 0
    commit_map: dict[str, str] = field(default_factory=dict)  # old id → new id
    notes: list[str] = field(default_factory=list)  # refs/notes/* names: rewritten too, pushed apart
    changed_tips: dict[str, list[str]] = field(default_factory=dict)  # branch → current files replaced
    verdicts: dict[str, str] = field(default_factory=dict)  # fingerprint → active | inactive | unknown (--verify)

    @property
    def commits_rewritten(self) -> int:
        return sum(1 for old, new in self.commit_map.items() if old != new)

    @property
    def proven(self) -> bool:
        return not self.remaining


def render(outcome: Outcome) -> str:
    sections = [_status(outcome), _tips(outcome), _secrets(outcome), _push(outcome), _collaborators(), _hosting()]
    return "# keystow purge: aftercare\n\n" + "\n".join(sections)


def write_report(repo: Path, outcome: Outcome) -> Path:
    path = repo / REPORT_NAME
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(render(outcome))
    return path


def summary_lines(outcome: Outcome) -> list[str]:
    """The short form printed on the terminal before the pointer to the full report."""
    verdict = ("verified: none of them remains in any commit" if outcome.proven
               else f"NOT verified: {len(outcome.remaining)} still found; the backup is kept")
    return [f"purged {len(outcome.targets)} secret(s); {outcome.commits_rewritten} of "
            f"{outcome.commits_before} commits rewritten; {verdict}",
            f"backup (still holds the secrets): {outcome.backup}",
            *(f"  restore: {command}" for command in restore_commands(outcome.backup)),
            "rotate every secret listed in the report: history rewriting does not un-leak them"]


def _status(outcome: Outcome) -> str:
    lines = ["## Result", ""]
    lines += [f"- {line}" for line in summary_lines(outcome)[:2]]
    lines += [f"- restore: `{command}`" for command in restore_commands(outcome.backup)]
    for target in (t for t in outcome.targets if t.fingerprint in outcome.remaining):
        lines.append(f"- still in history: `{target.finding.redacted}` ({target.finding.rule_id}) "
                     f"in {', '.join(sorted({loc.path for loc in target.finding.locations}))}")
    lines += ["- Delete the backup once the rewritten history is pushed and checked: it contains the secrets.",
              "- git-filter-repo leaves binary files (a NUL byte in the first 8 KiB) untouched; a secret "
              "inside one is not purged and shows up as remaining (a keystore is removed whole instead).", ""]
    return "\n".join(lines)


def _tips(outcome: Outcome) -> str:
    """Which current trees changed: code there now holds a marker and needs a real value."""
    if not outcome.changed_tips:
        return "## Branch tips\n\nNo branch tip's tree changed: the current code is as it was.\n"
    lines = ["## Branch tips changed (--include-head)", "",
             "These current files now hold a marker instead of a value; give them a working reference:", ""]
    for branch, paths in outcome.changed_tips.items():
        lines += [f"- {branch}: {path}" for path in paths]
    return "\n".join(lines + [""])


def _secrets(outcome: Outcome) -> str:
    lines = ["## Rotate these secrets (they were exposed, whatever history says now)", "",
             *(["Verified active (still working) come first: rotate them now.", ""] if outcome.verdicts else []),
             "| secret (redacted) | rule | first commit (old → new id) | path | replaced by | fingerprint | live |",
             "|---|---|---|---|---|---|---|"]
    live = outcome.verdicts
    for target in sorted(outcome.targets, key=lambda t: (live.get(t.fingerprint) != "active", t.finding.rule_id,
                                                         t.fingerprint)):
        finding = target.finding
        path = finding.location.path.replace("|", "\\|")
        lines.append(f"| `{finding.redacted}` | {finding.rule_id} | {_first_commit(target, outcome.commit_map)} | "
                     f"{path} | `{target.replacement}` | {target.fingerprint[:12]} | "
                     f"{live.get(target.fingerprint, 'not checked')} |")
    return "\n".join(lines + [""])


def _first_commit(target: Target, commit_map: dict[str, str]) -> str:
    """The old id (what caches, forks and support requests know) and the new one."""
    provenance = target.finding.location.provenance
    if provenance is None:
        return "?"
    new = commit_map.get(provenance.commit)
    return f"{provenance.commit[:10]} → {new[:10]}" if new else provenance.commit[:10]


def _push(outcome: Outcome) -> str:
    remotes = outcome.remotes or ["<remote>"]
    lines = ["## Force-push the rewritten history", "",
             "Lift branch protection first where it forbids force pushes. Then, for each remote:", "", "```"]
    # ref and remote names come from the repository: quoted, so pasting a command runs only git
    for remote in (shlex.quote(name) if outcome.remotes else name for name in remotes):
        lines += [f"git push --force {remote} {shlex.quote(branch)}" for branch in outcome.branches]
        lines += [f"git push --force {remote} {shlex.quote('refs/tags/' + tag)}" for tag in outcome.tags]
        lines += [f"git push --force {remote} {shlex.quote('refs/notes/' + notes)}" for notes in outcome.notes]
        lines.append(f"git push --force --tags {remote}")
    lines += ["```", ""]
    if outcome.remotes:
        lines += ["Remote-tracking refs (refs/remotes/*) were dropped by git-filter-repo; the remote "
                  "configuration was restored. Run `git fetch` after pushing.", ""]
    else:
        lines += ["No remote is configured here: add the one the history was pushed to.", ""]
    return "\n".join(lines)


def _collaborators() -> str:
    return "\n".join([
        "## What collaborators must do", "",
        "- Delete old clones and clone again. Do not pull, merge or rebase from an old clone: that "
        "brings the purged commits (and the secrets) straight back.",
        "- Branches that only exist in an old clone: rebase them onto the new history with "
        "`git rebase --onto`, never merge them.",
        "- Forks, CI caches and mirrors are untouched by the rewrite; delete or re-create them.", ""])


def _hosting() -> str:
    return "\n".join([
        "## Hosting (GitHub and others)", "",
        "- Cached views, pull-request refs (refs/pull/*) and diffs of closed pull requests keep "
        "the old commits; on GitHub only GitHub Support can remove them.",
        f"- Anything that was pushed must be treated as compromised. Guide: {GITHUB_GUIDE}", ""])

"""Commit ranges for CI and hooks: `--range BASE..HEAD`, `--since REV`, `--pre-push`.

Only blobs introduced by commits in the range are scanned (through the same engine as
`--history`, cache included). `BASE..HEAD` has git's meaning: commits reachable from HEAD and
not from BASE, so a BASE that is not an ancestor behaves like their merge base. A BASE this
clone does not have (a shallow clone, or `HEAD~1` on a root commit) is named in a notice and
every commit reachable from HEAD that is present is scanned; never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from keystow import git
from keystow.config import Config
from keystow.detect.scanner import Scanner
from keystow.errors import GitError
from keystow.pipeline.history import scan_revisions
from keystow.pipeline.result import ScanResult


def scan_range(repo: Path, spec: str, scanner: Scanner, config: Config, **options) -> ScanResult:
    root = git.require_repository(Path(repo))
    base_spec, head_spec = _split(spec)
    head = git.resolve_commit(root, head_spec or "HEAD")
    if head is None:
        raise GitError(f"--range: unknown revision {head_spec or 'HEAD'!r}")
    notices: list[str] = []
    base = _base(root, base_spec, head_spec or "HEAD", notices)
    if base == head:
        return ScanResult(notices=notices)
    revisions = [head] + ([f"^{base}"] if base else [])
    missing_base = base_spec if base is None and not notices and set(base_spec) - {"0"} else None
    return _scan(root, revisions, scanner, config, notices, options, missing_base)


def scan_pre_push(repo: Path, stdin: bytes, scanner: Scanner, config: Config, remote: str | None = None,
                  **options) -> ScanResult:
    """Ref lines `<local ref> <local sha> <remote ref> <remote sha>` as git gives a pre-push hook.

    Pushed: each local sha that is not a deletion. Excluded: each remote sha this repository has,
    and what the remote being pushed to already has by its remote-tracking branches (a new branch
    has remote sha 0…0). With `remote` (the name git passes the hook), only that remote's
    branches count: a commit already on an internal `origin` is still scanned on its way to a
    public mirror. A push to a URL has no such branches. Without `remote`, every remote's branches
    count.
    """
    root = git.require_repository(Path(repo))
    pushed, known = [], []
    for line in stdin.decode("utf-8", "replace").splitlines():
        fields = line.split()
        if len(fields) != 4 or set(fields[1]) == {"0"}:
            continue  # malformed, or a branch deletion: nothing to scan
        pushed.append(fields[1])
        if set(fields[3]) != {"0"} and git.resolve_commit(root, fields[3]):
            known.append("^" + fields[3])
    if not pushed:
        return ScanResult()
    return _scan(root, [*pushed, *known, "--not", *_already_pushed(root, remote)], scanner, config, [], options)


def _already_pushed(root: Path, remote: str | None) -> list[str]:
    """The `git log --not` arguments for what the remote being pushed to already holds."""
    if not remote:
        return ["--remotes"]
    if remote in git.remote_names(root):
        return [f"--remotes={remote}"]  # refs/remotes/<remote>/*: names cannot hold glob characters
    return []  # a URL: nothing here tracks it


def _split(spec: str) -> tuple[str, str]:
    for separator in ("...", ".."):
        if separator in spec:
            base, head = spec.split(separator, 1)
            return base, head
    raise GitError(f"--range expects BASE..HEAD, got {spec!r}")


def _base(root: Path, base_spec: str, head_spec: str, notices: list[str]) -> str | None:
    if not base_spec or set(base_spec) == {"0"}:
        return None  # e.g. CI on a new branch: everything reachable from HEAD
    base = git.resolve_commit(root, base_spec)
    if base is None and not git.shallow_boundary(root):  # a shallow clone gets one notice in _scan
        notices.append(f"base revision {base_spec!r} is not available here (root commit or unknown "
                       f"revision): scanning every commit reachable from {head_spec}")
    return base


def _scan(root: Path, revisions: list[str], scanner: Scanner, config: Config, notices: list[str],
          options: dict, missing_base: str | None = None) -> ScanResult:
    notices.extend(git.history_overrides(root))
    notices.extend(_shallow_notice(root, revisions, missing_base))
    result = scan_revisions(root, revisions, scanner, config, **options)
    result.notices[:0] = notices
    return result


def _shallow_notice(root: Path, revisions: list[str], missing_base: str | None) -> list[str]:
    """One line naming what a shallow clone lacks: the base, and the history behind the
    boundary commits the range reaches."""
    boundary = set(git.shallow_boundary(root))
    if not boundary:
        return []
    listed = git.run_git(["rev-list", *revisions, "--"], root, check=False).stdout.decode().split()
    reached = sorted(boundary.intersection(listed))
    if not reached:
        return []
    names = ", ".join(c[:12] for c in reached)
    base = f"base revision {missing_base!r} and " if missing_base else ""
    return [f"shallow clone: {base}the parents of {names} are not available; scanned the commits "
            f"present, and files already in {'that commit' if len(reached) == 1 else 'those commits'} "
            f"are reported as introduced there"]

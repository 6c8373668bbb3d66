"""Files and directories on disk.

Inside a git work tree the files are the tracked ones plus untracked ones not ignored (asked of
git); elsewhere the walk honours `.gitignore` files itself, counting what each one hid (a
scanned directory's `.gitignore` of `*` must not pass for a clean result). A file or directory
named on the command line is read even when an ignore rule covers it, with a notice. Symlinks
are never followed. Sizes are checked before reading, so a huge file costs a `stat`, not a read.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from keystow import git
from keystow.config import Config
from keystow.detect.scanner import Blob
from keystow.sources import Skipped

if TYPE_CHECKING:
    # late: the hook imports this module; only a directory with a .gitignore or a path allowlist needs pathspec
    import pathspec

STDIN = "-"


def iter_path_blobs(paths: list[str], max_file_size: int, allowed: "PathAllowlist",
                    recurse_submodules: bool = False, ignored: dict[str, int] | None = None,
                    notices: list[str] | None = None, include_ignored: bool = False) -> Iterator[Blob | Skipped]:
    """`ignored`: per ignore file (or git's rules), how many files it hid; `notices`: named paths
    read although an ignore file covers them. A path named here is read even when ignored (all
    of it, for a directory); `include_ignored` (`--no-ignore`) reads ignored files under any."""
    ignored = {} if ignored is None else ignored
    named_ignored = _named_ignored_files(paths) if notices is not None else {}
    for given in paths:
        if given == STDIN:
            yield Blob("<stdin>", sys.stdin.buffer.read())
            continue
        if given in named_ignored and notices is not None:
            notices.append(_named_ignored_notice(given, named_ignored[given]))
        for display, real in _expand(Path(given), recurse_submodules, ignored, include_ignored, notices):
            if isinstance(real, Skipped):  # a directory that could not be listed
                yield real
                continue
            if allowed.matches(real):
                continue
            yield read_file(display, real, max_file_size)


def read_file(display: str, real: Path, max_file_size: int) -> Blob | Skipped:
    try:
        info = os.lstat(real)
    except OSError as exc:
        return Skipped(display, f"cannot read: {exc.strerror}", "unreadable")
    if stat.S_ISLNK(info.st_mode):
        return Skipped(display, "symlink not followed", "symlink")
    if not stat.S_ISREG(info.st_mode):
        return Skipped(display, "not a regular file", "skipped")
    if info.st_size > max_file_size:
        return Skipped(
            display, f"larger than the size limit ({_mib(info.st_size)} > {_mib(max_file_size)})", "too-large"
        )
    try:
        with open(real, "rb") as handle:
            return Blob(display, handle.read(max_file_size + 1))
    except OSError as exc:
        return Skipped(display, f"cannot read: {exc.strerror}", "unreadable")


def _mib(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB"


def _named_ignored_notice(given: str, covered_by: str) -> str:
    return f"{given}: scanned although {covered_by} ignores it (named on the command line)"


def _named_ignored_files(paths: list[str]) -> dict[str, str]:
    """Each file named on the command line that an ignore rule covers, and what covers it: git
    inside a work tree (asked once per work tree, however many files are named: the
    `keystow-files` hook names hundreds), else the `.gitignore` that would hide it."""
    covered: dict[str, str] = {}
    in_work_tree: dict[Path, list[tuple[str, str]]] = {}
    for given in paths:
        if given == STDIN or not os.path.isfile(given) or os.path.islink(given):
            continue
        real = Path(os.path.abspath(given))
        top = next((directory for directory in real.parents if (directory / ".git").exists()), None)
        if top is not None:
            in_work_tree.setdefault(top, []).append((given, real.relative_to(top).as_posix()))
        elif (covering := _covering_gitignore(real)) is not None:
            covered[given] = str(covering)
    for top, named in in_work_tree.items():
        ignored = git.ignored_among(top, [relative for _, relative in named])
        covered.update((given, "git") for given, relative in named if relative in ignored)
    return covered


def _covering_gitignore(real: Path) -> Path | None:
    """The `.gitignore` (outside a git work tree) that would hide the file `real`."""
    for directory in real.parents:
        spec = _gitignore(directory)
        if spec is not None and spec.match_file(real.relative_to(directory).as_posix()):
            return directory / ".gitignore"
    return None


def _expand(path: Path, recurse_submodules: bool = False, ignored: dict[str, int] | None = None,
            include_ignored: bool = False, notices: list[str] | None = None) -> Iterator[tuple[str, Path | Skipped]]:
    """(display path, real path) for each file under `path`."""
    if not os.path.lexists(path):
        yield str(path), path  # read_file reports it missing
        return
    if not path.is_dir() or path.is_symlink():
        yield str(path), path
        return
    root = git.work_tree_root(path)
    if root is not None:
        yield from _git_files(path, root, recurse_submodules, include_ignored, ignored, notices)
    else:
        yield from _walk(path, {} if ignored is None else ignored, honour_ignores=not include_ignored)


def _git_files(path: Path, root: Path, recurse_submodules: bool = False, include_ignored: bool = False,
               ignored: dict[str, int] | None = None,
               notices: list[str] | None = None) -> Iterator[tuple[str, Path | Skipped]]:
    relative = os.path.relpath(path.resolve(), root)
    spec = () if relative == "." else (":(literal)" + relative,)
    if not include_ignored and relative != "." and git.is_ignored(root, relative):
        include_ignored = True  # named on the command line: `keystow scan dist/` reads dist/
        if notices is not None:
            notices.append(_named_ignored_notice(_display(path), "git"))
    names = git.listed_files(root, spec, include_ignored)
    if not names and not include_ignored and ignored is not None:  # say why nothing was read
        hidden = len(git.ignored_files(root, spec))
        if hidden:
            ignored[GIT_IGNORE_RULES] = ignored.get(GIT_IGNORE_RULES, 0) + hidden
    # One relpath for the root, not one per file: per-file relpath cost as much as the regex scan.
    prefix = _display(root)
    for name in names:
        real = root / name
        if recurse_submodules and (real / ".git").exists() and not real.is_symlink():
            # A checked-out submodule: git lists it as one path; its files are its own repository's.
            yield from _expand(real, recurse_submodules)
            continue
        yield (name if prefix == "." else os.path.join(prefix, name)), real


# How the files git's ignore rules (.gitignore, .git/info/exclude, core.excludesFile) hid are counted.
GIT_IGNORE_RULES = "git's ignore rules (--no-ignore reads them)"


def _walk(top: Path, ignored: dict[str, int], honour_ignores: bool = True) -> Iterator[tuple[str, Path | Skipped]]:
    """os.walk honouring nested .gitignore files (unless not `honour_ignores`: --no-ignore);
    symlinked directories are not entered. What each ignore file hid is counted in `ignored` (a
    hidden directory counts as one)."""
    ignores: list = []
    errors: list[OSError] = []  # directories os.walk could not list: warned, never silently dropped
    for directory, dirnames, filenames in os.walk(top, onerror=errors.append):
        yield from _unlistable(errors)
        here = Path(directory)
        ignores = [(base, spec) for base, spec in ignores if base == here or base in here.parents]
        spec = _gitignore(here) if honour_ignores else None
        if spec is not None:
            ignores.append((here, spec))
        dirnames[:] = sorted(d for d in dirnames
                             if d != ".git" and not _ignored(here / d, ignores, True, ignored))
        for name in sorted(filenames):
            real = here / name
            if not _ignored(real, ignores, False, ignored):
                yield _display(real), real
    yield from _unlistable(errors)


def _unlistable(errors: list[OSError]) -> Iterator[tuple[str, Skipped]]:
    while errors:
        exc = errors.pop(0)
        display = _display(Path(exc.filename))
        yield display, Skipped(display, f"cannot read directory: {exc.strerror}", "unreadable")


def _gitignore(directory: Path) -> pathspec.PathSpec | None:
    # late: the hook imports this module; only a directory with a .gitignore or a path allowlist needs pathspec
    import pathspec

    try:
        lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(path: Path, ignores: list, is_dir: bool, counts: dict[str, int] | None = None) -> bool:
    for base, spec in ignores:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        if spec.match_file(relative):
            if counts is not None:
                key = _display(base / ".gitignore")
                counts[key] = counts.get(key, 0) + 1
            return True
    return False


def _display(real: Path) -> str:
    try:
        return os.path.relpath(real)
    except ValueError:
        return str(real)


class PathAllowlist:
    """Gitignore-style globs from config, relative to the config file's directory."""

    def __init__(self, patterns: tuple[str, ...], base: Path) -> None:
        self.base = base.resolve()
        self.spec = None
        if patterns:
            import pathspec

            self.spec = pathspec.GitIgnoreSpec.from_lines(patterns)

    def matches(self, path: Path) -> bool:
        """For a path on disk."""
        if self.spec is None:
            return False
        real = Path(os.path.realpath(path))
        try:
            return self.spec.match_file(real.relative_to(self.base).as_posix())
        except ValueError:
            return False  # outside the configured tree

    def matches_relative(self, relative: str) -> bool:
        """For a path relative to the repository root (history, index)."""
        return self.spec is not None and self.spec.match_file(relative)


def path_allowlist(config: Config) -> PathAllowlist:
    base = Path(config.source).parent if config.source else Path.cwd()
    return PathAllowlist(config.allow_paths, base)

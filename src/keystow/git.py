"""The only module that runs git.

Every call goes through `run_git`: NUL-separated output where git offers it, and a hardened
environment, because keystow scans repositories it must not trust. A scanned repository's config
can name commands (core.fsmonitor, core.pager, diff textconv, filters, hooks); keystow disables
each of them on the command line and ignores the system config, so scanning never executes
anything the repository configures.
"""

from __future__ import annotations

import os
import queue
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Iterable, Iterator

from keystow.errors import GitError

# Config that could make git run a command the scanned repository chose. Passed on every call.
HARDENING = (
    "-c", "core.fsmonitor=false",
    "-c", "core.pager=cat",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.untrackedCache=false",
    "-c", "diff.external=",
    "-c", "core.sshCommand=false",
    "-c", "protocol.ext.allow=never",
    "-c", "uploadpack.packObjectsHook=",
    "-c", "core.alternateRefsCommand=",
    "-c", "log.showSignature=false",
    "-c", "diff.noprefix=false",
    "-c", "diff.mnemonicPrefix=false",
)


def git_env(keep_index: bool = False) -> dict[str, str]:
    """The environment without inherited GIT_* variables (inside a hook git sets GIT_DIR and
    GIT_INDEX_FILE for its own repository) and without the system config.

    `keep_index`: keep GIT_INDEX_FILE (made absolute). `git commit -a` and `git commit PATH` run
    the pre-commit hook against a temporary index named there; the staged scan must read it.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", PAGER="cat",
               GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    index = os.environ.get("GIT_INDEX_FILE")
    if keep_index and index:
        env["GIT_INDEX_FILE"] = os.path.abspath(index)
    return env


def git_command(*args: str) -> list[str]:
    return ["git", *HARDENING, *args]


def run_git(args: list[str] | tuple[str, ...], cwd: Path | str, input: bytes | None = None,
            check: bool = True, keep_index: bool = False) -> subprocess.CompletedProcess[bytes]:
    try:
        result = subprocess.run(git_command(*args), cwd=cwd, input=input, capture_output=True,
                                env=git_env(keep_index), stdin=None if input is not None else subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed in {cwd}: {message[-1] if message else 'no message'}")
    return result


def split_nul(output: bytes) -> list[str]:
    """Paths from `-z` output, decoded with surrogateescape so non-UTF-8 names survive."""
    return [os.fsdecode(item) for item in output.split(b"\0") if item]


def work_tree_root(path: Path) -> Path | None:
    """The top of the work tree holding `path`, or None outside any repository."""
    directory = path if path.is_dir() else path.parent
    result = run_git(["rev-parse", "--show-toplevel"], directory, check=False)
    if result.returncode != 0:
        return None
    return Path(os.fsdecode(result.stdout.rstrip(b"\n")))


def listed_files(root: Path, pathspecs: tuple[str, ...] = ()) -> list[str]:
    """Tracked files plus untracked files that are not ignored, relative to `root`."""
    result = run_git(["ls-files", "-z", "--cached", "--others", "--exclude-standard",
                      "--deduplicate", "--", *pathspecs], root)
    return split_nul(result.stdout)


# --- repositories, revisions and streamed output (history, staged, ranges) ------------------

EMPTY_TREE_SHA1 = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def require_repository(path: Path) -> Path:
    """The top of the work tree (or the git dir of a bare repository) holding `path`."""
    directory = path if path.is_dir() else path.parent
    if not directory.exists():
        raise GitError(f"{path}: no such directory")
    result = run_git(["rev-parse", "--show-toplevel", "--git-dir"], directory, check=False)
    if result.returncode != 0:
        bare = bare_git_dir(directory)  # --show-toplevel fails in a bare repository
        if bare is not None:
            return bare
        raise GitError(f"not a git repository: {path}")
    top, git_dir = (os.fsdecode(line) for line in result.stdout.split(b"\n")[:2])
    return Path(top) if top else (directory / git_dir).resolve()


def common_git_dir(repo: Path) -> Path:
    """`.git` (shared by all worktrees): where keystow keeps its per-repository cache."""
    result = run_git(["rev-parse", "--git-common-dir"], repo)
    return (repo / os.fsdecode(result.stdout.rstrip(b"\n"))).resolve()


def resolve_commit(repo: Path, rev: str) -> str | None:
    """The commit id `rev` names, or None when it is unknown here (e.g. not in a shallow clone)."""
    result = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"], repo, check=False)
    if result.returncode != 0:
        return None
    return result.stdout.decode().strip() or None


def empty_tree(repo: Path) -> str:
    result = run_git(["hash-object", "-t", "tree", "/dev/null"], repo, check=False)
    return result.stdout.decode().strip() or EMPTY_TREE_SHA1


def shallow_boundary(repo: Path) -> list[str]:
    """Commits whose parents a shallow clone does not have."""
    try:
        return (common_git_dir(repo) / "shallow").read_text().split()
    except OSError:
        return []


def stash_commits(repo: Path) -> list[str]:
    """Every entry of the stash reflog: `--all` sees only the newest stash (refs/stash)."""
    result = run_git(["log", "-g", "--format=%H", "refs/stash", "--"], repo, check=False)
    return result.stdout.decode().split() if result.returncode == 0 else []


def stream_git(args: list[str], cwd: Path, keep_index: bool = False) -> Iterator[bytes]:
    """Chunks of a git command's stdout as it runs (memory stays flat on huge histories)."""
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(git_command(*args), cwd=cwd, env=git_env(keep_index),
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors)
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None
        with process:
            while chunk := process.stdout.read(1 << 16):
                yield chunk
        if process.returncode != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} failed in {cwd}: {lines[-1] if lines else 'no message'}")


class CatFile:
    """Blob contents through ONE long-lived `git cat-file --batch` process.

    A writer thread feeds object ids while the caller reads answers, so neither side blocks and
    git's output is consumed as it is produced. The ids may come from a generator (the history
    scan feeds ids while its `git log` pass is still running, so both git processes work at
    once); the generator runs in the writer thread and its exceptions reach the caller. Blobs
    larger than `max_size` are drained in chunks, never held. If git dies on a corrupt object,
    that object is reported and a fresh process continues with the rest.
    """

    def __init__(self, repo: Path, max_size: int) -> None:
        self.repo = repo
        self.max_size = max_size

    def read(self, ids: Iterable[str]) -> Iterator[tuple[str, bytes | None, str | None]]:
        """(id, data, problem) per id, in order; problem is "missing", "too-large:<size>" or an
        error message, with data None."""
        sent: queue.SimpleQueue = queue.SimpleQueue()
        feeder = _Feeder(ids, sent)
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(git_command("cat-file", "--batch", "--buffer"), cwd=self.repo,
                                       env=git_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=errors, bufsize=1 << 16)
            writer = threading.Thread(target=feeder.run, args=(process.stdin,), daemon=True)
            writer.start()
            try:
                while (object_id := sent.get()) is not None:
                    answer = self._answer(process.stdout, object_id)
                    if answer is None:  # git died: name the object, carry on with a new process
                        errors.seek(0)
                        said = _last_line(errors.read())
                        yield object_id, None, said if object_id in said else "corrupt object (git cat-file stopped)"
                        rest = list(iter(sent.get, None))
                        if rest:
                            yield from CatFile(self.repo, self.max_size).read(rest)
                        break
                    yield answer
            finally:
                feeder.stop.set()
                process.kill()
                process.wait()
                process.stdout.close()
                writer.join()
        if feeder.error is not None:
            raise feeder.error

    def _answer(self, stdout, object_id: str) -> tuple[str, bytes | None, str | None] | None:
        header = stdout.readline()
        if not header:
            return None
        fields = header.split()
        if len(fields) != 3:
            return object_id, None, "missing"
        size = int(fields[2])
        if size > self.max_size:
            _drain(stdout, size + 1)
            return object_id, None, f"too-large:{size}"
        data = stdout.read(size + 1)
        if len(data) != size + 1:
            return None
        return object_id, data[:-1], None


class _Feeder:
    """Runs the id source in the writer thread: every id goes to `sent` (so the reader knows
    what comes next) and, while the pipe is open, to git. After a broken pipe the source is
    still drained, so a caller's bookkeeping inside it completes."""

    def __init__(self, ids: Iterable[str], sent: queue.SimpleQueue) -> None:
        self.ids = ids
        self.sent = sent
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self, stdin) -> None:
        open_pipe = True
        try:
            for count, object_id in enumerate(self.ids, 1):
                if self.stop.is_set():
                    break
                self.sent.put(object_id)
                if open_pipe:
                    open_pipe = _write(stdin, (object_id + "\n").encode(), flush=count % 64 == 0)
        except BaseException as exc:  # reported to the reader's caller
            self.error = exc
        finally:
            self.sent.put(None)
            try:
                stdin.close()
            except (BrokenPipeError, OSError, ValueError):
                pass


def _write(stdin, data: bytes, flush: bool) -> bool:
    try:
        stdin.write(data)
        if flush:
            stdin.flush()
        return True
    except (BrokenPipeError, OSError, ValueError):
        return False


def _drain(stream, count: int) -> None:
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            return
        count -= len(chunk)


def _last_line(raw: bytes) -> str:
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else ""


# --- history rewriting (keystow purge) --------------------------------------------------------


def is_dirty(repo: Path) -> bool:
    """Uncommitted changes to tracked files (staged or not); untracked files do not count."""
    result = run_git(["status", "--porcelain=v1", "-z", "--untracked-files=no"], repo)
    return bool(result.stdout.strip(b"\0"))


def refs(repo: Path, *prefixes: str) -> list[str]:
    """Full ref names under `prefixes` (e.g. refs/heads, refs/tags)."""
    result = run_git(["for-each-ref", "--format=%(refname)", *prefixes], repo)
    return result.stdout.decode("utf-8", "surrogateescape").split()


def remote_names(repo: Path) -> list[str]:
    return run_git(["remote"], repo).stdout.decode("utf-8", "surrogateescape").split()


def all_commits(repo: Path) -> list[str]:
    return run_git(["rev-list", "--all"], repo).stdout.decode().split()


def bundle_create(repo: Path, bundle: Path) -> None:
    """A bundle of every ref: a complete, cloneable backup of the history."""
    run_git(["bundle", "create", "--quiet", str(bundle), "--all"], repo)


def config_entries(repo: Path, key_regex: str) -> list[tuple[str, str]]:
    """(key, value) of local config entries whose key matches, in file order."""
    result = run_git(["config", "--local", "-z", "--get-regexp", key_regex], repo, check=False)
    entries = []
    for item in result.stdout.split(b"\0"):
        if item:
            key, _, value = item.partition(b"\n")
            entries.append((key.decode(), value.decode("utf-8", "surrogateescape")))
    return entries


def config_add(repo: Path, key: str, value: str) -> None:
    run_git(["config", "--local", "--add", key, value], repo)


def changed_blobs_by_commit(repo: Path) -> Iterator[tuple[str, list[str], list[tuple[str, str]]]]:
    """(commit, parents, [(new blob id, path)]) for every commit reachable from any ref, each
    commit diffed against each parent (merges too) and root commits against the empty tree."""
    output = run_git(["log", "--all", "--topo-order", "-m", "--no-renames", "--raw", "-z", "--no-abbrev",
                      "--format=%x01%H %P"], repo).stdout
    for record in output.split(b"\x01")[1:]:
        header, _, raw = record.partition(b"\n")
        commit, *parents = header.rstrip(b"\0").decode().split()
        fields = raw.strip(b"\0\n").split(b"\0")
        changes = []
        for meta, path in zip(fields[0::2], fields[1::2]):
            parts = meta.decode().split()
            if len(parts) >= 4:
                changes.append((parts[3], os.fsdecode(path)))
        yield commit, parents, changes


# Sub-commands git-filter-repo runs get the same hardening, through git's environment config.
# Smudge/clean filters (Git LFS) stay active: filter-repo's final `git reset --hard` checks out
# the work tree the user goes on working in, as their own checkouts do.
_HARDENING_PAIRS = tuple(HARDENING[i + 1].split("=", 1) for i in range(0, len(HARDENING), 2))


def filter_repo_env() -> dict[str, str]:
    env = git_env()
    env["GIT_CONFIG_COUNT"] = str(len(_HARDENING_PAIRS))
    for index, (key, value) in enumerate(_HARDENING_PAIRS):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env


def filter_repo_command() -> list[str]:
    """git-filter-repo from this Python's environment (the `purge` extra), else from PATH."""
    import shutil
    import sys

    beside = Path(sys.executable).parent / "git-filter-repo"
    if beside.is_file():
        return [sys.executable, str(beside)]
    found = shutil.which("git-filter-repo")
    if found is None:
        raise GitError("git-filter-repo is not installed: pip install 'keystow[purge]'")
    return [found]


def run_filter_repo(repo: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """Run git-filter-repo in `repo`; its output is returned, not printed."""
    result = subprocess.run([*filter_repo_command(), *args], cwd=repo, capture_output=True,
                            env=filter_repo_env(), stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git-filter-repo failed in {repo}: {lines[-1] if lines else 'no message'}")
    return result


# --- cloning for `keystow scan-repos` --------------------------------------------------------

# A clone runs the user's own ssh (the hardening turns ssh off against a scanned repository's
# config; a clone has no repository config yet). BatchMode: never wait for a password prompt.
CLONE_SSH = ("-c", "core.sshCommand=ssh -o BatchMode=yes")
# A checkout must not run smudge filters from the user's global config (git-lfs would fetch).
NO_LFS = ("-c", "filter.lfs.smudge=", "-c", "filter.lfs.process=", "-c", "filter.lfs.required=false")


def clone_repository(url: str, dest: Path, bare: bool = True) -> None:
    """Clone `url` into the new directory `dest`: a mirror (every ref, for history scans) or a
    shallow checkout of the default branch (for work-tree scans). Raises GitError with git's
    last line; callers that show it should anonymise the URL (it may carry a token)."""
    how = ["--mirror"] if bare else ["--depth", "1", "--no-recurse-submodules"]
    args = [*CLONE_SSH, *NO_LFS, "clone", "--quiet", *how, "--", url, str(dest)]
    result = run_git(args, dest.parent, check=False)
    if result.returncode != 0:
        raise GitError(f"clone failed: {_first_fatal_line(result.stderr)}")


def _first_fatal_line(raw: bytes) -> str:
    """git's first `fatal:` line names the cause; the advice lines after it do not."""
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    fatal = [line for line in lines if line.startswith("fatal:")]
    return (fatal or lines or ["no message"])[0].removeprefix("fatal: ")


def bare_git_dir(directory: Path) -> Path | None:
    """The git dir when `directory` is in a bare repository (a mirror clone, a server's copy)."""
    result = run_git(["rev-parse", "--is-bare-repository", "--absolute-git-dir"], directory, check=False)
    lines = result.stdout.decode("utf-8", "surrogateescape").splitlines()
    if result.returncode != 0 or len(lines) < 2 or lines[0] != "true":
        return None
    return Path(lines[1])

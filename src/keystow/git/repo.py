"""Questions about a repository: its root, refs, commits, config and state."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

from keystow.errors import GitError
from keystow.git.run import run_git, split_nul


def work_tree_root(path: Path) -> Path | None:
    """The top of the work tree holding `path`, or None outside any repository."""
    directory = path if path.is_dir() else path.parent
    result = run_git(["rev-parse", "--show-toplevel"], directory, check=False)
    if result.returncode != 0:
        return None
    return Path(os.fsdecode(result.stdout.rstrip(b"\n")))


def listed_files(root: Path, pathspecs: tuple[str, ...] = (), include_ignored: bool = False) -> list[str]:
    """Tracked files plus untracked files that are not ignored (with `include_ignored`, the
    ignored ones too), relative to `root`."""
    excludes = [] if include_ignored else ["--exclude-standard"]
    result = run_git(["ls-files", "-z", "--cached", "--others", *excludes, "--deduplicate", "--", *pathspecs], root)
    return split_nul(result.stdout)


def ignored_files(root: Path, pathspecs: tuple[str, ...] = ()) -> list[str]:
    """Untracked files git's ignore rules hide, relative to `root`."""
    result = run_git(["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--", *pathspecs], root)
    return split_nul(result.stdout)


def is_ignored(root: Path, relative: str) -> bool:
    """Whether git's ignore rules cover `relative` (a path under `root`)."""
    return relative in ignored_among(root, [relative])


def ignored_among(root: Path, relatives: list[str]) -> set[str]:
    """Which of `relatives` (paths under `root`) git's ignore rules cover, in one git process. A
    tracked file is never among them, as git holds; a path git refuses (outside the work tree)
    counts as not ignored."""
    result = run_git(["check-ignore", "-z", "--stdin"], root, input=b"".join(os.fsencode(r) + b"\0" for r in relatives),
                     check=False)
    return set(split_nul(result.stdout)) if result.returncode == 0 else set()


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




def history_overrides(repo: Path) -> list[str]:
    """Notices for what would make plain git show a different history than the stored one:
    replace refs and an `info/grafts` file (keystow's git calls ignore both)."""
    found = []
    replaced = refs(repo, "refs/replace")
    if replaced:
        found.append(f"this repository has {len(replaced)} replace ref(s) (refs/replace/*): git would show "
                     "other objects in their place; keystow scanned the objects as stored")
    if (common_git_dir(repo) / "info" / "grafts").is_file():
        found.append("this repository has info/grafts: git would show a rewritten ancestry; keystow "
                     "scanned the commits as stored")
    return found


def is_dirty(repo: Path) -> bool:
    """Uncommitted changes to tracked files (staged or not); untracked files do not count."""
    result = run_git(["status", "--porcelain=v1", "-z", "--untracked-files=no"], repo)
    return bool(result.stdout.strip(b"\0"))


def refs(repo: Path, *prefixes: str) -> list[str]:
    """Full ref names under `prefixes` (e.g. refs/heads, refs/tags)."""
    result = run_git(["for-each-ref", "--format=%(refname)", *prefixes], repo)
    return result.stdout.decode("utf-8", "surrogateescape").split()


def tree_blobs(repo: Path, rev: str) -> list[tuple[str, str]]:
    """(blob id, path) of every file in the tree of `rev` (a branch tip, say)."""
    result = run_git(["ls-tree", "-r", "-z", "--full-tree", rev], repo)
    entries = []
    for item in split_nul(result.stdout):
        meta, _, path = item.partition("\t")
        kind_and_id = meta.split()
        if len(kind_and_id) == 3 and kind_and_id[1] == "blob":
            entries.append((kind_and_id[2], path))
    return entries


def ref_targets(repo: Path, *prefixes: str) -> list[tuple[str, str]]:
    """(full ref name, object id) of each ref under `prefixes`."""
    result = run_git(["for-each-ref", "--format=%(refname) %(objectname)", *prefixes], repo)
    pairs = []
    for line in result.stdout.decode("utf-8", "surrogateescape").splitlines():
        name, _, sha = line.rpartition(" ")
        if name:
            pairs.append((name, sha))
    return pairs


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


FILTER_ATTRIBUTE = re.compile(rb"(?:^|\s)filter=([^\s]+)")


def configured_filters(repo: Path) -> list[str]:
    """Clean/smudge filter drivers the repository itself names: `filter=NAME` in a tracked
    `.gitattributes` or in `info/attributes`, and `filter.NAME.*` in its local config."""
    names = [key.split(".")[1] for key, _ in config_entries(repo, r"^filter\.") if key.count(".") >= 2]
    files = [repo / path for path in listed_files(repo) if path.rsplit("/", 1)[-1] == ".gitattributes"]
    files.append(common_git_dir(repo) / "info" / "attributes")
    for path in files:
        try:
            text = path.read_bytes()
        except OSError:
            continue
        names += [os.fsdecode(match) for match in FILTER_ATTRIBUTE.findall(text)]
    return sorted(set(names))


def update_ref(repo: Path, ref: str, object_id: str) -> bool:
    """Create `ref` at `object_id` if that object is here; whether it was created."""
    if run_git(["cat-file", "-e", object_id], repo, check=False).returncode != 0:
        return False
    return run_git(["update-ref", ref, object_id, ""], repo, check=False).returncode == 0


def fetch_refs(repo: Path, source: str, refs: list[str]) -> None:
    """Fetch each of `refs` from `source` (a bundle) to the same name here."""
    run_git(["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--", source,
             *(f"+{ref}:{ref}" for ref in refs)], repo, check=False)


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
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            parts = meta.decode().split()
            if len(parts) >= 4:
                changes.append((parts[3], os.fsdecode(path)))
        yield commit, parents, changes


def bare_git_dir(directory: Path) -> Path | None:
    """The git dir when `directory` is in a bare repository (a mirror clone, a server's copy)."""
    result = run_git(["rev-parse", "--is-bare-repository", "--absolute-git-dir"], directory, check=False)
    lines = result.stdout.decode("utf-8", "surrogateescape").splitlines()
    if result.returncode != 0 or len(lines) < 2 or lines[0] != "true":
        return None
    return Path(lines[1])


def index_entry(repo: Path, path: str) -> tuple[str, str] | None:
    """(mode, object id) of `path`'s index entry; None when git does not track it (or no repository)."""
    result = run_git(["ls-files", "-s", "-z", "--", ":(literal)" + path], repo, check=False)
    if result.returncode != 0 or not result.stdout:
        return None
    mode, object_id, _ = result.stdout.split(b"\t", 1)[0].decode("ascii").split(" ", 2)
    return mode, object_id


def untrack(repo: Path, path: str) -> None:
    """`git rm --cached`: the work tree is left as it is."""
    run_git(["rm", "--cached", "-q", "--ignore-unmatch", "--", ":(literal)" + path], repo)


def track(repo: Path, path: str, mode: str, object_id: str) -> None:
    """Put an index entry back exactly as it was (mode and object id)."""
    run_git(["update-index", "--add", "--cacheinfo", f"{mode},{object_id},{path}"], repo)

"""The only package that runs git (`from keystow import git`; `git.run_git(...)`).

run: the hardened command line and environment every call uses; catfile: blob contents through
one long-lived `cat-file --batch`; repo: questions about a repository; filter_repo: history
rewriting for purge; clone: cloning for scan-repos; command: HARDENING, the environment and the quick
path's os-only reader.

The names load on first use (PEP 562): the hook's quick path imports keystow.git.command alone
and must not pay for subprocess, tempfile and pathlib through this package's modules.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads the name)
if TYPE_CHECKING:
    from keystow.git.catfile import CatFile
    from keystow.git.clone import clone_repository
    from keystow.git.filter_repo import (
                                  filter_repo_command,
                                  filter_repo_env,
                                  run_filter_repo,
    )
    from keystow.git.repo import (
                                  all_commits,
                                  bare_git_dir,
                                  bundle_create,
                                  changed_blobs_by_commit,
                                  common_git_dir,
                                  config_add,
                                  config_entries,
                                  configured_filters,
                                  empty_tree,
                                  fetch_refs,
                                  history_overrides,
                                  ignored_among,
                                  ignored_files,
                                  is_dirty,
                                  is_ignored,
                                  listed_files,
                                  ref_targets,
                                  refs,
                                  remote_names,
                                  require_repository,
                                  resolve_commit,
                                  shallow_boundary,
                                  stash_commits,
                                  tree_blobs,
                                  update_ref,
                                  work_tree_root,
    )
    from keystow.git.run import (
                                  HARDENING,
                                  git_command,
                                  git_env,
                                  run_git,
                                  split_nul,
                                  stream_git,
    )

# Each public name and the module that defines it.
_MODULES = {
    "CatFile": "catfile",
    "clone_repository": "clone",
    "filter_repo_command": "filter_repo",
    "filter_repo_env": "filter_repo",
    "run_filter_repo": "filter_repo",
    "all_commits": "repo",
    "bare_git_dir": "repo",
    "bundle_create": "repo",
    "changed_blobs_by_commit": "repo",
    "common_git_dir": "repo",
    "config_add": "repo",
    "config_entries": "repo",
    "configured_filters": "repo",
    "empty_tree": "repo",
    "fetch_refs": "repo",
    "history_overrides": "repo",
    "ignored_among": "repo",
    "ignored_files": "repo",
    "is_dirty": "repo",
    "is_ignored": "repo",
    "listed_files": "repo",
    "ref_targets": "repo",
    "refs": "repo",
    "remote_names": "repo",
    "require_repository": "repo",
    "resolve_commit": "repo",
    "shallow_boundary": "repo",
    "stash_commits": "repo",
    "tree_blobs": "repo",
    "update_ref": "repo",
    "work_tree_root": "repo",
    "HARDENING": "run",
    "git_command": "run",
    "git_env": "run",
    "run_git": "run",
    "split_nul": "run",
    "stream_git": "run",
}

__all__ = [
    "HARDENING", "CatFile", "all_commits", "bare_git_dir", "bundle_create", "changed_blobs_by_commit",
    "clone_repository", "common_git_dir", "config_add", "config_entries", "configured_filters", "empty_tree",
    "fetch_refs", "filter_repo_command", "filter_repo_env", "git_command", "git_env", "history_overrides",
    "ignored_among", "ignored_files", "is_dirty", "is_ignored", "listed_files", "ref_targets", "refs", "remote_names",
    "require_repository", "resolve_commit",
    "run_filter_repo", "run_git", "shallow_boundary", "split_nul", "stash_commits", "stream_git", "tree_blobs",
    "update_ref", "work_tree_root",
]


def __getattr__(name: str):  # noqa: ANN202 - whatever the module defines
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'keystow.git' has no attribute {name!r}")
    # late: the package loads a module on its first use (see the docstring)
    from importlib import import_module

    value = getattr(import_module(f"keystow.git.{module}"), name)
    globals()[name] = value
    return value

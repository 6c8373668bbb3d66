"""The only package that runs git (`from keystow import git`; `git.run_git(...)`).

run: the hardened command line and environment every call uses; catfile: blob contents through
one long-lived `cat-file --batch`; repo: questions about a repository; filter_repo: history
rewriting for purge; clone: cloning for scan-repos.
"""

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
                              is_dirty,
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

__all__ = [
    "HARDENING", "CatFile", "all_commits", "bare_git_dir", "bundle_create", "changed_blobs_by_commit",
    "clone_repository", "common_git_dir", "config_add", "config_entries", "configured_filters", "empty_tree",
    "fetch_refs", "filter_repo_command", "filter_repo_env", "git_command", "git_env", "history_overrides",
    "is_dirty", "listed_files", "ref_targets", "refs", "remote_names", "require_repository", "resolve_commit",
    "run_filter_repo", "run_git", "shallow_boundary", "split_nul", "stash_commits", "stream_git", "tree_blobs",
    "update_ref", "work_tree_root",
]

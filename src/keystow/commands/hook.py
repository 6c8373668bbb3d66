"""`keystow hook install|uninstall`: a native git hook for people without the pre-commit framework.

The hook is a POSIX sh script that runs the Python that installed it (`python -m keystow`), so it
works whether or not a virtualenv is active. A hook already in place is kept as `<hook>.legacy`
and run first; the marker line lets reinstall and uninstall tell our script from anyone else's.
`core.hooksPath` is honoured.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from keystow import fs, git
from keystow.commands.output import notice
from keystow.errors import EXIT_CLEAN, FatalError
from keystow.fs import write_atomic

MARKER = "# keystow-hook-marker: managed by `keystow hook install`; remove with `keystow hook uninstall`"
# What each hook runs when the installing Python is gone and `keystow` is found on PATH instead.
HOOKS = {"pre-commit": "scan --staged", "pre-push": 'scan --pre-push --remote "$1"'}

TEMPLATE = """#!/bin/sh
{marker}
# Runs keystow on {what}; an earlier {hook} hook, if any, was kept as {hook}.legacy and runs first.
keystow_python={python}
run_keystow() {{
    if [ -x "$keystow_python" ]; then
        "$keystow_python" -m keystow.cli.hook_entry {hook} "$@"
    elif command -v keystow >/dev/null 2>&1; then
        command keystow {fallback}
    else
        echo "keystow: $keystow_python is gone and keystow is not on PATH; run 'keystow hook install --force' again" >&2
        return 2
    fi
}}
legacy="${{0%/*}}/{hook}.legacy"
# Chain only to someone else's hook, once: after `pre-commit install` renames this script to
# {hook}.legacy, "$legacy" is this very file, and calling it would recurse until fork fails.
chain_legacy() {{
    [ -x "$legacy" ] && [ -z "${{KEYSTOW_HOOK_CHAINED:-}}" ] && ! grep -qF {marker_id} "$legacy"
}}
{body}
"""
MARKER_ID = "keystow-hook-marker"
PRE_COMMIT_BODY = """if chain_legacy; then KEYSTOW_HOOK_CHAINED=1 "$legacy" "$@" || exit $?; fi
run_keystow"""
# git gives pre-push its ref lines on stdin: both the legacy hook and keystow need them.
PRE_PUSH_BODY = """refs="$(cat)"
if chain_legacy; then printf '%s\\n' "$refs" | KEYSTOW_HOOK_CHAINED=1 "$legacy" "$@" || exit $?; fi
printf '%s\\n' "$refs" | run_keystow "$@"
"""


def hook_script(hook: str, python: str = sys.executable) -> str:
    what = "staged changes before each commit" if hook == "pre-commit" else "the commits being pushed"
    body = PRE_COMMIT_BODY if hook == "pre-commit" else PRE_PUSH_BODY
    return TEMPLATE.format(marker=MARKER, what=what, hook=hook, python=_sh_quote(python), body=body,
                           fallback=HOOKS[hook], marker_id=MARKER_ID)


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def hooks_directory(cwd: Path) -> Path:
    """core.hooksPath when set (relative to the work tree top), else `.git/hooks`."""
    root = git.require_repository(cwd)
    # keystow's git calls pin core.hooksPath for safety; read the user's own value by scope.
    result = git.run_git(["config", "--get-all", "--show-scope", "core.hooksPath"], root, check=False)
    configured = [line.split("\t", 1)[1] for line in result.stdout.decode("utf-8", "surrogateescape").splitlines()
                  if "\t" in line and not line.startswith("command\t")]
    if configured and configured[-1]:
        return (root / os.path.expanduser(configured[-1])).resolve()
    return git.common_git_dir(root) / "hooks"


def is_ours(path: Path) -> bool:
    try:  # bounded, never through a link: a planted `.git/hooks/pre-commit -> /dev/zero` is not ours
        return MARKER in fs.read_bounded(path, "hook", 1 << 20).decode("utf-8", "replace")
    except (OSError, FatalError):
        return False


def install_hooks(cwd: Path, pre_push: bool = False, force: bool = False) -> int:
    directory = hooks_directory(cwd)
    directory.mkdir(parents=True, exist_ok=True)
    for hook in ("pre-commit", "pre-push") if pre_push else ("pre-commit",):
        install_one(directory / hook, hook, force)
    return EXIT_CLEAN


def install_one(path: Path, hook: str, force: bool) -> None:
    legacy = path.with_name(f"{hook}.legacy")
    if path.exists() and not is_ours(path):
        if legacy.exists() and not force:
            raise FatalError(f"{path} exists and {legacy.name} is taken too; --force replaces {path.name} "
                             f"(keeping {legacy.name})")
        if not legacy.exists():
            os.replace(path, legacy)
            notice(f"kept your existing {hook} hook as {legacy}; it runs before keystow")
    write_atomic(path, hook_script(hook).encode("utf-8"), mode=0o755)
    notice(f"installed {path}")


def uninstall_hooks(cwd: Path) -> int:
    """Remove our hooks and put any legacy hook back where it was."""
    directory = hooks_directory(cwd)
    removed = 0
    for hook in HOOKS:
        path, legacy = directory / hook, directory / f"{hook}.legacy"
        if not is_ours(path):
            continue
        path.unlink()
        removed += 1
        if legacy.exists():
            os.replace(legacy, path)
            notice(f"restored your earlier {hook} hook")
    notice(f"removed {removed} keystow hook{'s' if removed != 1 else ''} from {directory}")
    return EXIT_CLEAN


ZERO_SHA = "0" * 40


def pre_commit_push_lines(environ: dict[str, str], cwd: Path) -> bytes | None:
    """Pre-push ref lines (as git gives them) for the pre-commit framework's pre-push stage, or
    None outside it.

    pre-commit reads git's ref lines itself and tells its hooks about the FIRST pushed ref only
    (PRE_COMMIT_FROM_REF/TO_REF, or PRE_COMMIT_LOCAL_BRANCH for a push with a root commit); the
    other lines never reach a hook. So `git push origin clean leaky` would scan `clean` alone.
    keystow therefore treats every local branch and tag as pushed, besides the ref pre-commit
    names: with the remote's tracking branches excluded (as in `scan --pre-push`), that is a
    superset of any push, at the price of also blocking on a local branch not being pushed.
    """
    remote = environ.get("PRE_COMMIT_REMOTE_NAME")
    to_ref, local_branch = environ.get("PRE_COMMIT_TO_REF"), environ.get("PRE_COMMIT_LOCAL_BRANCH")
    if not (remote or to_ref or local_branch):
        return None
    root = git.require_repository(cwd)
    lines = []
    if to_ref:
        remote_sha = environ.get("PRE_COMMIT_FROM_REF") or ZERO_SHA
        remote_branch = environ.get("PRE_COMMIT_REMOTE_BRANCH", to_ref)
        lines.append(f"{local_branch or to_ref} {to_ref} {remote_branch} {remote_sha}")
    for ref, sha in git.ref_targets(root, "refs/heads", "refs/tags"):
        lines.append(f"{ref} {sha} {ref} {ZERO_SHA}")
    return "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape")

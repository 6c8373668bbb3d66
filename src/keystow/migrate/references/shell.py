"""Shell scripts and Dockerfiles: the literal becomes `${VAR}`, quoted the way the shell needs.

A Dockerfile also gets `ARG VAR` before the instruction, so the build passes the value in
(`keystow run -- docker build --build-arg VAR .`) instead of baking a literal into the file.
"""

from __future__ import annotations

import re

from keystow.migrate.references.base import (
    BoundSite,
    Edit,
    FileChange,
    FileContext,
    enclosing_quotes,
    line_bounds,
    newline_of,
)

KIND = "shell"
RESOLVES = "runtime"
NOTE = "read from the environment at run time: run the script under `keystow run`"
DOCKER_NOTE = ("build argument: build under `keystow run -- docker build --build-arg VAR`; build args stay in "
               "the image history, prefer passing the variable at container start")
SHELL_EXTENSIONS = (".sh", ".bash", ".zsh", ".ksh")


def is_dockerfile(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(".dockerfile")


def plan(ctx: FileContext) -> FileChange:
    docker = is_dockerfile(ctx.path)
    change = FileChange(ctx.path, "dockerfile" if docker else KIND, RESOLVES, DOCKER_NOTE if docker else NOTE)
    declared: set[str] = set()
    for site in ctx.sites:
        if not _rewrite(ctx.text, site, change):
            continue
        change.manifest[site.env_var] = site.target.reference()
        if docker and site.env_var not in declared:
            declared.add(site.env_var)
            _declare_arg(ctx.text, site, change)
    return change


def _rewrite(text: str, site: BoundSite, change: FileChange) -> bool:
    ref = "${" + site.env_var + "}"
    found = enclosing_quotes(text, site, "\"'")
    if found is None:
        change.replace(site, site.start, site.end, f'"{ref}"')
    elif found[2] == '"':
        change.replace(site, site.start, site.end, ref)
    elif found[0] == site.start - 1 and found[1] == site.end:
        change.replace(site, found[0], found[1] + 1, f'"{ref}"')
    else:
        change.replace(site, site.start, site.end, f"'\"{ref}\"'")
    return True


def _declare_arg(text: str, site: BoundSite, change: FileChange) -> None:
    start, _ = line_bounds(text, site.start)
    if re.search(rf"^\s*ARG\s+{re.escape(site.env_var)}\s*$", text[:start], re.M | re.I):
        return
    change.edits.append(Edit(start, start, f"ARG {site.env_var}{newline_of(text)}"))

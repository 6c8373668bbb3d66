"""`.env` files: the value becomes `${VAR}` interpolation, filled from the environment.

`keystow run` puts VAR in the environment before the app starts; dotenv loaders (python-dotenv,
dotenv-expand, docker compose) expand `${VAR}` and do not override a variable already set.
Single quotes switch interpolation off, so a single-quoted value loses its quotes.
"""

from __future__ import annotations

from keystow.migrate.references.base import (
    BoundSite,
    FileChange,
    FileContext,
    enclosing_quotes,
)

KIND = "dotenv"
RESOLVES = "runtime"
NOTE = "interpolated from the environment: start the app under `keystow run`"


def is_envfile(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    for site in ctx.sites:
        _rewrite(ctx.text, site, change)
    return change


def _rewrite(text: str, site: BoundSite, change: FileChange) -> None:
    if "\n" in text[site.start:site.end]:
        return change.skip(site, "multi-line value")
    ref = "${" + site.env_var + "}"
    found = enclosing_quotes(text, site, "\"'")
    if found and found[2] == "'":
        if (found[0], found[1]) != (site.start - 1, site.end):
            return change.skip(site, "part of a single-quoted value (no interpolation)")
        change.replace(site, found[0], found[1] + 1, ref)
    else:
        change.replace(site, site.start, site.end, ref)
    change.manifest[site.env_var] = site.target.reference()

"""Java `.properties` (Spring and friends): the value becomes a `${VAR}` placeholder, which Spring
resolves from the environment at start-up (`keystow run -- java -jar app.jar`)."""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext

KIND = "properties"
RESOLVES = "runtime"
NOTE = "a ${VAR} placeholder Spring resolves from the environment at start-up: run under `keystow run`"


def detect(path: str) -> bool:
    return path.endswith(".properties")


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    for site in ctx.sites:
        if "\n" in ctx.text[site.start:site.end] or ctx.text[site.end:site.end + 2].startswith("\\"):
            change.skip(site, "a value continued over several lines")
            continue
        change.replace(site, site.start, site.end, "${" + site.env_var + "}")
        change.manifest[site.env_var] = site.target.reference()
    return change

"""docker compose files: the value becomes `${VAR}`, which compose interpolates from the
environment it runs in (`keystow run -- docker compose up`). Compose has no AWS resolution of
its own (AWS-NOTES §1), so the manifest names where VAR comes from.
"""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext
from keystow.migrate.references.yamltext import replace_in_scalar

KIND = "compose"
RESOLVES = "runtime"
NOTE = "interpolated by docker compose from its environment: run `keystow run -- docker compose up`"
NAMES = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")


def detect(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name in NAMES or (name.startswith("docker-compose.") and name.endswith((".yml", ".yaml")))


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    for site in ctx.sites:
        before = len(change.edits)
        replace_in_scalar(ctx.text, site, "${" + site.env_var + "}", change)
        if len(change.edits) > before:
            change.manifest[site.env_var] = site.target.reference()
    return change

"""Spring Boot YAML (`application*.yml`, `bootstrap*.yml`): the value becomes `${VAR}`, a Spring
property placeholder resolved from the environment at start-up, like `.properties` files.

VAR is named after the whole property path (`spring.datasource.password` →
SPRING_DATASOURCE_PASSWORD, Spring's own relaxed-binding name), and the scalar is found by the
YAML parser, so quoting and comments stay as they were.
"""

from __future__ import annotations

import re

from keystow.migrate.naming import env_var_name
from keystow.migrate.references.base import FileChange, FileContext
from keystow.migrate.references.yamlnodes import parse
from keystow.migrate.references.yamltext import replace_in_scalar

KIND = "spring-yaml"
RESOLVES = "runtime"
NOTE = "a ${VAR} placeholder Spring resolves from the environment at start-up: run under `keystow run`"
NAMES = re.compile(r"^(?:application|bootstrap)(?:-[\w.-]+)?\.ya?ml$")


def detect(path: str) -> bool:
    return NAMES.match(path.rsplit("/", 1)[-1]) is not None


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    documents = parse(ctx.text)
    for site in ctx.sites:
        scalar = documents.scalar_at(site.start, site.end) if documents else None
        parts = scalar.path if scalar else ()
        variable = env_var_name(".".join(str(p) for p in parts)) if parts and None not in parts else site.env_var
        before = len(change.edits)
        replace_in_scalar(ctx.text, site, "${" + variable + "}", change)
        if len(change.edits) > before:
            change.manifest[variable] = site.target.reference()
    return change

"""`gradle.properties`: the property's line is removed; Gradle sets project property NAME from the
environment variable `ORG_GRADLE_PROJECT_NAME` (`keystow run -- ./gradlew publish`)."""

from __future__ import annotations

import re

from keystow.migrate.references.base import BoundSite, FileChange, FileContext, remove_lines

KIND = "gradle-properties"
RESOLVES = "runtime"
NOTE = "Gradle reads project property NAME from ORG_GRADLE_PROJECT_NAME: run gradle under `keystow run`"
PROPERTY = re.compile(r"^\s*(?P<name>[A-Za-z_][\w.-]*)\s*[=:]")


def detect(path: str) -> bool:
    return path.rsplit("/", 1)[-1] == "gradle.properties"


def _env_var(site: BoundSite, line: str) -> str | None:
    found = PROPERTY.match(line)
    return "ORG_GRADLE_PROJECT_" + found.group("name") if found else None


def plan(ctx: FileContext) -> FileChange:
    return remove_lines(ctx, FileChange(ctx.path, KIND, RESOLVES, NOTE), _env_var)

"""Maven `settings.xml`: `<password>${env.VAR}</password>`; Maven interpolates `${env.VAR}` in
settings.xml from the environment (`keystow run -- mvn deploy`)."""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext, interpolate

KIND = "maven-settings"
RESOLVES = "runtime"
NOTE = "Maven interpolates ${env.VAR} in settings.xml: run mvn under `keystow run`"


def detect(path: str, text: str) -> bool:
    return path.rsplit("/", 1)[-1] == "settings.xml" and "<settings" in text


def plan(ctx: FileContext) -> FileChange:
    return interpolate(ctx, FileChange(ctx.path, KIND, RESOLVES, NOTE), "${{env.{var}}}")

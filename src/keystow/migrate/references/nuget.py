"""`NuGet.config`: `<add key="ClearTextPassword" value="%VAR%" />`; NuGet (3.4 and later) expands
`%VAR%` environment variables in config values, credentials included (`keystow run -- dotnet
restore`)."""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext, interpolate

KIND = "nuget-config"
RESOLVES = "runtime"
NOTE = "NuGet expands %VAR% in config values: run dotnet/nuget under `keystow run`"


def detect(path: str) -> bool:
    return path.rsplit("/", 1)[-1].lower() == "nuget.config"


def plan(ctx: FileContext) -> FileChange:
    return interpolate(ctx, FileChange(ctx.path, KIND, RESOLVES, NOTE), "%{var}%")

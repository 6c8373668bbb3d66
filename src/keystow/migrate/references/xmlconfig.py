"""XML configuration (Spring bean files, logback, .NET `web.config`/`app.config`): the value
becomes `${VAR}`.

Spring's property placeholders and logback resolve `${VAR}` from the environment. .NET Framework
resolves it through the Environment configuration builder in Token mode: the plan says to add
`<configBuilders>` with `EnvironmentConfigBuilder mode="Token"` and `configBuilders="Environment"`
on `<appSettings>`/`<connectionStrings>` (Microsoft.Configuration.ConfigurationBuilders.Environment).
"""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext

KIND = "xml"
RESOLVES = "runtime"
NOTE = "a ${VAR} placeholder Spring and logback resolve from the environment: start the app under `keystow run`"
DOTNET_NOTE = ("a ${VAR} token: add the Environment configuration builder in Token mode "
               "(<add name=\"Environment\" mode=\"Token\" type=\"Microsoft.Configuration.ConfigurationBuilders."
               "EnvironmentConfigBuilder, ...\"/>) and configBuilders=\"Environment\" on <appSettings>, then run "
               "under `keystow run` or set the variable on the host")
DOTNET_FILES = ("web.config", "app.config")
OTHER_OWNERS = ("settings.xml", "pom.xml", "nuget.config")  # Maven and NuGet: their own writers


def detect(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    if name in OTHER_OWNERS:
        return False
    return name.endswith(".xml") or name in DOTNET_FILES or name.endswith((".exe.config", ".dll.config"))


def plan(ctx: FileContext) -> FileChange:
    name = ctx.path.rsplit("/", 1)[-1].lower()
    dotnet = name in DOTNET_FILES or name.endswith(".config")
    change = FileChange(ctx.path, KIND, RESOLVES, DOTNET_NOTE if dotnet else NOTE)
    for site in ctx.sites:
        if ctx.text.rfind("<![CDATA[", 0, site.start) > ctx.text.rfind("]]>", 0, site.start):
            change.skip(site, "inside a CDATA section: edit it by hand")
            continue
        change.replace(site, site.start, site.end, "${" + site.env_var + "}")
        change.manifest[site.env_var] = site.target.reference()
    return change

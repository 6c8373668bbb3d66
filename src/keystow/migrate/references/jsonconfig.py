"""JSON configuration read by an application.

`.NET` `appsettings*.json`: the value is emptied and .NET's configuration reads the environment
variable `Section__Key` (environment variables override JSON files in the default host), which
`keystow run` sets. Any other JSON file: the value becomes `${VAR}` and the plan says the
application must expand it (or render the file with `envsubst` at deploy time). Strings are
located by the parser (JSON read as YAML, see yamlnodes), so only a JSON string value changes.
"""

from __future__ import annotations

from keystow.migrate.references.base import BoundSite, FileChange, FileContext
from keystow.migrate.references.yamlnodes import is_whole_value, parse
from keystow.migrate.references.yamltext import replace_in_scalar

KIND = "json"
RESOLVES = "runtime"
NOTE = ("a ${VAR} placeholder: the application must expand environment variables when it loads this file "
        "(or render it with `envsubst` at deploy time); run it under `keystow run`")
DOTNET_NOTE = (".NET reads the environment variable Section__Key over appsettings.json: the value is emptied; "
               "run the app under `keystow run` or set the variable on the host")


def detect(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name.endswith(".json") and "/.docker/" not in "/" + path


def is_appsettings(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith("appsettings") and name.endswith(".json")


def plan(ctx: FileContext) -> FileChange:
    dotnet = is_appsettings(ctx.path)
    change = FileChange(ctx.path, f"{KIND}:dotnet" if dotnet else KIND, RESOLVES, DOTNET_NOTE if dotnet else NOTE)
    for site in ctx.sites:
        if dotnet:
            _empty_for_dotnet(ctx.text, site, change)
            continue
        before = len(change.edits)
        replace_in_scalar(ctx.text, site, "${" + site.env_var + "}", change, is_json=True)
        if len(change.edits) > before:
            change.manifest[site.env_var] = site.target.reference()
    return change


def _empty_for_dotnet(text: str, site: BoundSite, change: FileChange) -> None:
    documents = parse(text)
    scalar = documents.scalar_at(site.start, site.end) if documents else None
    if scalar is None or scalar.is_key or scalar.style != '"':
        return change.skip(site, "not inside a JSON string value")
    if not is_whole_value(text, scalar, site.start, site.end):
        return change.skip(site, "part of a value (a connection string?): .NET takes whole values from the "
                                 "environment; store the whole value, or move the password to its own key")
    env_var = "__".join(str(part) for part in scalar.path)
    change.replace(site, site.start, site.end, "")
    change.manifest[env_var] = site.target.reference()
    return None

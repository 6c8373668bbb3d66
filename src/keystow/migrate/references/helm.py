"""Helm values files: the value is emptied and passed at deploy time with `--set-string`.

Helm does not expand anything inside a values file, and the chart's templates read the value from
`.Values`, so the value is given on the command line from the environment instead:
`keystow run -- helm upgrade --install RELEASE CHART -f values.yaml --set-string db.password=$DB_PASSWORD`
(the plan's note lists the exact flags). The scalar is found by the YAML parser (yamlnodes), so
comments, quoting and the rest of the file stay as they were.
"""

from __future__ import annotations

import re

from keystow.migrate.references.base import BoundSite, FileChange, FileContext
from keystow.migrate.references.yamlnodes import is_whole_value, parse

KIND = "helm"
RESOLVES = "deploy"
NOTE = "emptied in the values file; deploy with `keystow run -- helm upgrade --install RELEASE CHART {flags}`"
VALUES_FILE = re.compile(r"^values(?:[-.][\w.-]+)?\.ya?ml$")


def detect(path: str) -> bool:
    return VALUES_FILE.match(path.rsplit("/", 1)[-1]) is not None


def set_path(path: tuple) -> str:
    """The `--set` key for a YAML path: dots inside a key escaped, list items as [n]."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part).replace(".", "\\.").replace(",", "\\,")
    return out


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES)
    flags = [f"-f {ctx.path}"]
    for site in ctx.sites:
        key = _empty_value(ctx.text, site, change)
        if key is not None:
            flags.append(f"--set-string '{key}'=\"${site.env_var}\"")
            change.manifest[site.env_var] = site.target.reference()
    change.note = NOTE.format(flags=" ".join(flags))
    return change


def _empty_value(text: str, site: BoundSite, change: FileChange) -> str | None:
    documents = parse(text)
    scalar = documents.scalar_at(site.start, site.end) if documents else None
    if scalar is None or scalar.is_key or None in scalar.path or scalar.document != 0:
        change.skip(site, "not a value of the values file's mapping")
        return None
    if not is_whole_value(text, scalar, site.start, site.end):
        change.skip(site, "part of a value: --set-string replaces whole values; move the secret to its own key")
        return None
    change.replace(site, site.start, site.end, '""' if scalar.style is None else "")
    return set_path(scalar.path)

"""Serverless Framework `serverless.yml`: `${ssm:/path}` variables.

Resolved at deploy time: the Framework writes the value into the generated CloudFormation
template and, for `environment`, into the Lambda configuration in plaintext. A grouped Secrets
Manager secret becomes an object there, so a single key of one is left to a human.
"""

from __future__ import annotations

from keystow.migrate.references.base import BoundSite, FileChange, FileContext
from keystow.migrate.references.yamltext import replace_in_scalar

KIND = "serverless"
RESOLVES = "deploy"
NOTE = ("resolved at deploy time; the value lands in plaintext in the generated CloudFormation "
        "template and, for environment variables, in the Lambda configuration")


def detect(path: str) -> bool:
    return path.rsplit("/", 1)[-1] in ("serverless.yml", "serverless.yaml")


def reference(site: BoundSite) -> str | None:
    target = site.target
    if target.store == "ssm":
        return f"${{ssm:{target.name}}}"
    if target.key:
        return None
    return f"${{ssm:/aws/reference/secretsmanager/{target.name}}}"


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    for site in ctx.sites:
        ref = reference(site)
        if ref is None:
            change.skip(site, "a key of a grouped Secrets Manager secret has no ${ssm:} form")
        else:
            replace_in_scalar(ctx.text, site, ref, change)
    return change

"""CloudFormation and SAM templates (YAML or JSON): dynamic references.

`{{resolve:secretsmanager:NAME[:SecretString:KEY]}}` works in every resource property, so it is
the default. `{{resolve:ssm-secure:NAME}}` works only in the eleven properties CloudFormation
documents; with `--to ssm`, an item used anywhere else in a template is stored in Secrets Manager
instead (the plan says so), because a SecureString reference there would fail the deployment.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from keystow.migrate.references.base import BoundSite, FileChange, FileContext
from keystow.migrate.references.yamlnodes import parse, string_at
from keystow.migrate.references.yamltext import replace_in_scalar

KIND = "cloudformation"
RESOLVES = "deploy"
NOTE = "resolved at deploy time; a stack update is needed to pick up a new value"
SM_NOTE = "; a secretsmanager reference may show in the target service's configuration"
SSM_SECURE_PROPERTIES = frozenset({
    ("AWS::RDS::DBInstance", "MasterUserPassword"), ("AWS::RDS::DBCluster", "MasterUserPassword"),
    ("AWS::Redshift::Cluster", "MasterUserPassword"), ("AWS::IAM::User", "Password"),
    ("AWS::DirectoryService::MicrosoftAD", "Password"), ("AWS::DirectoryService::SimpleAD", "Password"),
    ("AWS::ElastiCache::ReplicationGroup", "AuthToken"), ("AWS::KinesisFirehose::DeliveryStream", "Password"),
    ("AWS::OpsWorks::App", "Password"), ("AWS::OpsWorks::Stack", "Password"), ("AWS::OpsWorks::Stack", "DbPassword"),
})


def detect(path: str, text: str) -> bool:
    if not path.endswith((".yaml", ".yml", ".json", ".template")):
        return False
    return "AWSTemplateFormatVersion" in text or bool(re.search(r"AWS::Serverless|Type[\"']?\s*:\s*[\"']?AWS::", text))


class Where(NamedTuple):
    """Where in the template a secret sits, as its parser reads it."""

    section: str | None  # the top-level key: Resources, Parameters, Outputs...
    resource_type: str | None  # the Type of the resource, inside Resources
    key: str | None  # the innermost mapping key (`Password` in Properties.LoginProfile.Password)


def location(text: str, site: BoundSite) -> Where | None:
    """Where the scalar holding the site is; None when the template does not parse or the site
    is in no value (a comment, a key)."""
    documents = parse(text)
    scalar = documents.scalar_at(site.start, site.end) if documents else None
    if documents is None or scalar is None or scalar.is_key:
        return None
    path = scalar.path
    section = path[0] if isinstance(path[0], str) else None
    resource = path[1] if section == "Resources" and len(path) > 1 and isinstance(path[1], str) else None
    kind = string_at(documents.roots[scalar.document], "Resources", resource, "Type") if resource else None
    return Where(section, kind, path[-1] if isinstance(path[-1], str) else None)


def ssm_secure_allowed(text: str, site: BoundSite) -> bool:
    where = location(text, site)
    return where is not None and (where.resource_type, where.key) in SSM_SECURE_PROPERTIES


def needs_secretsmanager(text: str, site: BoundSite) -> str | None:
    """Why an SSM item must go to Secrets Manager for this site (None when ssm-secure works, or
    when the site is left to a human anyway: outside Resources, or in no value)."""
    where = location(text, site)
    if where is None or where.section != "Resources" or ssm_secure_allowed(text, site):
        return None
    return (f"{{{{resolve:ssm-secure}}}} is not supported in {where.resource_type or '?'}.{where.key or '?'}; "
            "stored in Secrets Manager instead")


def reference(site: BoundSite) -> str:
    target = site.target
    if target.store == "ssm":
        return f"{{{{resolve:ssm-secure:{target.name}}}}}"
    key = f":SecretString:{target.key}" if target.key else ""
    return f"{{{{resolve:secretsmanager:{target.name}{key}}}}}"


def plan(ctx: FileContext) -> FileChange:
    uses_sm = any(site.target.store == "secretsmanager" for site in ctx.sites)
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE + (SM_NOTE if uses_sm else ""))
    is_json = ctx.path.endswith(".json") or ctx.text.lstrip().startswith("{")
    for site in ctx.sites:
        reason = _unsupported(ctx.text, site)
        if reason:
            change.skip(site, reason)
        else:
            replace_in_scalar(ctx.text, site, reference(site), change, is_json)
    return change


def _unsupported(text: str, site: BoundSite) -> str | None:
    where = location(text, site)
    if where is None:
        return None  # replace_in_scalar says why: the file does not parse, or the site is in no value
    if where.section != "Resources":
        return f"dynamic references are only rewritten inside Resources (found in {where.section or '?'})"
    kind = where.resource_type or ""
    if kind.startswith("Custom::") or kind == "AWS::CloudFormation::CustomResource":
        return "dynamic references to secrets are not supported in custom resources"
    if site.target.store == "ssm" and (kind, where.key) not in SSM_SECURE_PROPERTIES:
        return "ssm-secure is not supported in this property"
    return None

"""CloudFormation and SAM templates (YAML or JSON): dynamic references.

`{{resolve:secretsmanager:NAME[:SecretString:KEY]}}` works in every resource property, so it is
the default. `{{resolve:ssm-secure:NAME}}` works only in the eleven properties CloudFormation
documents; with `--to ssm`, an item used anywhere else in a template is stored in Secrets Manager
instead (the plan says so), because a SecureString reference there would fail the deployment.
"""

from __future__ import annotations

import re

from keystow.migrate.references.base import FileChange, FileContext, Site
from keystow.migrate.references.yamltext import line_key, replace_in_scalar

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
RESOURCE_TYPE = re.compile(r"""["']?Type["']?\s*:\s*["']?((?:AWS|Custom)::[\w:]+|[\w]+::[\w:]+)""")
TOP_LEVEL_KEY = re.compile(r"^([A-Za-z]+)\s*:", re.M)


def detect(path: str, text: str) -> bool:
    if not path.endswith((".yaml", ".yml", ".json", ".template")):
        return False
    return "AWSTemplateFormatVersion" in text or bool(re.search(r"AWS::Serverless|Type[\"']?\s*:\s*[\"']?AWS::", text))


def resource_type(text: str, offset: int) -> str | None:
    found = None
    for match in RESOURCE_TYPE.finditer(text, 0, offset):
        found = match.group(1)
    return found


def ssm_secure_allowed(text: str, site: Site) -> bool:
    return (resource_type(text, site.start), line_key(text, site.start)) in SSM_SECURE_PROPERTIES


def needs_secretsmanager(text: str, site: Site) -> str | None:
    """Why an SSM item must go to Secrets Manager for this site (None when ssm-secure works)."""
    if ssm_secure_allowed(text, site):
        return None
    where = f"{resource_type(text, site.start) or '?'}.{line_key(text, site.start) or '?'}"
    return f"{{{{resolve:ssm-secure}}}} is not supported in {where}; stored in Secrets Manager instead"


def reference(site: Site) -> str:
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
        reason = _unsupported(ctx.text, site, is_json)
        if reason:
            change.skip(site, reason)
        else:
            replace_in_scalar(ctx.text, site, reference(site), change, is_json)
    return change


def _unsupported(text: str, site: Site, is_json: bool) -> str | None:
    kind = resource_type(text, site.start) or ""
    if kind.startswith("Custom::") or kind == "AWS::CloudFormation::CustomResource":
        return "dynamic references to secrets are not supported in custom resources"
    if site.target.store == "ssm" and not ssm_secure_allowed(text, site):
        return "ssm-secure is not supported in this property"
    if not is_json:
        sections = [m.group(1) for m in TOP_LEVEL_KEY.finditer(text, 0, site.start)]
        if sections and sections[-1] != "Resources":
            return f"dynamic references are only rewritten inside Resources (found in {sections[-1]})"
    return None

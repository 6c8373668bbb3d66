"""Ansible playbooks and variable files: `lookup('amazon.aws.ssm_parameter', '/path')`.

Resolved on the controller when the play runs (amazon.aws collection ≥ 6).
"""

from __future__ import annotations

import re

from keystow.migrate.references.base import BoundSite, FileChange, FileContext
from keystow.migrate.references.yamltext import replace_in_scalar

KIND = "ansible"
RESOLVES = "deploy"
NOTE = "looked up on the Ansible controller when the play runs; the value reaches the managed hosts"
PATH_HINTS = ("group_vars/", "host_vars/", "roles/", "playbooks/", "ansible/")


def detect(path: str, text: str) -> bool:
    if not path.endswith((".yml", ".yaml")) and "_vars/" not in path:
        return False
    if any(hint in "/" + path for hint in PATH_HINTS) or "playbook" in path.rsplit("/", 1)[-1]:
        return True
    return bool(re.search(r"^-\s+(hosts|import_playbook)\s*:", text, re.M))


def reference(site: BoundSite) -> str:
    target = site.target
    if target.store == "ssm":
        return f"{{{{ lookup('amazon.aws.ssm_parameter', '{target.name}') }}}}"
    if target.key:
        return f"{{{{ lookup('amazon.aws.secretsmanager_secret', '{target.name}.{target.key}', nested=true) }}}}"
    return f"{{{{ lookup('amazon.aws.secretsmanager_secret', '{target.name}') }}}}"


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    for site in ctx.sites:
        if site.target.key and "." in site.target.name:
            change.skip(site, "a secret name with '.' cannot be used with nested=true")
            continue
        replace_in_scalar(ctx.text, site, reference(site), change)
    return change

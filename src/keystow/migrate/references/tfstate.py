"""Terraform state files: never rewritten, always listed with the remedy ("manual: by design").

A state file is Terraform's record of what exists; editing a secret out of it would make the next
plan replace or corrupt resources, and the next apply would write the value back anyway. The
remedy is to stop committing state: a remote backend, then removal from the tree and history.
"""

from __future__ import annotations

from keystow.migrate.references.base import BY_DESIGN, FileChange, FileContext

KIND = "terraform-state"
RESOLVES = "manual"
NOTE = "never rewritten: listed with the remote-backend remedy"
REMEDY = (BY_DESIGN + "Terraform state is never rewritten. Move it to an encrypted remote backend "
          "(`backend \"s3\" { bucket = ..., key = ..., encrypt = true, use_lockfile = true }` and "
          "`terraform init -migrate-state`), delete the file from the repository, add `*.tfstate*` to "
          ".gitignore, rotate the secret, and purge the file from history (`keystow purge`)")


def detect(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.endswith((".tfstate", ".tfstate.backup"))


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, REMEDY)
    for site in ctx.sites:
        change.skip(site, REMEDY)
    return change

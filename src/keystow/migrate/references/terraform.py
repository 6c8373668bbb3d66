"""Terraform: a data source in `keystow_secrets.tf` beside the file, and the literal replaced by it.

Data-source values are read at plan/apply time and land in the Terraform state; the plan says so.
(Terraform ≥ 1.10 `ephemeral` resources avoid that but only feed write-only arguments, so they
cannot replace an arbitrary literal.)

Two places cannot use a data source. A `provider "aws"` block configures the very provider that
would read it (a dependency cycle): its `access_key`/`secret_key`/`token` lines are removed and
the provider takes the keys from its standard environment variables, which `keystow run` sets
from the store (or use a profile or an assumed role instead). A `variable` default must be a
constant: the default is removed and Terraform reads `TF_VAR_<name>` from the environment, set
by `keystow run` (the same as a `.tfvars` value, see terraform_vars.py).
"""

from __future__ import annotations

import posixpath
import re

from keystow.migrate.references.base import (
    BoundSite,
    FileChange,
    FileContext,
    GeneratedFile,
    indentation,
    line_bounds,
    newline_of,
    slug,
    whole_literal,
)

KIND = "terraform"
RESOLVES = "deploy"
NOTE = "read at plan/apply time; the value is stored in the Terraform state (protect the state backend)"
SECRETS_FILE = "keystow_secrets.tf"
NO_REFERENCES = {"terraform"}  # backend settings must be constant
TOP_LEVEL_BLOCK = re.compile(r'^([a-z_]+)\b(?:[ \t]+"([^"\n]*)")?[^\n]*\{[ \t]*\r?$', re.M)
# The AWS provider's own environment variables (its documented fallback for these arguments).
AWS_PROVIDER_ENV = {"access_key": "AWS_ACCESS_KEY_ID", "secret_key": "AWS_SECRET_ACCESS_KEY",
                    "token": "AWS_SESSION_TOKEN"}
PROVIDER_NOTE = ("removed from the provider block (a data source there would be read by the provider it "
                 "configures: a cycle); the provider reads {env} from the environment: run terraform under "
                 "`keystow run`, or better use a profile (`profile = \"name\"`, AWS_PROFILE) or an assumed role "
                 "(`assume_role {{ role_arn = ... }}`, OIDC in CI)")
ARGUMENT_LINE = re.compile(r'^[ \t]*(?P<name>[A-Za-z_][\w-]*)[ \t]*=[ \t]*"$')


def enclosing_header(text: str, offset: int) -> tuple[str, str] | None:
    """(kind, first label) of the top-level block holding offset: ("provider", "aws")."""
    header = None
    for match in TOP_LEVEL_BLOCK.finditer(text, 0, offset):
        header = (match.group(1), match.group(2) or "")
    return header


def enclosing_block(text: str, offset: int) -> str | None:
    """The kind (`resource`, `variable`, ...) of the top-level block holding offset."""
    header = enclosing_header(text, offset)
    return header[0] if header else None


def argument_line(text: str, site: BoundSite) -> tuple[str, int, int] | None:
    """(argument name, line start, end after the newline) when the site is all of `name = "..."`."""
    start, end = line_bounds(text, site.start)
    match = ARGUMENT_LINE.match(text[start:site.start])
    rest = text[site.end:end].strip()
    if match is None or not (rest == '"' or rest.startswith(('" #', '" //'))):
        return None
    after = text.find("\n", end)
    return match.group("name"), start, len(text) if after < 0 else after + 1


def remove_argument(text: str, site: BoundSite, change: FileChange, env_var: str, why: str) -> bool:
    """The whole `name = "secret"` line becomes a comment saying where the value now comes from."""
    found = argument_line(text, site)
    if found is None:
        return False
    name, start, end = found
    comment = (f"{indentation(text, site.start)}# {name}: {why}; keystow run sets {env_var} from "
               f"{site.target.reference()}{newline_of(text)}")
    change.replace(site, start, end, comment)
    change.manifest[env_var] = site.target.reference()
    return True


def detect(path: str) -> bool:
    return path.endswith(".tf") and not path.endswith(SECRETS_FILE)


def data_source(site: BoundSite) -> tuple[str, str, str]:
    """(data type, local name, expression) for the site's target."""
    target = site.target
    local = "keystow_" + slug(target.name)
    if target.store == "ssm":
        return "aws_ssm_parameter", local, f"data.aws_ssm_parameter.{local}.value"
    expression = f"data.aws_secretsmanager_secret_version.{local}.secret_string"
    if target.key:
        expression = f'jsondecode({expression})["{target.key}"]'
    return "aws_secretsmanager_secret_version", local, expression


def block(site: BoundSite) -> str:
    data_type, local, _ = data_source(site)
    argument = "name" if data_type == "aws_ssm_parameter" else "secret_id"
    return f'data "{data_type}" "{local}" {{\n  {argument} = "{site.target.name}"\n}}\n'


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    blocks: dict[str, str] = {}
    for site in ctx.sites:
        block_kind, label = enclosing_header(ctx.text, site.start) or ("", "")
        if block_kind in NO_REFERENCES:
            change.skip(site, f"a {block_kind} block cannot refer to a data source")
            continue
        if block_kind == "variable" or (block_kind == "provider" and label == "aws"):
            _from_environment(ctx.text, site, block_kind, label, change)
            continue
        _, local, expression = data_source(site)
        literal = whole_literal(ctx.text, site, '"')
        if literal:
            change.replace(site, literal[0], literal[1] + 1, expression)
        else:
            change.replace(site, site.start, site.end, "${" + expression + "}")
        blocks[local] = block(site)
    if blocks:
        path = posixpath.join(posixpath.dirname(ctx.path), SECRETS_FILE)
        change.generated.append(GeneratedFile(path, lambda old: _merge_blocks(old, blocks)))
    return change


def _from_environment(text: str, site: BoundSite, block_kind: str, label: str, change: FileChange) -> None:
    found = argument_line(text, site)
    if block_kind == "variable":
        if found is None or found[0] != "default":
            return change.skip(site, "part of a variable default: remove the default and set TF_VAR_" + label)
        remove_argument(text, site, change, "TF_VAR_" + label, "default removed (Terraform reads TF_VAR_" + label + ")")
        return None
    env_var = AWS_PROVIDER_ENV.get(found[0]) if found else None
    if env_var is None:
        return change.skip(site, PROVIDER_NOTE.format(env="its credentials") + ": not a key argument, edit by hand")
    remove_argument(text, site, change, env_var, "removed (the AWS provider reads " + env_var + ")")
    provider_note = PROVIDER_NOTE.format(env="AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
    if provider_note not in change.note:
        change.note = f"{change.note}; {provider_note}"
    return None


def _merge_blocks(old: str | None, blocks: dict[str, str]) -> str:
    text = old if old is not None else "# Generated by keystow migrate: where the migrated secrets live.\n"
    for local, body in sorted(blocks.items()):
        if not re.search(rf'^data\s+"\w+"\s+"{re.escape(local)}"', text, re.M):
            text += ("" if text.endswith("\n") else "\n") + "\n" + body
    return text

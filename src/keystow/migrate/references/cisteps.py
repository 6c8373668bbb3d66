"""What every CI writer shares: where a secret sits in the pipeline YAML (located by parser nodes,
never by regexes), the shell line that reads a value from AWS, and inserting new sequence items
(steps, script lines) ahead of the existing ones with the file's own indentation.

A site is one of:
- a variable entry (`env:`/`variables:`/`environment:` NAME: secret): the entry's lines go, and
  the job reads NAME from the store before its own steps;
- a script line (`run:`, `script:`, `command:`): the secret's characters become "${VAR}" (quoted for
  the shell, escaped for the YAML scalar), VAR read from the store before the script runs.
Every read is an assignment of its own, so a failed `aws` call fails the job instead of going on
with an empty value.
Anything else is left manual with the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from keystow.migrate.references.base import BoundSite, Edit, FileChange, enclosing_quotes, line_bounds, newline_of
from keystow.migrate.references.yamlnodes import (
    Documents,
    Scalar,
    block_entry,
    child,
    is_whole_value,
    next_line,
    parse,
)
from keystow.migrate.references.yamltext import scalar_reference
from keystow.migrate.stores import StoreTarget

AWS_KEY_NAMES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
ROLE_VARIABLE = "KEYSTOW_AWS_ROLE_ARN"  # the CI variable holding the role to assume (named in the plan)


@dataclass
class Fetches:
    """Per insertion point (a sequence's key path): the variables to read there, in order."""

    by_scope: dict[Any, dict[str, StoreTarget]] = field(default_factory=dict)  # scope: a job name or key path
    roles: set[Any] = field(default_factory=set)  # scopes that need AWS credentials only

    def add(self, scopes: list[Any], name: str, target: StoreTarget) -> None:
        for scope in scopes:
            self.by_scope.setdefault(scope, {})[name] = target

    def all_scopes(self) -> list[Any]:
        return sorted(set(self.by_scope) | self.roles, key=str)


def aws_read(target: StoreTarget) -> str:
    """The aws CLI command that prints the target's value."""
    if target.store == "ssm":
        return f"aws ssm get-parameter --with-decryption --name '{target.name}' --query Parameter.Value --output text"
    read = f"aws secretsmanager get-secret-value --secret-id '{target.name}' --query SecretString --output text"
    return read + (f" | jq -r '.[\"{target.key}\"]'" if target.key else "")


def remove_entry(text: str, scalar: Scalar, site: BoundSite, change: FileChange) -> str | None:
    """Cut a `NAME: secret` entry's lines; its NAME, or None (manual, reason given)."""
    entry = block_entry(text, scalar)
    if not is_whole_value(text, scalar, site.start, site.end) or entry is None:
        change.skip(site, "only a block-style entry whose whole value is the secret can move to the store")
        return None
    change.replace(site, *entry.lines, "")
    return entry.key.value


def remove_named_item(text: str, root: Node, scalar: Scalar, site: BoundSite, change: FileChange) -> str | None:
    """Cut a `- name: NAME` / `value: secret` sequence item's lines; its NAME, or None (manual)."""
    item = at_path(root, scalar.path[:-1])
    name = at_path(item, ("name",))
    keys = set(mapping_keys(item))
    if not isinstance(item, MappingNode) or item.flow_style or keys - {"name", "value", "readonly"} \
            or not isinstance(name, ScalarNode) or not is_whole_value(text, scalar, site.start, site.end):
        change.skip(site, "only a `- name: NAME` / `value: secret` item can move to the store")
        return None
    start = line_bounds(text, item.start_mark.index)[0]
    if not re.fullmatch(r"[ \t]*-[ \t]+", text[start:item.start_mark.index]):
        change.skip(site, "only a block-style `- name:` item can move to the store")
        return None
    _, end = line_bounds(text, max(value.end_mark.index for _, value in item.value))
    change.replace(site, start, next_line(text, end), "")
    return name.value


def remove_expanded_entry(text: str, root: Node, scalar: Scalar, site: BoundSite, change: FileChange) -> str | None:
    """Cut a `NAME:` entry whose block mapping holds `value: secret` (and a description and the
    like); its NAME, or None (manual)."""
    mapping = at_path(root, scalar.path[:-1])
    key = key_at(root, scalar.path[:-1])
    if not isinstance(mapping, MappingNode) or mapping.flow_style or key is None \
            or not is_whole_value(text, scalar, site.start, site.end):
        change.skip(site, "only a block-style `NAME: {value: secret}` entry can move to the store")
        return None
    start = line_bounds(text, key.start_mark.index)[0]
    if text[start:key.start_mark.index].strip(" \t"):
        change.skip(site, "the variable shares its first line with something else")
        return None
    _, end = line_bounds(text, max(value.end_mark.index for _, value in mapping.value))
    change.replace(site, start, next_line(text, end), "")
    return key.value


def drop_emptied(text: str, root: Node, path: tuple, removed: set[str], change: FileChange) -> None:
    """Remove the `env:`-style key at `path` once every entry under it has gone."""
    mapping = at_path(root, path)
    if isinstance(mapping, MappingNode) and {k.value for k, _ in mapping.value} <= removed:
        key = key_at(root, path)
        if key is not None:
            start, end = line_bounds(text, key.start_mark.index)
            if not text[start:key.start_mark.index].strip(" \t"):
                change.edits.append(Edit(start, next_line(text, end), ""))


def shell_reference(text: str, site: BoundSite, name: str, change: FileChange) -> bool:
    """The secret inside a script line becomes "${NAME}", quoted as the shell needs."""
    ref = "${" + name + "}"
    found = enclosing_quotes(text, site, "\"'")
    if found is None:
        ref = f'"{ref}"'
    elif found[2] == "'":
        ref = f"'\"{ref}\"'"
    new, reason = scalar_reference(text, site, ref)
    if new is None:
        change.skip(site, reason)
        return False
    change.replace(site, site.start, site.end, new)
    return True


def at_path(root: Node | None, path: tuple) -> Node | None:
    node = root
    for step in path:
        if isinstance(step, int):
            node = node.value[step] if isinstance(node, SequenceNode) and step < len(node.value) else None
        else:
            node = child(node, step)
        if node is None:
            return None
    return node


def key_at(root: Node, path: tuple):
    parent = at_path(root, path[:-1])
    if not isinstance(parent, MappingNode):
        return None
    return next((k for k, _ in parent.value if getattr(k, "value", None) == path[-1]), None)


def mapping_keys(node: Node | None) -> list[str]:
    return [k.value for k, _ in node.value if isinstance(getattr(k, "value", None), str)] \
        if isinstance(node, MappingNode) else []


def prepend_items(text: str, sequence: Node | None, items: list[list[str]]) -> Edit | None:
    """An edit putting `items` (each a list of lines, the first after "- ") before the first item
    of a non-empty block sequence, at its dash's indentation; None when it is not one."""
    if not isinstance(sequence, SequenceNode) or sequence.flow_style or not sequence.value:
        return None
    first = sequence.value[0].start_mark.index
    start = line_bounds(text, first)[0]
    dash = re.fullmatch(r"([ \t]*)-[ \t]+", text[start:first])
    if dash is None:
        return None
    indent, newline = dash.group(1), newline_of(text)
    lines = [f"{indent}{'- ' if n == 0 else '  '}{line}".rstrip() for item in items for n, line in enumerate(item)]
    return Edit(start, start, newline.join(lines) + newline)


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(value)


def locate(documents: Documents, site: BoundSite, change: FileChange) -> Scalar | None:
    scalar = documents.scalar_at(site.start, site.end)
    if scalar is None or scalar.is_key or scalar.document != 0:
        change.skip(site, "not in a value of the pipeline's first YAML document")
        return None
    return scalar


def parsed(ctx, change: FileChange) -> Documents | None:
    """The pipeline's YAML documents; None (every site manual) when it does not parse."""
    documents = parse(ctx.text)
    if documents is None or not documents.roots:
        for site in ctx.sites:
            change.skip(site, "the file does not parse as YAML")
        return None
    return documents


def plan_pipeline(ctx, change: FileChange, classify, insert) -> FileChange:
    """The shared walk of a CI writer: `classify(root, path)` → ("variable" | "script", scopes)
    or (reason, []) for a site's scalar; `insert(text, root, scope, {name: target})` → the Edit
    reading those variables from AWS at the start of that scope (None: it cannot be placed)."""
    documents = parsed(ctx, change)
    if documents is None:
        return change
    root = documents.roots[0]
    fetches, removed = Fetches(), {}  # type: ignore[var-annotated]
    for site in ctx.sites:
        scalar = locate(documents, site, change)
        if scalar is None:
            continue
        role, scopes = classify(root, scalar.path)
        if not scopes:
            change.skip(site, role)
        elif role == "variable":
            name = remove_entry(ctx.text, scalar, site, change)
            if name is not None:
                removed.setdefault(scalar.path[:-1], set()).add(name)
                fetches.add(scopes, name, site.target)
        elif role == "expanded-variable":
            name = remove_expanded_entry(ctx.text, root, scalar, site, change)
            if name is not None:
                removed.setdefault(scalar.path[:-2], set()).add(name)
                fetches.add(scopes, name, site.target)
        elif role == "named-item":
            name = remove_named_item(ctx.text, root, scalar, site, change)
            if name is not None:
                fetches.add(scopes, name, site.target)
        elif shell_reference(ctx.text, site, site.env_var, change):
            fetches.add(scopes, site.env_var, site.target)
    for path, names in removed.items():
        drop_emptied(ctx.text, root, path, names, change)
    for scope in fetches.all_scopes():
        edit = insert(ctx.text, root, scope, fetches.by_scope[scope])
        if edit is None:
            change.edits, change.rewritten = [], []
            for site in ctx.sites:
                change.skip(site, f"cannot add the step that reads from AWS at {'/'.join(map(str, scope))}")
            return change
        change.edits.append(edit)
    return change


def export_lines(names: dict[str, StoreTarget]) -> list[str]:
    """Shell lines exporting each variable read from AWS; a failed read fails the line (a bare
    `export NAME="$(…)"` would succeed with an empty value)."""
    return [f'{name}="$({aws_read(target)})" && export {name}' for name, target in names.items()]

"""CodeBuild `buildspec.yml`: a variable moves from `env: variables:` to `env: parameter-store:`
(or `secrets-manager:`), which CodeBuild resolves when the build starts.

The variable's line is deleted and the same key added under the store's section (created
just before `variables:` when missing); `variables:` itself goes when it is left empty. The
parser places every entry, so only whole lines of block-style entries move.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode

from keystow.migrate.references.base import BoundSite, Edit, FileChange, FileContext, line_bounds, newline_of
from keystow.migrate.references.yamlnodes import (
    BlockEntry,
    Documents,
    block_entry,
    child,
    is_whole_value,
    next_line,
    parse,
)

KIND = "codebuild"
RESOLVES = "runtime"
NOTE = "resolved when the build starts; the service role needs read access (see --emit-iam-policy)"
SECTION = {"ssm": "parameter-store", "secretsmanager": "secrets-manager"}


def detect(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith("buildspec") and name.endswith((".yml", ".yaml"))


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    documents = parse(ctx.text)
    if documents is None:
        for site in ctx.sites:
            change.skip(site, "the file does not parse as YAML")
        return change
    moved: dict[tuple[int, str], list[tuple[str, str]]] = {}  # (document, section) → (key, value) to add
    removed: dict[int, set[str]] = {}  # document → variables that leave `variables:`
    for site in ctx.sites:
        entry, reason = _variables_entry(ctx.text, documents, site)
        if entry is None:
            change.skip(site, reason)
            continue
        change.replace(site, *entry.lines, "")
        removed.setdefault(entry.scalar.document, set()).add(entry.key.value)
        value = site.target.name + (f":{site.target.key}" if site.target.key else "")
        key_text = ctx.text[entry.key.start_mark.index:entry.key.end_mark.index]  # as written, quotes kept
        moved.setdefault((entry.scalar.document, SECTION[site.target.store]), []).append((key_text, value))
    for (document, section), entries in moved.items():
        change.edits.append(_add_to_section(ctx.text, documents.roots[document], section, entries))
    for document, keys in removed.items():
        _drop_if_emptied(ctx.text, documents.roots[document], keys, change)
    return change


def _variables_entry(text: str, documents: Documents, site: BoundSite) -> tuple[BlockEntry | None, str]:
    """(the `env: variables:` value scalar holding the site, "") or (None, why it cannot move)."""
    scalar = documents.scalar_at(site.start, site.end)
    if scalar is None or scalar.is_key or len(scalar.path) != 3 or scalar.path[:2] != ("env", "variables"):
        return None, "only entries of env: variables: can move to the store's section"
    if not is_whole_value(text, scalar, site.start, site.end):
        return None, "only a variable whose whole value is the secret can move to the store's section"
    entry = block_entry(text, scalar)
    if entry is None:
        return None, "only block-style entries of env: variables: (one per line) can move"
    section = child(documents.roots[scalar.document], "env", SECTION[site.target.store])
    if section is not None and not _takes_block_entries(section):
        return None, f"env: {SECTION[site.target.store]}: is not a block mapping to add to"
    return entry, ""


def _takes_block_entries(section: Node) -> bool:
    """A block mapping, or nothing yet (`parameter-store:` alone on its line)."""
    if isinstance(section, MappingNode):
        return not section.flow_style
    return isinstance(section, ScalarNode) and section.value == "" and section.style is None


def _add_to_section(text: str, root: Node, section: str, entries: list[tuple[str, str]]) -> Edit:
    """Insert the entries as the section's first lines, creating the section before `variables:`."""
    newline = newline_of(text)
    variables_key = _key(root, "env", "variables")
    section_key = _key(root, "env", section)
    existing = child(root, "env", section)
    if section_key is None:
        variables = child(root, "env", "variables")
        # entries are added only after one moved out of env: variables:, a block mapping
        assert variables_key is not None and isinstance(variables, MappingNode)
        at = line_bounds(text, variables_key.start_mark.index)[0]
        header = f"{_indent(text, variables_key)}{section}:{newline}"
        first_variable = variables.value[0][0]  # entries keep the indentation they had
        return Edit(at, at, header + _lines(entries, _indent(text, first_variable), newline))
    if isinstance(existing, MappingNode) and existing.value:
        indent = _indent(text, existing.value[0][0])  # the section's own indentation
    else:
        indent = _indent(text, section_key) + "  "
    at = next_line(text, line_bounds(text, section_key.end_mark.index)[1])
    head = newline if at == len(text) and not text.endswith("\n") else ""  # the header was the last line
    return Edit(at, at, head + _lines(entries, indent, newline))


def _lines(entries: list[tuple[str, str]], indent: str, newline: str) -> str:
    return "".join(f"{indent}{key}: {value}{newline}" for key, value in entries)


def _drop_if_emptied(text: str, root: Node, keys: set[str], change: FileChange) -> None:
    """Remove the `variables:` line once every entry under it has moved."""
    variables = child(root, "env", "variables")
    if isinstance(variables, MappingNode) and {k.value for k, _ in variables.value} <= keys:
        key = _key(root, "env", "variables")
        assert key is not None  # the mapping just read is under it
        start, end = line_bounds(text, key.start_mark.index)
        change.edits.append(Edit(start, next_line(text, end), ""))


def _key(root: Node, *path: str) -> ScalarNode | None:
    """The key node of the entry at `path` (its last step) in a mapping."""
    parent = child(root, *path[:-1])
    if not isinstance(parent, MappingNode):
        return None
    return next((k for k, _ in parent.value if isinstance(k, ScalarNode) and k.value == path[-1]), None)


def _indent(text: str, node: Node) -> str:
    return text[line_bounds(text, node.start_mark.index)[0]:node.start_mark.index]

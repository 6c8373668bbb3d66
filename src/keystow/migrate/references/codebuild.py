"""CodeBuild `buildspec.yml`: a variable moves from `env: variables:` to `env: parameter-store:`
(or `secrets-manager:`), which CodeBuild resolves when the build starts.

The variable's line is deleted and the same key added under the store's section (created
just before `variables:` when missing); `variables:` itself goes when it is left empty.
"""

from __future__ import annotations

import re

from keystow.migrate.references.base import (
    Edit,
    FileChange,
    FileContext,
    Site,
    line_bounds,
    newline_of,
)
from keystow.migrate.references.yamltext import line_key

KIND = "codebuild"
RESOLVES = "runtime"
NOTE = "resolved when the build starts; the service role needs read access (see --emit-iam-policy)"
SECTION = {"ssm": "parameter-store", "secretsmanager": "secrets-manager"}


def detect(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith("buildspec") and name.endswith((".yml", ".yaml"))


def plan(ctx: FileContext) -> FileChange:
    text, newline = ctx.text, newline_of(ctx.text)
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    moved: dict[tuple[int, str], list[str]] = {}  # (variables line start, section) → new lines
    removed: dict[int, set[int]] = {}
    for site in ctx.sites:
        found = _variables_entry(text, site)
        if found is None:
            change.skip(site, "only entries of env: variables: can move to the store's section")
            continue
        var_line, key, indent = found
        start, end = line_bounds(text, site.start)
        change.replace(site, start, _next_line(text, end), "")
        removed.setdefault(var_line, set()).add(start)
        value = site.target.name + (f":{site.target.key}" if site.target.key else "")
        moved.setdefault((var_line, SECTION[site.target.store]), []).append(f"{indent}{key}: {value}{newline}")
    for (var_line, section), lines in moved.items():
        _add_to_section(text, var_line, section, lines, change)
    for var_line, starts in removed.items():
        if set(_children(text, var_line)) <= starts:
            change.edits.append(Edit(var_line, _next_line(text, line_bounds(text, var_line)[1]), ""))
    return change


def _variables_entry(text: str, site: Site) -> tuple[int, str, str] | None:
    """(start of the `variables:` line, key, key indentation) when the site is a variables entry."""
    start, _ = line_bounds(text, site.start)
    key = line_key(text, site.start)
    indent = re.match(r"[ \t]*", text[start:]).group(0)
    parent = _parent_line(text, start, len(indent))
    if not key or parent is None or text[parent:].lstrip().split(":")[0] != "variables":
        return None
    grandparent = _parent_line(text, parent, _indent_len(text, parent))
    if grandparent is None or text[grandparent:].split(":")[0].strip() != "env":
        return None
    return parent, key, indent


def _add_to_section(text: str, var_line: int, section: str, lines: list[str], change: FileChange) -> None:
    indent = text[var_line:var_line + _indent_len(text, var_line)]
    existing = re.compile(rf"^{re.escape(indent)}{re.escape(section)}:[ \t]*\r?$", re.M).search(text)
    if existing:
        at = existing.end()
        head = newline_of(text) if at >= len(text) else ""
        change.edits.append(Edit(min(at + 1, len(text)), min(at + 1, len(text)), head + "".join(lines)))
    else:
        change.edits.append(Edit(var_line, var_line, f"{indent}{section}:{newline_of(text)}" + "".join(lines)))


def _children(text: str, parent: int) -> list[int]:
    depth = _indent_len(text, parent)
    starts, offset = [], _next_line(text, line_bounds(text, parent)[1])
    while offset < len(text):
        line_end = line_bounds(text, offset)[1]
        stripped = text[offset:line_end].strip()
        if stripped and not stripped.startswith("#"):
            if _indent_len(text, offset) <= depth:
                break
            starts.append(offset)
        offset = _next_line(text, line_end)
    return starts


def _parent_line(text: str, start: int, depth: int) -> int | None:
    """Start of the nearest line above with less indentation (ignoring blanks and comments)."""
    while start > 0:
        start = text.rfind("\n", 0, start - 1) + 1
        line = text[start:line_bounds(text, start)[1]]
        if line.strip() and not line.strip().startswith("#") and _indent_len(text, start) < depth:
            return start
    return None


def _indent_len(text: str, start: int) -> int:
    return len(re.match(r"[ \t]*", text[start:]).group(0))


def _next_line(text: str, line_end: int) -> int:
    newline = text.find("\n", line_end)
    return len(text) if newline < 0 else newline + 1

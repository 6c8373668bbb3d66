"""ECS task definitions (JSON): an `environment` entry moves to `secrets` with `valueFrom`.

ECS resolves `valueFrom` when the container starts (task execution role). Arrays that change are
re-joined with their own separators, so the rest of the file keeps its formatting.
"""

from __future__ import annotations

import json
import re

from keystow.migrate.references.base import BoundSite, Edit, FileChange, FileContext

KIND = "ecs"
RESOLVES = "runtime"
NOTE = "resolved when the container starts; the task execution role needs read access"


def detect(path: str, text: str) -> bool:
    return path.endswith(".json") and '"containerDefinitions"' in text


def brackets(text: str) -> dict[int, int]:
    """Open bracket offset → its closing offset, for every {} and [] outside strings."""
    pairs, stack, in_string, index = {}, [], False, 0
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            stack.append(index)
        elif char in "]}" and stack:
            pairs[stack.pop()] = index
        index += 1
    return pairs


def innermost(pairs: dict[int, int], offset: int, opener: str, text: str) -> int | None:
    best = None
    for open_at, close_at in pairs.items():
        if open_at < offset < close_at and text[open_at] == opener and (best is None or open_at > best):
            best = open_at
    return best


def value_from(site: BoundSite, arn: str) -> str:
    if site.target.store == "secretsmanager" and site.target.key:
        return f"{arn}:{site.target.key}::"
    return arn


def plan(ctx: FileContext) -> FileChange:
    text, pairs = ctx.text, brackets(ctx.text)
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    moves: dict[int, list[tuple[int, str, BoundSite]]] = {}  # environment array → (element, new text, site)
    for site in ctx.sites:
        element = innermost(pairs, site.start, "{", text)
        array = innermost(pairs, site.start, "[", text)
        head = text[element:site.start] if element is not None else ""
        if element is None or array is None or not re.search(r'"value"\s*:\s*"$', head) \
                or not re.search(r'"environment"\s*:\s*$', text[:array]) or array > element:
            change.skip(site, "only `environment` entries of a container definition can move to `secrets`")
            continue
        valued = head.replace('"value"', '"valueFrom"', 1) + json.dumps(value_from(site, ctx.arn(site.target)))[1:-1]
        moves.setdefault(array, []).append((element, valued + text[site.end:pairs[element] + 1], site))
    for array, moved in moves.items():
        _move(text, pairs, array, moved, change)
    return change


def _move(text: str, pairs: dict[int, int], array: int, moved: list, change: FileChange) -> None:
    elements = [o for o in sorted(pairs) if array < o < pairs[array] and text[o] == "{" and
                innermost(pairs, o, "[", text) == array]
    taken = {element for element, _, _ in moved}
    kept = [text[o:pairs[o] + 1] for o in elements if o not in taken]
    shape = _shape(text, pairs, array, elements)
    change.edits.append(Edit(array, pairs[array] + 1, _join(kept, shape)))
    change.rewritten.extend(site for _, _, site in moved)
    container = innermost(pairs, array, "{", text)
    secrets_key = re.compile(r'"secrets"\s*:\s*\[')
    found = secrets_key.search(text, container, pairs[container]) if container is not None else None
    new = [body for _, body, _ in moved]
    if found:
        secrets = found.end() - 1
        existing = [text[o:pairs[o] + 1] for o in sorted(pairs) if secrets < o < pairs[secrets]
                    and text[o] == "{" and innermost(pairs, o, "[", text) == secrets]
        change.edits.append(Edit(secrets, pairs[secrets] + 1, _join(existing + new, shape)))
        return
    key = text.rfind('"environment"', 0, array)
    line_start = text.rfind("\n", 0, key) + 1
    indent = text[line_start:key] if not text[line_start:key].strip() else " "
    newline = "\r\n" if "\r\n" in text else "\n"
    change.edits.append(Edit(key, key, f'"secrets": {_join(new, shape)},{newline if indent != " " else ""}{indent}'))


def _shape(text: str, pairs: dict[int, int], array: int, elements: list[int]) -> tuple[str, str, str]:
    """(after `[`, between elements, before `]`) as the array writes them."""
    if not elements:
        return "", ", ", ""
    first = text[array + 1:elements[0]]
    last = text[pairs[elements[-1]] + 1:pairs[array]]
    between = text[pairs[elements[0]] + 1:elements[1]] if len(elements) > 1 else "," + (first or " ")
    return first, between, last


def _join(items: list[str], shape: tuple[str, str, str]) -> str:
    first, between, last = shape
    return "[" + first + between.join(items) + last + "]" if items else "[]"

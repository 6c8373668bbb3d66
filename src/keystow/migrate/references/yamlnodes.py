"""YAML located by its parser: each scalar with its key path and its exact characters.

PyYAML's composer records where every node starts and ends in the text it read (`start_mark.index`
and `end_mark.index`: character offsets into the decoded string, line breaks and a BOM counted),
so a writer can replace exactly one scalar and leave comments, quoting and indentation as they
were. The text is only composed, never constructed: tags such as CloudFormation's `!Ref` need no
constructor, and nothing in the file becomes a Python object.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Iterator, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from keystow.migrate.references.base import line_bounds

BLOCK_STYLES = ("|", ">")
# Node properties (a tag such as `!Sub`, an anchor such as `&base`) come before the value itself
# and are part of the node's marks; the value's characters start after them.
PROPERTIES = re.compile(r"(?:[!&][^\s]*\s+)*")


@dataclass(frozen=True)
class Scalar:
    """One scalar: its document, its key path, and where its value's characters are."""

    document: int
    path: tuple  # mapping keys (str, or None for a non-scalar key) and sequence indexes (int)
    node: ScalarNode
    key: ScalarNode | None  # the mapping key whose value this scalar is
    is_key: bool
    in_flow: bool  # inside {...} or [...], where `,[]{}` end a plain scalar
    content: tuple[int, int]  # the value's characters: inside the quotes, after any tag or anchor

    @property
    def style(self) -> str | None:
        return self.node.style

    @property
    def start(self) -> int:
        return self.node.start_mark.index

    @property
    def end(self) -> int:
        return self.node.end_mark.index


class Documents:
    """The composed documents of one text (`---` separated), searched by character offset."""

    def __init__(self, text: str, roots: tuple[Node, ...]) -> None:
        self.text, self.roots = text, roots

    def scalar_at(self, start: int, end: int) -> Scalar | None:
        """The scalar (value or key) whose node holds the characters [start, end)."""
        for number, root in enumerate(self.roots):
            for scalar in _walk(self.text, root, number, (), False, set(), None, (start, end)):
                if scalar.start <= start and end <= scalar.end:
                    return scalar
        return None


def parse(text: str) -> Documents | None:
    """The text's YAML documents, or None when it does not parse as YAML."""
    roots = _compose(text)
    return None if roots is None else Documents(text, roots)


@functools.lru_cache(maxsize=16)
def _compose(text: str) -> tuple[Node, ...] | None:
    # Cached: the planner asks about one file once per site (and writers once more).
    try:
        return tuple(root for root in yaml.compose_all(_yaml_view(text), Loader=yaml.SafeLoader) if root is not None)
    except (yaml.YAMLError, RecursionError):  # RecursionError: nesting deeper than the composer's stack
        return None


def _yaml_view(text: str) -> str:
    """JSON may indent with tabs, which YAML forbids. In valid JSON a raw tab can only be
    whitespace between tokens, so a space in its place reads the same and keeps every offset."""
    if "\t" not in text or text.lstrip()[:1] not in ("{", "["):
        return text
    try:
        json.loads(text)
    except ValueError:
        return text
    return text.replace("\t", " ")


def walk(root: Node) -> Iterator[tuple[tuple, ScalarNode]]:
    """(key path, scalar node) for each value scalar under `root`."""
    for scalar in _walk("", root, 0, (), False, set(), None, None):
        if not scalar.is_key:
            yield scalar.path, scalar.node


def _walk(text: str, node: Node, document: int, path: tuple, in_flow: bool, seen: set[int],
          key: ScalarNode | None, near: tuple[int, int] | None) -> Iterator[Scalar]:
    """Scalars under `node`; with `near`, only inside collections whose marks hold that span.
    `seen` stops at a node met before: an alias is the same node again, and may contain itself."""
    if id(node) in seen:
        return
    if near and not isinstance(node, ScalarNode) and not (node.start_mark.index <= near[0]
                                                          and near[1] <= node.end_mark.index):
        return
    seen.add(id(node))
    if isinstance(node, ScalarNode):
        yield Scalar(document, path, node, key, False, in_flow, _content(text, node))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(text, item, document, path + (index,), in_flow or bool(node.flow_style), seen, None, near)
    elif isinstance(node, MappingNode):
        inner = in_flow or bool(node.flow_style)
        for key_node, value in node.value:
            name = key_node.value if isinstance(key_node, ScalarNode) else None
            if isinstance(key_node, ScalarNode):
                yield Scalar(document, path + (name,), key_node, None, True, inner, _content(text, key_node))
            owner = key_node if isinstance(key_node, ScalarNode) else None
            yield from _walk(text, value, document, path + (name,), inner, seen, owner, near)


def _content(text: str, node: ScalarNode) -> tuple[int, int]:
    start, end = node.start_mark.index, node.end_mark.index
    if text and (properties := PROPERTIES.match(text, start, end)):
        start = properties.end()
    if node.style in ("'", '"'):
        return start + 1, end - 1
    return start, end


def child(node: Node | None, *keys: str) -> Node | None:
    """The node at `keys` below a mapping node (None when any step is missing)."""
    for wanted in keys:
        if not isinstance(node, MappingNode):
            return None
        node = next((value for key, value in node.value if isinstance(key, ScalarNode) and key.value == wanted), None)
    return node


def string_at(node: Node | None, *keys: str) -> str | None:
    """The scalar value at `keys` below `node`, if there is one."""
    found = child(node, *keys)
    return found.value if isinstance(found, ScalarNode) else None


def is_whole_value(text: str, scalar: Scalar, start: int, end: int) -> bool:
    """Whether [start, end) is all of the scalar's value, written without escapes or folding."""
    return (start, end) == scalar.content and scalar.style not in BLOCK_STYLES and text[start:end] == scalar.node.value


class BlockEntry(NamedTuple):
    """A block mapping entry that can be cut out as whole lines."""

    scalar: Scalar  # the value
    key: ScalarNode
    lines: tuple[int, int]  # as entry_lines


def block_entry(text: str, scalar: Scalar) -> BlockEntry | None:
    lines = entry_lines(text, scalar)
    if lines is None or scalar.key is None:
        return None
    return BlockEntry(scalar, scalar.key, lines)


def entry_lines(text: str, scalar: Scalar) -> tuple[int, int] | None:
    """[start, end) of the whole lines of a block mapping entry `key: value  # comment`, line
    ending included; None when the entry shares a line with anything else (a flow mapping,
    the first entry of a `- ` sequence item) or its value is a block scalar."""
    key = scalar.key
    if key is None or scalar.in_flow or scalar.style in BLOCK_STYLES:
        return None
    start = line_bounds(text, key.start_mark.index)[0]
    if text[start:key.start_mark.index].strip(" \t"):
        return None
    _, line_end = line_bounds(text, scalar.end)
    rest = text[scalar.end:line_end].strip(" \t")
    if rest and not rest.startswith("#"):
        return None
    return start, next_line(text, line_end)


def next_line(text: str, line_end: int) -> int:
    """The start of the line after the one ending at `line_end` (the text's end on the last line)."""
    newline = text.find("\n", line_end)
    return len(text) if newline < 0 else newline + 1


def last_line_end(text: str, node: Node) -> int:
    """The start of the line after the last scalar under `node`: where a following entry goes.
    (A block collection's own end mark runs on over trailing comments and blank lines.)"""
    ends = [s.end for s in _walk(text, node, 0, (), False, set(), None, None)]
    return next_line(text, line_bounds(text, max(ends))[1]) if ends else node.end_mark.index

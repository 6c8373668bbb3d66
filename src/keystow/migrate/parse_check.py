"""A last check on every rewrite: a file that parsed before must still parse afterwards.

YAML (with CloudFormation's `!Ref`-style tags), JSON, TOML and Python are checked; a rewrite that
would break its file is dropped and its sites become manual.
"""

from __future__ import annotations

import ast
import functools
import json

import yaml

from keystow.config import toml_parser

PARSERS = {".json": "json", ".ipynb": "json", ".yml": "yaml", ".yaml": "yaml", ".template": "yaml", ".toml": "toml",
           ".py": "python"}


def parses(path: str, text: str) -> bool:
    kind = PARSERS.get("." + path.rsplit(".", 1)[-1]) if "." in path.rsplit("/", 1)[-1] else None
    if kind is None:
        return True
    try:
        _parse(kind, text)
    except Exception:  # noqa: BLE001  (any parser error means "does not parse")
        return False
    return True


def still_parses(path: str, old: str, new: str) -> bool:
    return parses(path, new) or not parses(path, old)


def _parse(kind: str, text: str) -> None:
    if kind == "json":
        json.loads(text)
    elif kind == "python":
        ast.parse(text.removeprefix("\ufeff"))  # Python reads a BOM as an encoding mark
    elif kind == "toml":
        tomllib = toml_parser()

        tomllib.loads(text)
    else:
        list(yaml.load_all(text, Loader=_tagged_loader()))


@functools.lru_cache(maxsize=1)
def _tagged_loader():
    class TaggedLoader(yaml.SafeLoader):
        """Accepts any local tag (`!Ref`, `!Sub`, `!GetAtt`, `!vault`) as plain data."""

    def any_tag(loader, suffix, node):
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    TaggedLoader.add_multi_constructor("!", any_tag)
    return TaggedLoader

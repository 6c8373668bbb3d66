"""Kustomize `secretGenerator` literals: the `KEY=value` literal leaves the kustomization and the
generator reads the value from a file written at deploy time.

The literal becomes a `files:` entry `KEY=keystow-secrets/KEY`; `keystow run --file
DIR/keystow-secrets/KEY=REF -- kubectl apply -k DIR` writes that file (mode 0600) from the store
for the deploy and removes it afterwards (the plan's note gives the exact command). The
directory holds only a `.gitignore` in the repository, so a value written there is never committed.
(An `envs` file with a bare `KEY` line was the first idea: kustomize 5.5 reads such a key as an
empty value, not from the environment, so it would deploy an empty Secret.)
"""

from __future__ import annotations

import posixpath
import re

from yaml.nodes import ScalarNode

from keystow.migrate.references.base import (
    BoundSite,
    Edit,
    FileChange,
    FileContext,
    GeneratedFile,
    line_bounds,
    newline_of,
)
from keystow.migrate.references.yamlnodes import child, next_line, parse

KIND = "kustomize"
RESOLVES = "deploy"
NOTE = "a file kustomize reads, written at deploy time: `keystow run {files} -- kubectl apply -k {directory}`"
SECRETS_DIR = "keystow-secrets"
NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
LITERAL_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def detect(path: str) -> bool:
    return path.rsplit("/", 1)[-1] in NAMES


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    documents = parse(ctx.text)
    moved: dict[int, list[tuple[BoundSite, str]]] = {}  # generator index → (site, key)
    for site in ctx.sites:
        scalar = documents.scalar_at(site.start, site.end) if documents else None
        where = scalar.path if scalar else ()
        key = _literal_key(ctx.text, scalar, site) if scalar else None
        if len(where) != 4 or where[0] != "secretGenerator" or where[2] != "literals" or key is None:
            change.skip(site, "not a whole `KEY=value` secretGenerator literal on its own line")
            continue
        moved.setdefault(where[1], []).append((site, key))
    for index, entries in sorted(moved.items()):
        _move_generator(ctx, documents, index, entries, change)
    return change


def _literal_key(text: str, scalar, site: BoundSite) -> str | None:
    key, sep, _ = scalar.node.value.partition("=")
    start, end = line_bounds(text, scalar.start)
    line_ok = re.fullmatch(r"\s*-\s*", text[start:scalar.start]) and not text[scalar.end:end].strip()
    whole_rest = site.start == scalar.content[0] + len(key) + 1 and site.end == scalar.content[1]
    return key if sep and LITERAL_KEY.match(key) and line_ok and whole_rest else None


def _move_generator(ctx: FileContext, documents, index: int, entries, change: FileChange) -> None:
    generators = child(documents.roots[0], "secretGenerator")
    assert generators is not None  # the sites' paths start with secretGenerator
    generator = generators.value[index]
    name_node, literals = child(generator, "name"), child(generator, "literals")
    literals_key = next((k for k, _ in generator.value if isinstance(k, ScalarNode) and k.value == "literals"), None)
    key_line = line_bounds(ctx.text, literals_key.start_mark.index)[0] if literals_key else 0
    indent = ctx.text[key_line:literals_key.start_mark.index] if literals_key else "-"
    if child(generator, "files") is not None or name_node is None or literals is None or indent.strip():
        for site, _ in entries:
            change.skip(site, "this generator already has `files` (or no name): move the literal to a file by hand")
        return
    newline, directory = newline_of(ctx.text), posixpath.dirname(ctx.path)
    files = f"{indent}files:{newline}" + "".join(
        f"{indent}  - {key}={SECRETS_DIR}/{key}{newline}" for _, key in entries)
    for site, _ in entries:
        line_start, line_end = line_bounds(ctx.text, site.start)
        change.replace(site, line_start, next_line(ctx.text, line_end), "")
    if len(entries) == len(literals.value):  # `literals:` would be left empty: it becomes `files:`
        change.edits.append(Edit(key_line, next_line(ctx.text, line_bounds(ctx.text, key_line)[1]), files))
    else:
        change.edits.append(Edit(key_line, key_line, files))
    written = " ".join(f"--file {posixpath.join(directory, SECRETS_DIR, key)}={site.target.reference()}"
                       for site, key in entries)
    change.note = NOTE.format(files=written, directory=directory or ".")
    ignore = posixpath.join(directory, SECRETS_DIR, ".gitignore")
    change.generated.append(GeneratedFile(ignore, lambda old: old or "# values written by keystow run --file\n*\n"
                                                                      "!.gitignore\n"))

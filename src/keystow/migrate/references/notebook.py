"""Jupyter notebooks: a code cell reads the environment, an output holding the secret is cleared.

The notebook is JSON whose cells hold source lines, so the edit is made on the parsed notebook,
not on the JSON text: each site is first swapped for a marker, the notebook is parsed, each
marker's cell is rewritten (code: the literal becomes `os.environ["VAR"]`, with `import os` at
the top of that cell; an output: that cell's outputs are cleared, its execution count kept;
markdown: a placeholder naming the reference), and the notebook is written back the way Jupyter
writes it (one-space indent, keys sorted). The file becomes one edit, which the journal records
as literal text and value ids, so a rollback still restores it byte for byte.
"""

from __future__ import annotations

import json
import re

from keystow.migrate.references import source_code
from keystow.migrate.references.base import BoundSite, Edit, FileChange, FileContext, placeholder

KIND = "notebook"
RESOLVES = "runtime"
NOTE = "read from the environment: start Jupyter under `keystow run -- jupyter lab`; outputs that showed it are cleared"
MARKER = "@@keystow-site-{}@@"
MARKER_RE = re.compile(r"@@keystow-site-(\d+)@@")


def detect(path: str) -> bool:
    return path.endswith(".ipynb")


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    sites = sorted(ctx.sites, key=lambda s: s.start)
    pieces, cursor = [], 0
    for number, site in enumerate(sites):
        pieces += [ctx.text[cursor:site.start], MARKER.format(number)]
        cursor = site.end
    marked = "".join(pieces) + ctx.text[cursor:]
    try:
        notebook = json.loads(marked)
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError):
        return _all_manual(change, sites, "not a notebook this version can read (nbformat 4 JSON)")
    handled: set[int] = set()
    for cell in cells:
        _rewrite_cell(cell, sites, change, handled)
    if change.manual:  # a site left as is cannot be inside a whole-file edit: the cell is manual
        return _all_manual(change, sites, "in this notebook: " + change.manual[0][1])
    if len(handled) != len(sites):
        return _all_manual(change, sites, "a secret outside cell sources and outputs (metadata): edit it by hand")
    new = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    change.edits, change.rewritten = [Edit(0, len(ctx.text), new)], list(sites)
    return change


def _all_manual(change: FileChange, sites, reason: str) -> FileChange:
    change.edits, change.rewritten, change.manifest, change.manual = [], [], {}, []
    for site in sites:
        change.skip(site, reason)
    return change


def _rewrite_cell(cell: dict, sites: list[BoundSite], change: FileChange, handled: set[int]) -> None:
    outputs = json.dumps(cell.get("outputs", []))
    if MARKER_RE.search(outputs):
        handled.update(int(n) for n in MARKER_RE.findall(outputs))
        cell["outputs"] = []
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else source
    numbers = [int(n) for n in MARKER_RE.findall(text)]
    if not numbers:
        return
    if cell.get("cell_type") == "code":
        text = _rewrite_code(text, [sites[n] for n in numbers], numbers, change)
    else:
        text = MARKER_RE.sub(lambda m: placeholder(sites[int(m.group(1))].target), text)
    handled.update(numbers)
    cell["source"] = text.splitlines(keepends=True) if isinstance(source, list) else text


def _rewrite_code(text: str, sites: list[BoundSite], numbers: list[int], change: FileChange) -> str:
    """The cell's Python rewritten by the source writer, the marker standing in for the value."""
    cell_sites = []
    for site, number in zip(sites, numbers, strict=True):
        start = text.index(MARKER.format(number))
        cell_sites.append(BoundSite.bind(site, site.target, start=start, end=start + len(MARKER.format(number))))
    cell = FileChange("cell", KIND, RESOLVES)
    for site in cell_sites:
        source_code.rewrite_site(text, site, "python", cell)
    for skipped, reason in cell.manual:
        change.skip(next(s for s in sites if s.item_id == skipped.item_id), reason)
    new = _apply(text, cell.edits)
    change.manifest.update(cell.manifest)
    if cell.edits and not re.search(r"^import os\s*$", new, re.M):
        new = "import os\n" + new
    return new


def _apply(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[:edit.start] + edit.new + text[edit.end:]
    return text

"""Blobs no commit holds: refs (tags, as a rule) that point straight at a tree or a blob.

`git log --all` walks commits, so content tagged without one — `git tag keys $(git write-tree)`,
or a tag on a lone blob, the way some projects publish a signing key — never appears in it.
`git for-each-ref` names each ref's object and, for an annotated tag, the object the tag points
at; a tagged tree is listed with `git ls-tree -r`, a tagged blob taken as it is. The location is
the path inside the tree (the ref's name for a lone blob); the provenance is the tag: its object
id where a commit id would be, and its tagger. A tag of a tag of a tree is not followed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from keystow import git
from keystow.findings import Provenance
from keystow.git.raw_diff import SCANNED_MODES

REF_FORMAT = ("--format=%(objectname)%00%(objecttype)%00%(*objectname)%00%(*objecttype)%00%(refname)"
              "%00%(taggername)%00%(taggeremail)%00%(taggerdate:iso-strict)")


def iter_tagged_introductions(repo: Path) -> Iterator[tuple[str, str, Provenance]]:
    """(blob id, path, provenance) for each file of each tree or blob a ref points at directly."""
    for line in git.run_git(["for-each-ref", REF_FORMAT], repo).stdout.splitlines():
        fields = [os.fsdecode(field) for field in line.split(b"\0")]
        if len(fields) != 8:
            continue
        ref_object, kind, peeled, peeled_kind, ref, tagger, email, date = fields
        target, target_kind = (peeled, peeled_kind) if kind == "tag" else (ref_object, kind)
        provenance = Provenance(ref_object, tagger, email.strip("<>"), date)
        if target_kind == "blob":
            yield target, ref, provenance
        elif target_kind == "tree":
            for blob, path in _tree_files(repo, target):
                yield blob, path, provenance


def _tree_files(repo: Path, tree: str) -> Iterator[tuple[str, str]]:
    """(blob id, path) of each regular file in `tree`, recursively."""
    output = git.run_git(["ls-tree", "-r", "-z", "--full-tree", tree], repo).stdout
    for entry in output.split(b"\0"):
        meta, tab, path = entry.partition(b"\t")
        mode, _, rest = meta.partition(b" ")
        if tab and mode in SCANNED_MODES:
            yield rest.split(b" ")[1].decode(), os.fsdecode(path)

"""Commit and annotated-tag messages: text that history holds besides blobs.

A token pasted into a commit message (`fix: rotate key AKIA...`) or a release note in an
annotated tag is pushed and cloned like any file, and `keystow purge` rewrites both
(`--replace-message`), so the history and range scans read them too. Each message is scanned as
a text of its own with a provenance path, `<commit message>` or `<tag message NAME>`, attributed
to its commit (author) or its tag object (tagger). The object id stands where a blob id would:
commit and tag ids never equal a blob id, and a message never changes under its id, so the
blob cache can hold its outcome too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from keystow import git
from keystow.findings import Provenance

COMMIT_MESSAGE = "<commit message>"
LOG_FORMAT = "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%B"
TAG_FORMAT = "--format=%(objectname) %(objecttype) %(*objectname) %(refname)"


def tag_message_path(name: str) -> str:
    return f"<tag message {name}>"


def iter_commit_messages(repo: Path, revisions: list[str]) -> Iterator[tuple[str, str, Provenance, bytes]]:
    """(commit id, path, provenance, message) for each commit `git log REVISIONS` lists."""
    rest = b""
    args = ["log", "-z", "--no-color", "--no-mailmap", LOG_FORMAT, *revisions, "--"]
    for chunk in git.stream_git(args, repo):
        records = (rest + chunk).split(b"\0")
        rest = records.pop()
        for record in records:
            yield from _commit_record(record)
    if rest:
        yield from _commit_record(rest)


def _commit_record(record: bytes) -> Iterator[tuple[str, str, Provenance, bytes]]:
    fields = record.split(b"\x1f", 4)
    if len(fields) == 5:
        commit, name, email, date, message = fields
        provenance = Provenance(commit.decode(), name.decode("utf-8", "replace"),
                                email.decode("utf-8", "replace"), date.decode().strip())
        yield provenance.commit, COMMIT_MESSAGE, provenance, message


def iter_tag_messages(repo: Path, commits: set[str] | None = None) -> Iterator[tuple[str, str, Provenance, bytes]]:
    """(tag object id, path, provenance, message) for each annotated tag under refs/tags; with
    `commits`, only the tags that point at one of those commits."""
    tags = []
    for line in git.run_git(["for-each-ref", TAG_FORMAT, "refs/tags"], repo).stdout.splitlines():
        parts = line.split(b" ", 3)
        if len(parts) == 4 and parts[1] == b"tag" and (commits is None or parts[2].decode() in commits):
            tags.append((parts[0].decode(), os.fsdecode(parts[3]).removeprefix("refs/tags/")))
    if not tags:
        return
    answers = git.CatFile(repo, 1 << 20).read([tag for tag, _ in tags])
    for (tag, name), (_, data, problem) in zip(tags, answers, strict=True):
        if problem is None and data is not None:
            headers, _, message = data.partition(b"\n\n")
            yield tag, tag_message_path(name), _tagger(tag, headers), message


def _tagger(tag: str, headers: bytes) -> Provenance:
    """The tagger line `tagger Name <email> 1700000000 +0000` as a provenance."""
    for line in headers.split(b"\n"):
        if line.startswith(b"tagger "):
            who, _, when = line[len(b"tagger "):].decode("utf-8", "replace").rpartition("> ")
            name, _, email = who.partition(" <")
            return Provenance(tag, name, email, when)
    return Provenance(tag, "", "", "")

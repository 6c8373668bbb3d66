"""What every reference writer sees and returns.

A writer gets one file's text and the secret sites in it, each already assigned its store target
and environment-variable name, and returns `Edit`s (character spans of the original text and their
new text), the sites it leaves to a human (with the reason), and any files it generates beside
the edited one. Writers never see secret values: a site is a span, and the span is the secret.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field, fields
from typing import Any, Callable

from keystow.migrate.stores import StoreTarget

# A manual reason starting with this is manual on purpose (a Terraform state file): the plan
# counts it apart from what keystow could not do, with the remedy in the reason.
BY_DESIGN = "by design: "


@dataclass(frozen=True)
class Site:
    """One occurrence of a secret: the characters [start, end) of the file's text. With an
    `encoding` ("base64": a Kubernetes Secret's `data:` value) they are the secret's encoded
    form, not the secret itself."""

    path: str
    line: int
    start: int
    end: int
    item_id: str
    variable: str
    target: StoreTarget | None = None
    env_var: str = ""
    encoding: str = ""


class BoundSite(Site):
    """A site assigned its store target: the plan binds every site before a writer sees it, so
    writers take this type and `target` is never None."""

    target: StoreTarget

    @classmethod
    def bind(cls, site: Site, target: StoreTarget, **changes: Any) -> BoundSite:
        values = {f.name: getattr(site, f.name) for f in fields(site)}
        return cls(**{**values, **changes, "target": target})


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    new: str


@dataclass(frozen=True)
class GeneratedFile:
    """A file written beside the edited one; `render` maps its current text (or None) to the new."""

    path: str
    render: Callable[[str | None], str]


@dataclass
class FileChange:
    path: str
    kind: str
    resolves: str  # "deploy" | "runtime" | "manual"
    note: str = ""
    edits: list[Edit] = field(default_factory=list)
    rewritten: list[Site] = field(default_factory=list)
    manual: list[tuple[Site, str]] = field(default_factory=list)
    generated: list[GeneratedFile] = field(default_factory=list)
    manifest: dict[str, str] = field(default_factory=dict)  # env var (or "file:PATH") → store reference
    delete: bool = False  # the file itself is the secret: apply deletes it (secretfile.py)

    def skip(self, site: Site, reason: str) -> None:
        self.manual.append((site, reason))

    def replace(self, site: Site, start: int, end: int, new: str) -> None:
        self.edits.append(Edit(start, end, new))
        self.rewritten.append(site)


@dataclass(frozen=True)
class FileContext:
    path: str
    text: str
    sites: tuple[BoundSite, ...]
    arn: Callable[[StoreTarget], str] = lambda target: target.name
    binary: bool = False  # a keystore: `text` is the file's bytes in base64 (secretfile.py)


def encoded(value: str, encoding: str) -> str:
    """The characters a site with this `encoding` holds for `value` ("": the value itself)."""
    if encoding == "base64":
        return base64.b64encode(value.encode()).decode()
    return value


def placeholder(target: StoreTarget) -> str:
    """What a document shows instead of a value: `<from SSM: /app/db/password>`."""
    store = "SSM" if target.store == "ssm" else "Secrets Manager"
    key = f"#{target.key}" if target.key else ""
    return f"<from {store}: {target.name}{key}>"


def line_bounds(text: str, offset: int) -> tuple[int, int]:
    """[start, end) of the line holding offset, without its line ending."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    if end > start and text[end - 1] == "\r":
        end -= 1
    return start, end


def enclosing_quotes(text: str, site: Site, quotes: str = "\"'`") -> tuple[int, int, str] | None:
    """(open, close, quote char) of the one-line string literal holding the site, if any."""
    start, end = line_bounds(text, site.start)
    for quote in quotes:
        before = text.rfind(quote, start, site.start)
        after = text.find(quote, site.end, end)
        if before >= 0 and after >= 0 and quote not in text[before + 1:site.start]:
            if text[before - 1:before] != "\\" or before == start:
                return before, after, quote
    return None


def whole_literal(text: str, site: Site, quotes: str = "\"'`") -> tuple[int, int, str] | None:
    """The quoted literal around the site when the secret is all of it."""
    found = enclosing_quotes(text, site, quotes)
    if found and found[0] == site.start - 1 and found[1] == site.end:
        return found
    return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_") or "secret"


def indentation(text: str, offset: int) -> str:
    start, _ = line_bounds(text, offset)
    line = text[start:]
    return line[: len(line) - len(line.lstrip(" \t"))]


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def interpolate(ctx: FileContext, change: FileChange, template: str,
                multi_line: str = "multi-line value") -> FileChange:
    """Each single-line site replaced by `template` with {var} the site's environment variable,
    which the manifest maps to its store entry (for files whose tool expands variables); a site
    spanning lines is skipped with the reason `multi_line`."""
    for site in ctx.sites:
        if "\n" in ctx.text[site.start:site.end]:
            change.skip(site, multi_line)
            continue
        change.replace(site, site.start, site.end, template.format(var=site.env_var))
        change.manifest[site.env_var] = site.target.reference()
    return change


def remove_lines(ctx: FileContext, change: FileChange, env_var: Callable[[BoundSite, str], str | None]) -> FileChange:
    """Each site's whole line deleted; `env_var(site, line)` names the variable the tool reads
    instead (None: the site stays manual)."""
    for site in ctx.sites:
        start, end = line_bounds(ctx.text, site.start)
        name = env_var(site, ctx.text[start:end])
        if name is None or site.end > end:
            change.skip(site, "not a line this file type's tool can read from the environment")
            continue
        after = end + (2 if ctx.text[end:end + 2] == "\r\n" else 1 if ctx.text[end:end + 1] == "\n" else 0)
        change.replace(site, start, after, "")
        change.manifest[name] = site.target.reference()
    return change

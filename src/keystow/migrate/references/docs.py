"""Documentation (Markdown, reStructuredText, AsciiDoc): the value becomes a placeholder naming the
reference, `<from SSM: /app/db/password>`, never a value. Nothing resolves it: a reader learns
where the secret lives and fetches it with their own access."""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext, placeholder

KIND = "docs"
RESOLVES = "docs"
NOTE = "documentation: the value is replaced by a placeholder naming where it now lives"
EXTENSIONS = (".md", ".markdown", ".mdx", ".rst", ".adoc", ".asciidoc")


def detect(path: str) -> bool:
    return path.lower().endswith(EXTENSIONS)


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    for site in ctx.sites:
        change.replace(site, site.start, site.end, placeholder(site.target))
    return change

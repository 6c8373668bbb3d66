"""Application source: the literal becomes the language's environment-variable read.

`keystow run -- CMD` (or the deployment's own secret injection) puts the value in the
environment; the `.keystow-refs.toml` manifest says where each variable comes from. Only string
literals on one line are rewritten; anything else (f-strings, triple quotes, bytes) is manual.
"""

from __future__ import annotations

import ast
import re

from keystow.migrate.references.base import (
    BoundSite,
    Edit,
    FileChange,
    FileContext,
    enclosing_quotes,
    line_bounds,
)

KIND = "source"
RESOLVES = "runtime"
NOTE = "read from the environment at run time: start the app under `keystow run` or inject the variable"
EXTENSIONS = {".py": "python", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "js", ".ts": "js",
              ".tsx": "js", ".go": "go", ".java": "java", ".kt": "java"}
ENV_READ = {"python": 'os.environ["{v}"]', "js": "process.env.{v}", "go": 'os.Getenv("{v}")',
            "java": 'System.getenv("{v}")'}
PREFIXED = re.compile(r"[A-Za-z]$")


def language(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    return EXTENSIONS.get("." + name.rsplit(".", 1)[-1]) if "." in name else None


def plan(ctx: FileContext) -> FileChange:
    lang = language(ctx.path)
    assert lang is not None  # writer_for picks this writer only for a language it knows
    change = FileChange(ctx.path, f"{KIND}:{lang}", RESOLVES, NOTE)
    for site in ctx.sites:
        _rewrite_site(ctx.text, site, lang, change)
    if change.edits and lang == "python":
        _ensure_python_os_import(ctx, change)
    if change.edits and lang == "go":
        _ensure_go_os_import(ctx.text, change)
    return change


def _rewrite_site(text: str, site: BoundSite, lang: str, change: FileChange) -> None:
    found = enclosing_quotes(text, site)
    if found is None:
        return change.skip(site, "not inside a one-line string literal")
    open_at, close_at, quote = found
    if (
        PREFIXED.search(text[:open_at])
        or text[open_at - 1 : open_at] == quote
        or text[close_at + 1 : close_at + 2] == quote
    ):
        return change.skip(site, "prefixed, raw or triple-quoted string literal")
    if lang == "go" and _go_constant(text, site, change):
        return None
    read = ENV_READ[lang].format(v=site.env_var)
    if open_at == site.start - 1 and close_at == site.end:
        change.replace(site, open_at, close_at + 1, read)
    elif quote == "`" and lang == "js":
        change.replace(site, site.start, site.end, "${" + read + "}")
    else:
        change.replace(site, site.start, site.end, f"{quote} + {read} + {quote}")
    change.manifest[site.env_var] = site.target.reference()


def _go_constant(text: str, site: BoundSite, change: FileChange) -> bool:
    """A Go constant cannot hold a function call: `const k = "..."` becomes `var k = ...`; a
    value inside a `const (...)` block is manual. True when the site was handled here."""
    start, _ = line_bounds(text, site.start)
    block = text.rfind("const (", 0, start)
    if block >= 0 and ")" not in text[block + len("const ("):start]:
        change.skip(site, "inside a Go const block")
        return True
    if not text[start:site.start].lstrip().startswith("const "):
        return False
    keyword = text.index("const", start)
    change.edits.append(Edit(keyword, keyword + len("const"), "var"))
    return False


def _ensure_python_os_import(ctx: FileContext, change: FileChange) -> None:
    try:
        module = ast.parse(ctx.text)
    except SyntaxError:
        change.edits.clear()
        for site in change.rewritten:
            change.skip(site, "file does not parse as Python")
        change.rewritten.clear()
        return
    first_use = min(edit.start for edit in change.edits)
    if _binds_os_before(module, ctx.text, first_use):
        return
    body = module.body
    index = 0
    while index < len(body) and _is_preamble(body[index], index):
        index += 1
    offset = _offset_of_line(ctx.text, body[index].lineno) if index < len(body) else len(ctx.text)
    newline = "\r\n" if "\r\n" in ctx.text else "\n"
    prefix = "" if offset == 0 or ctx.text[offset - 1] == "\n" else newline
    change.edits.append(_insert(offset, prefix + "import os" + newline))


def _binds_os_before(module: ast.Module, text: str, offset: int) -> bool:
    """A real top-level `import os` (or `import os.path`) above the first rewritten site. The
    parser, not a regex: `import os` in a docstring, `import os as o` or an import inside a
    function binds nothing the module-level `os.environ` can use."""
    for node in module.body:
        if isinstance(node, ast.Import) and _offset_of_line(text, node.lineno) < offset:
            if any(alias.asname is None and alias.name.split(".")[0] == "os" for alias in node.names):
                return True
    return False


def _is_preamble(node: ast.stmt, index: int) -> bool:
    docstring = index == 0 and isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant)
    future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
    return docstring or future


def _ensure_go_os_import(text: str, change: FileChange) -> None:
    if re.search(r'^\s*(?:import\s+)?"os"\s*$', text, re.M):
        return
    block = re.search(r"^import\s*\(\s*?\n", text, re.M)
    if block:
        change.edits.append(_insert(block.end(), '\t"os"\n'))
        return
    package = re.search(r"^package\s+\w+[^\n]*\n", text, re.M)
    if package is None:
        return
    change.edits.append(_insert(package.end(), '\nimport "os"\n'))


def _insert(offset: int, text: str) -> Edit:
    return Edit(offset, offset, text)


def _offset_of_line(text: str, lineno: int) -> int:
    offset = 0
    for _ in range(lineno - 1):
        offset = text.index("\n", offset) + 1
    return offset


def line_text(text: str, offset: int) -> str:
    start, end = line_bounds(text, offset)
    return text[start:end]

"""Application source: the literal becomes the language's environment-variable read.

`keystow run -- CMD` (or the deployment's own secret injection) puts the value in the
environment; the `.keystow-refs.toml` manifest says where each variable comes from. Only string
literals on one line are rewritten; anything else (f-strings, triple quotes, bytes, C# verbatim
strings) is manual, and so is a value in a declaration that must be a compile-time constant
where the language has no run-time equivalent (C# and PHP `const`, Rust `const`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from keystow.migrate.references.base import (
    BoundSite,
    Edit,
    FileChange,
    FileContext,
    enclosing_quotes,
    line_bounds,
    newline_of,
)

KIND = "source"
RESOLVES = "runtime"
NOTE = "read from the environment at run time: start the app under `keystow run` or inject the variable"
BOM = "\ufeff"


@dataclass(frozen=True)
class Language:
    """How one language reads an environment variable, and joins it to the rest of a literal.

    `concat` is the string-concatenation operator (None: a partial literal is manual);
    `interpolate` the form inside a double-quoted literal that expands expressions;
    `constants` the keyword of a declaration that cannot hold a call (and what replaces it, if
    anything can)."""

    read: str
    concat: str | None = "+"
    interpolate: str = ""
    constant: str = ""
    constant_fix: str = ""


LANGUAGES = {
    "python": Language('os.environ["{v}"]'),
    "js": Language("process.env.{v}"),
    "go": Language('os.Getenv("{v}")', constant="const", constant_fix="var"),
    "java": Language('System.getenv("{v}")'),
    "kotlin": Language('System.getenv("{v}")', constant="const val", constant_fix="val"),
    "csharp": Language('System.Environment.GetEnvironmentVariable("{v}")', constant="const"),
    "php": Language("getenv('{v}')", concat=".", constant="const"),
    "ruby": Language('ENV.fetch("{v}")'),
    # `String::leak` gives the `&'static str` a literal was, so the code around it still compiles.
    "rust": Language('std::env::var("{v}").expect("{v} is not set").leak()', concat=None, constant="const"),
    "powershell": Language("$env:{v}", concat=None, interpolate="$($env:{v})"),
}
EXTENSIONS = {".py": "python", ".pyw": "python", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "js",
              ".ts": "js", ".tsx": "js", ".mts": "js", ".cts": "js", ".go": "go", ".java": "java",
              ".kt": "kotlin", ".kts": "kotlin", ".cs": "csharp", ".php": "php", ".rb": "ruby", ".rs": "rust",
              ".ps1": "powershell", ".psm1": "powershell"}
# A letter, `@` (C# verbatim) or `$` (C# interpolated) before a quote: a prefixed literal.
PREFIXED = re.compile(r"[A-Za-z@$]$")


def language(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    return EXTENSIONS.get("." + name.rsplit(".", 1)[-1].lower()) if "." in name else None


def plan(ctx: FileContext) -> FileChange:
    lang = language(ctx.path)
    assert lang is not None  # writer_for picks this writer only for a language it knows
    change = FileChange(ctx.path, f"{KIND}:{lang}", RESOLVES, NOTE)
    for site in ctx.sites:
        rewrite_site(ctx.text, site, lang, change)
    if change.edits and lang == "python":
        _ensure_python_os_import(ctx, change)
    if change.edits and lang == "go":
        _ensure_go_os_import(ctx.text, change)
    return change


def rewrite_site(text: str, site: BoundSite, lang: str, change: FileChange, read: str | None = None,
                 whole_only: bool = False) -> None:
    """The literal becomes `read` (default: the language's environment read, listed in the
    manifest); `whole_only`: a value that is only part of a literal is manual."""
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
    syntax = LANGUAGES[lang]
    if syntax.constant and _constant(text, site, syntax, change):
        return None
    from_environment = read is None
    read = syntax.read.format(v=site.env_var) if read is None else read
    whole = open_at == site.start - 1 and close_at == site.end
    if whole_only and not whole:
        return change.skip(site, "part of a string literal: this reference cannot be joined to text here")
    if whole:
        change.replace(site, open_at, close_at + 1, read)
    elif quote == "`" and lang == "js":
        change.replace(site, site.start, site.end, "${" + read + "}")
    elif syntax.interpolate and quote == '"' and from_environment:
        change.replace(site, site.start, site.end, syntax.interpolate.format(v=site.env_var))
    elif syntax.concat:
        change.replace(site, site.start, site.end, f"{quote} {syntax.concat} {read} {syntax.concat} {quote}")
    else:
        return change.skip(site, "part of a string literal this language cannot join to a variable here")
    if from_environment:
        change.manifest[site.env_var] = site.target.reference()
    return None


def _constant(text: str, site: BoundSite, syntax: Language, change: FileChange) -> bool:
    """A constant cannot hold a call: `const k = "..."` becomes `var k = ...` where the language
    has such a form (Go, Kotlin), else the site is manual. True when the site was handled here."""
    start, _ = line_bounds(text, site.start)
    block = text.rfind(syntax.constant + " (", 0, start)
    if block >= 0 and ")" not in text[block + len(syntax.constant) + 2:start]:
        change.skip(site, f"inside a {syntax.constant} block")
        return True
    match = re.match(r"[ \t]*(?:(?:pub|public|private|protected|internal|static|final)\s+)*", text[start:site.start])
    keyword_at = start + (match.end() if match else 0)
    if not re.match(re.escape(syntax.constant) + r"\s", text[keyword_at:site.start]):
        return False
    if not syntax.constant_fix:
        change.skip(site, f"a {syntax.constant} declaration cannot hold a run-time value")
        return True
    change.edits.append(Edit(keyword_at, keyword_at + len(syntax.constant), syntax.constant_fix))
    return False


def _ensure_python_os_import(ctx: FileContext, change: FileChange) -> None:
    # Python reads a UTF-8 BOM as an encoding mark; `ast.parse` of a str does not, so drop it
    # (line numbers stay the same) and never insert in front of it.
    start = len(BOM) if ctx.text.startswith(BOM) else 0
    try:
        module = ast.parse(ctx.text[start:])
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
    offset = max(offset, start)
    newline = "\r\n" if "\r\n" in ctx.text else "\n"
    prefix = "" if offset == start or ctx.text[offset - 1] == "\n" else newline
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


GO_SINGLE_IMPORT = re.compile(r'^import[ \t]+(?P<spec>(?:[\w.]+[ \t]+)?"[^"\n]+")[ \t]*(?://[^\n]*)?$', re.M)
GO_IMPORT_BLOCK = re.compile(r"^import[ \t]*\([ \t]*\r?\n(?P<body>.*?)^\)", re.M | re.S)


def _ensure_go_os_import(text: str, change: FileChange) -> None:
    """`"os"` joins the file's first import declaration (gofmt order within its first group);
    a file with none gets `import "os"` after the package clause. Never a second declaration."""
    if re.search(r'^\s*(?:import\s+)?"os"\s*$', text, re.M):
        return
    newline = newline_of(text)
    declarations = sorted([*GO_IMPORT_BLOCK.finditer(text), *GO_SINGLE_IMPORT.finditer(text)], key=lambda m: m.start())
    if not declarations:
        package = re.search(r"^package\s+\w+[^\n]*\n", text, re.M)
        if package is not None:
            change.edits.append(_insert(package.end(), f'{newline}import "os"{newline}'))
        return
    first = declarations[0]
    if "spec" in first.groupdict():  # `import "fmt"` becomes a block holding both
        specs = sorted([first.group("spec"), '"os"'], key=_go_import_path)
        body = "".join(f"\t{spec}{newline}" for spec in specs)
        change.edits.append(Edit(first.start(), first.end("spec"), f"import ({newline}{body})"))
        return
    change.edits.append(_insert(_go_os_position(first), f'\t"os"{newline}'))


def _go_import_path(spec: str) -> str:
    return spec[spec.index('"'):]


def _go_os_position(block: re.Match) -> int:
    """Where `"os"` goes in an import block: before the first path after it in the first group."""
    offset = block.start("body")
    for line in block.group("body").splitlines(keepends=True):
        stripped = line.strip()
        if not stripped:
            break
        if '"' in stripped and _go_import_path(stripped).split("//")[0].strip() > '"os"':
            break
        offset += len(line)
    return offset


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

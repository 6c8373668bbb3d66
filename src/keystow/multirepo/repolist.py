"""The repository list: one local path or clone URL per line; blank lines and `#` comments skipped.

Relative paths are relative to the list file's directory (to the current directory for stdin), so
a list travels with the checkouts it names. A URL is what git treats as one: `scheme://...` or the
scp-like `[user@]host:path`. URLs may carry a token in their user part; reports show them with
that part replaced by `***`.

The secret part may be a reference instead, `https://x-access-token:${GITHUB_TOKEN}@host/r.git`:
it is resolved from the environment of the process that runs the task (a Dask worker's own
environment), so the task itself carries no credential. With --dask a literal one is refused.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

from keystow.errors import FatalError
from keystow.multirepo.model import RepoSpec

SCHEME_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
SCP_URL = re.compile(r"^(?:[^@/]+@)?[^/:]{2,}:")  # host part of 2+ chars: `C:\repo` is a path
USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^@/\s'\"]*@")
INLINE_COMMENT = re.compile(r"\s+#")  # `path  # note`; a `#` inside a name stays
HTTP_USERINFO = re.compile(r"^(https?://)([^@/\s]*)@", re.IGNORECASE)
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
STDIN = "-"


def read_repo_list(list_file: str) -> list[RepoSpec]:
    if list_file == STDIN:
        return parse_repo_list(sys.stdin.read(), Path.cwd())
    path = Path(list_file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FatalError(f"{list_file}: cannot read repository list: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FatalError(f"{list_file}: repository list is not UTF-8 text") from None
    return parse_repo_list(text, path.parent)


def parse_repo_list(text: str, base: Path) -> list[RepoSpec]:
    """Specs in list order; a repeated entry is scanned once."""
    specs: list[RepoSpec] = []
    seen: set[str] = set()
    for raw in text.splitlines():
        entry = INLINE_COMMENT.split(raw.strip(), maxsplit=1)[0].strip()
        if not entry or entry.startswith("#") or entry in seen:
            continue
        seen.add(entry)
        specs.append(make_spec(len(specs), entry, base))
    if not specs:
        raise FatalError("the repository list names no repositories")
    return specs


def make_spec(index: int, entry: str, base: Path) -> RepoSpec:
    if is_url(entry):
        return RepoSpec(index, entry, True, anonymize_url(entry))
    absolute = os.path.normpath(base.absolute() / os.path.expanduser(entry))
    return RepoSpec(index, absolute, False, entry)


def is_url(entry: str) -> bool:
    return bool(SCHEME_URL.match(entry) or (SCP_URL.match(entry) and not entry.startswith(("/", "."))))


def anonymize_url(text: str) -> str:
    """The URL(s) in `text` without their user part (a token often sits there)."""
    return USERINFO.sub(r"\1***@", text)


def has_literal_credential(url: str) -> bool:
    """An http(s) URL whose user part holds a secret written out, not a `${NAME}` reference
    (`user:SECRET@`, or `TOKEN@` with no password)."""
    match = HTTP_USERINFO.match(url)
    if not match:
        return False
    user, has_password, password = match.group(2).partition(":")
    secret = password if has_password else user
    return bool(secret) and not REFERENCE.fullmatch(secret)


def resolve_references(url: str, environ: dict[str, str]) -> str:
    """The URL with each `${NAME}` in its user part replaced by that variable (URL-quoted)."""
    match = HTTP_USERINFO.match(url)
    if not match or "${" not in match.group(2):
        return url

    def value(reference: re.Match) -> str:
        name = reference.group(1)
        if name not in environ:
            raise FatalError(f"the clone URL names ${{{name}}}, which is not set in the environment of the "
                             "process running the scan (on a Dask cluster: each worker's environment)")
        return quote(environ[name], safe="")

    return match.group(1) + REFERENCE.sub(value, match.group(2)) + "@" + url[match.end():]

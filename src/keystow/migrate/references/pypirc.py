"""`.pypirc`: the `password =` line is removed; twine reads TWINE_PASSWORD from the environment
(`keystow run -- twine upload dist/*`), and the username stays in the file. Twine reads one
password, so a second one in the same file stays manual."""

from __future__ import annotations

import re

from keystow.migrate.references.base import BoundSite, FileChange, FileContext, remove_lines

KIND = "pypirc"
RESOLVES = "runtime"
NOTE = "twine reads TWINE_PASSWORD: run `keystow run -- twine upload dist/*`"
PASSWORD_LINE = re.compile(r"^\s*password\s*[=:]", re.I)


def detect(path: str) -> bool:
    return path.rsplit("/", 1)[-1] == ".pypirc"


def plan(ctx: FileContext) -> FileChange:
    taken: set[str] = set()

    def env_var(site: BoundSite, line: str) -> str | None:
        if not PASSWORD_LINE.match(line) or (taken and site.item_id not in taken):
            return None
        taken.add(site.item_id)
        return "TWINE_PASSWORD"

    return remove_lines(ctx, FileChange(ctx.path, KIND, RESOLVES, NOTE), env_var)

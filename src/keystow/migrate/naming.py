"""Names for migrated secrets: derived from the repository, the file path and the variable name.

`/myapp/config/settings/db_password` for `config/settings.py: DB_PASSWORD = "..."`. Names are a
pure function of those three parts, so re-running a migration yields the same names; two different
secrets that would get the same name are told apart by a short hash of their value's id, which is
stable too. A reviewer may override any name in the plan file.
"""

from __future__ import annotations

import re

SEGMENT_UNSAFE = re.compile(r"[^a-z0-9_.-]+")
NAME = r"""["']?(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)["']?"""
# What directly precedes a value: `NAME = `, `NAME: `, `"NAME": `, `NAME := `, `NAME => `.
BEFORE_VALUE = re.compile(NAME + r"""\s*(?::=|=>|=|:)\s*[\[({]?\s*$""")
# A line that starts with an assignment: `export NAME=…`, `ENV NAME=…`, `- NAME=…`, `  name: …`.
LINE_START = re.compile(r"""^\s*(?:export\s+|ENV\s+|ARG\s+|-\s+)?""" + NAME + r"""\s*(?::=|=|:)""", re.I)
ECS_NAME = re.compile(r""""name"\s*:\s*"(?P<name>[A-Za-z_][A-Za-z0-9_]*)"[^{}]*$""")
URI_PASSWORD = re.compile(r"://[^/\s:@]*:$")
# `value` says nothing: in `{"name": "API_TOKEN", "value": "..."}` (ECS, CloudFormation) and
# `- name: API_TOKEN\n  value: ...` (Kubernetes env) the variable is the entry's `name`.
GENERIC_KEYS = {"value", "secretvalue", "val"}
SIBLING_NAME = re.compile(r"""["']?name["']?\s*[:=]\s*["']?(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)""", re.I)


def variable_name(text_before: str, fallback: str, dotted: bool = False) -> str:
    """The variable a secret is assigned to, from the text before it on its line.

    Inside a quoted literal the name is what precedes the opening quote, so the `app` of
    `"postgres://app:…"` is not taken for it; a URI's password gets `_password` appended.
    """
    # A JSON string holding code (a notebook cell) escapes its quotes: `"TOKEN = \"` reads `"TOKEN = "`.
    line = text_before.rsplit("\n", 1)[-1].replace('\\"', '"')
    quote = max(line.rfind(q) for q in "\"'`")
    in_uri = URI_PASSWORD.search(line) is not None
    nearest, first = BEFORE_VALUE.search(line), LINE_START.match(line)
    found = (ECS_NAME.search(line) or (BEFORE_VALUE.search(line[:quote]) if quote >= 0 else None)
             or (first or nearest if in_uri else nearest or first))
    if not found:
        return fallback
    # `settings.API_KEY = ` is API_KEY; a dotted properties key is all of it (spring.datasource.password)
    name = found.group("name") if dotted else found.group("name").split(".")[-1]
    if name.lower() in GENERIC_KEYS:
        name = _entry_name(text_before) or name
    return name + "_password" if in_uri and not name.lower().endswith("password") else name


def _entry_name(text_before: str) -> str | None:
    """The `name` of the JSON object or YAML sequence item the value belongs to."""
    scope = text_before[max(text_before.rfind("{"), text_before.rfind("- ")):]
    names = list(SIBLING_NAME.finditer(scope))
    return names[-1].group("name") if names else None


def env_var_name(variable: str) -> str:
    """DB_PASSWORD from dbPassword, db-password or db.password."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", variable)
    name = re.sub(r"[^A-Za-z0-9]+", "_", spaced).strip("_").upper()
    return name if name and not name[0].isdigit() else f"SECRET_{name}"


def segment(text: str) -> str:
    return SEGMENT_UNSAFE.sub("_", text.lower()).strip("_.-") or "x"


def path_segments(path: str) -> list[str]:
    """config/settings.py → ["config", "settings"]; .env → ["env"]; dotfiles lose their dot."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if parts:
        stem = parts[-1].lstrip(".")
        parts[-1] = stem.rsplit(".", 1)[0] if "." in stem else stem
    return [segment(p) for p in parts]


def base_name(prefix: str, path: str, variable: str) -> str:
    """/prefix/path/segments/variable (SSM style, leading slash)."""
    snake = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", variable)  # MasterUserPassword → master_user_password
    parts = [segment(p) for p in prefix.split("/") if p] + path_segments(path) + [segment(snake)]
    return "/" + "/".join(parts)


def for_store(name: str, store: str) -> str:
    """Secrets Manager names carry no leading slash (an ARN-friendly convention)."""
    return name.lstrip("/") if store == "secretsmanager" else name


def assign_unique(wanted: dict[str, str]) -> dict[str, str]:
    """item id → wanted name, made collision-free: the first id (sorted) keeps the name, others
    get a suffix from their own id so the result does not depend on what else is migrated."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for item_id in sorted(wanted, key=lambda i: (wanted[i], i)):
        name = wanted[item_id]
        if name in taken:
            name = f"{name}_{item_id[:6]}"
        taken.add(name)
        names[item_id] = name
    return names

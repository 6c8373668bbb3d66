"""The migration's data: settings, the values found (members), the store entries they become
(items) and the plan holding them, with the form a value takes in the store (`payload`).

Plain data and the little logic that belongs to it; building a plan lives in plan.py, grouping
in grouping.py, locating sites in sites.py, and all three import this module, not each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import unquote, urlsplit

from keystow.migrate.references.base import FileChange, Site
from keystow.migrate.stores import StoreTarget

ENGINES = {"postgres": ("postgres", 5432), "postgresql": ("postgres", 5432), "mysql": ("mysql", 3306),
           "mariadb": ("mariadb", 3306), "redis": ("redis", 6379), "rediss": ("redis", 6379),
           "mongodb": ("mongo", 27017), "sqlserver": ("sqlserver", 1433), "oracle": ("oracle", 1521)}


@dataclass(frozen=True)
class Settings:
    store: str
    prefix: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    kms_key_id: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    allow_advanced_tier: bool = False
    overwrite: bool = False
    rotation_lambda: str | None = None
    rotate_days: int | None = None
    writes_per_second: float | None = None
    rotate: bool = False  # replace each leaked AWS key pair with a new key (migrate/rotation.py)


def settings_from_dict(data: dict) -> Settings:
    """Settings as recorded in a plan or journal (unknown keys from other versions ignored)."""
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in data.items() if k in known}
    values["tags"] = tuple(tuple(t) for t in values.get("tags", ()))
    return Settings(**values)


@dataclass
class Member:
    """One found value; `value` is what its reference resolves to (the whole secret, or the
    password part of a URI, at `span` within the secret)."""

    value_id: str
    rule_id: str
    redacted: str
    secret: str = field(repr=False)
    key: str | None = None
    span: tuple[int, int] | None = None
    variable: str = ""
    env_var: str = ""
    uri: str | None = field(default=None, repr=False)  # the database URI around a password

    @property
    def value(self) -> str:
        return self.secret[self.span[0]:self.span[1]] if self.span else self.secret


@dataclass
class Item:
    """One parameter or secret in the store, holding one value or a group of related ones."""

    item_id: str
    store: str
    name: str
    members: list[Member]
    group: str | None = None
    tier: str = ""
    notes: list[str] = field(default_factory=list)
    manual: str | None = None

    def target(self, member: Member) -> StoreTarget:
        return StoreTarget(self.store, self.name, member.key)

    def member_ids(self) -> set[str]:
        return {m.value_id for m in self.members}

    def member(self, vid: str) -> Member:
        return next(m for m in self.members if m.value_id == vid)

    @property
    def group_variable(self) -> str | None:
        return {"aws-key-pair": "aws_credentials"}.get(self.group or "", None) or (
            self.members[0].variable if self.group else None)

    def payload(self) -> str:
        return payload(self.members, self.group)[0]

    def mapping(self) -> dict | None:
        return payload(self.members, self.group)[1]


@dataclass
class Plan:
    root: Path
    settings: Settings
    items: list[Item]
    sites: list[Site]
    texts: dict[str, str]
    file_hashes: dict[str, str]
    unreadable: list[tuple[str, int, str]]  # (path, line, reason)
    values: dict[str, str] = field(repr=False, default_factory=dict)
    changes: list[FileChange] = field(default_factory=list)
    expected_duration: float = 0.0
    # Binary secret files (keystores): their text in `texts` is their bytes in base64, which is
    # also the value stored and what `keystow run --file` decodes (a `base64:` reference).
    binary: set[str] = field(default_factory=set)

    def item_of(self, vid: str) -> Item:
        return next(i for i in self.items if any(m.value_id == vid for m in i.members))


def database_parts(uri: str) -> dict[str, str] | None:
    """The rotation-ready structure of a database URI with a plain (not %-encoded) password."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return None
    engine = ENGINES.get(parts.scheme.lower().split("+", 1)[0])
    if engine is None or not parts.password or unquote(parts.password) != parts.password or not parts.hostname:
        return None
    if ":" + parts.password + "@" not in uri:
        return None
    return {"engine": engine[0], "host": parts.hostname, "port": str(port or engine[1]),
            "username": parts.username or "", "password": parts.password, "dbname": parts.path.lstrip("/")}


def payload(members: list[Member], group: str | None) -> tuple[str, dict | None]:
    """(the value as stored, the JSON mapping for a grouped secret)."""
    mapping: dict[str, str] | None
    if group == "aws-key-pair":
        mapping = {m.key or "": m.value for m in members}
    elif group == "database":
        mapping = database_parts(members[0].uri or members[0].secret)
    else:
        return members[0].value, None
    return json.dumps(mapping, sort_keys=True), mapping

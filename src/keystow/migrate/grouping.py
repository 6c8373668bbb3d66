"""Which found values share one store entry.

In Secrets Manager related values are one JSON secret, in the structure AWS's rotation functions
expect: an access key ID with its secret key as {"aws_access_key_id", "aws_secret_access_key"};
a database URI as {"engine", "host", "port", "username", "password", "dbname"} (the URI's
password is what moves; user and host stay readable in the source). In Parameter Store every
value is its own SecureString.
"""

from __future__ import annotations

import hashlib
import re

from keystow.migrate.model import Item, Member, database_parts
from keystow.migrate.references.base import Site

URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'`<>]+")
KEY_ID_RULES = ("aws-access-key-id",)
SECRET_KEY_RULES = ("aws-secret-access-key", "aws-credentials-csv")


def group_members(members: list[Member], sites: list[Site], store: str,
                  texts: dict[str, str] | None = None) -> list[Item]:
    first_site: dict[str, Site] = {}
    for site in sites:
        first_site.setdefault(site.item_id, site)
    for member in members:
        member.variable = _named_variable(member, sites) or first_site[member.value_id].variable
    items: list[Item] = []
    if store == "secretsmanager":
        items += _key_pairs(members, sites)
        items += _databases(members, first_site, texts or {})
    grouped = {m.value_id for item in items for m in item.members}
    items += [Item(m.value_id, store, "", [m]) for m in members if m.value_id not in grouped]
    return items


def _key_pairs(members: list[Member], sites: list[Site]) -> list[Item]:
    by_id = {m.value_id: m for m in members}
    used: set[str] = set()
    pairs = []
    for path in dict.fromkeys(s.path for s in sites):
        here = [by_id[s.item_id] for s in sites if s.path == path and s.item_id in by_id]
        ids = _unique(m for m in here if m.rule_id in KEY_ID_RULES and m.value_id not in used)
        keys = _unique(m for m in here if m.rule_id.startswith(SECRET_KEY_RULES) and m.value_id not in used)
        for key_id, secret_key in zip(ids, keys, strict=False):
            key_id.key, secret_key.key = "aws_access_key_id", "aws_secret_access_key"
            used.update((key_id.value_id, secret_key.value_id))
            pairs.append(Item(_group_id([key_id, secret_key]), "secretsmanager", "", [key_id, secret_key],
                              group="aws-key-pair"))
    return pairs


def _named_variable(member: Member, sites: list[Site]) -> str | None:
    """The first variable name found at any of the value's sites: a site with no name of its own
    (a notebook output, a log line) got the rule id, and must not name the value when another
    site assigns it to a variable."""
    fallback = member.rule_id.replace("-", "_")
    return next((s.variable for s in sites if s.item_id == member.value_id and s.variable != fallback), None)


def _unique(members) -> list[Member]:
    return list({m.value_id: m for m in members}.values())


def _databases(members: list[Member], first_site: dict[str, Site], texts: dict[str, str]) -> list[Item]:
    """A database URI (the finding) or a URI's password (the finding, the URI around it)."""
    items = []
    for member in members:
        if member.key is not None:
            continue
        parts = database_parts(member.secret)
        if parts is not None:
            start = member.secret.index(":" + parts["password"] + "@") + 1
            member.key, member.span = "password", (start, start + len(parts["password"]))
            member.variable = member.variable + "_password" if member.variable else "db_password"
        else:
            member.uri = _uri_around(texts.get(first_site[member.value_id].path, ""), first_site[member.value_id])
            parts = database_parts(member.uri) if member.uri else None
            if parts is None or parts["password"] != member.secret:
                continue
            member.key = "password"
        items.append(Item(member.value_id, "secretsmanager", "", [member], group="database"))
    return items


def _uri_around(text: str, site: Site) -> str | None:
    start = text.rfind("\n", 0, site.start) + 1
    end = text.find("\n", site.end)
    for match in URI.finditer(text, start, len(text) if end < 0 else end):
        if match.start() < site.start and site.end <= match.end():
            return match.group(0)
    return None


def _group_id(members: list[Member]) -> str:
    joined = "\0".join(sorted(m.value_id for m in members))
    return hashlib.sha256(joined.encode()).hexdigest()[:20]

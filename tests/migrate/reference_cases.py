"""Running one reference writer on a text, the way the planner does, without AWS."""

from __future__ import annotations

from keystow.migrate.references import plan_file
from keystow.migrate.references.base import FileContext, Site
from keystow.migrate.rewrite import apply_edits
from keystow.migrate.stores import StoreTarget


def site_for(path: str, text: str, secret: str, target: StoreTarget, env_var: str = "", variable: str = "x") -> Site:
    start = text.index(secret)
    return Site(path, text.count("\n", 0, start) + 1, start, start + len(secret), f"id-{secret[:6]}", variable,
                target, env_var)


def rewrite(path: str, text: str, secrets: dict[str, StoreTarget], env_vars: dict[str, str] | None = None,
            arn=None):
    """(new text, FileChange) after the writer for `path` rewrote each secret → target."""
    env_vars = env_vars or {}
    sites = tuple(site_for(path, text, s, t, env_vars.get(s, "")) for s, t in secrets.items())
    ctx = FileContext(path, text, sites, arn) if arn else FileContext(path, text, sites)
    change = plan_file(ctx)
    values = {site.item_id: text[site.start:site.end] for site in sites}
    new, _ = apply_edits(text, change.edits, values)
    return new, change


SSM = StoreTarget("ssm", "/app/db_password")
SM = StoreTarget("secretsmanager", "app/db")
SM_KEY = StoreTarget("secretsmanager", "app/db", "password")

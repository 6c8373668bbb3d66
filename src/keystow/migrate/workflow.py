"""Glue between the scanner, the plan and the stores, shared by plan, apply, resume and rollback."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from keystow.baseline import filter_result, scope_for
from keystow.config import load_config
from keystow.errors import FatalError
from keystow.findings import is_leak
from keystow.git import work_tree_root
from keystow.migrate.apply import Stores
from keystow.migrate.model import Plan, Settings, settings_from_dict
from keystow.migrate.plan import build_plan
from keystow.migrate.stores import StoreError, open_store
from keystow.pipeline.scanning import build_scanner, scan_paths


def root_of(path: Path) -> Path:
    """The work tree holding `path` (or the directory itself outside git)."""
    if not path.exists():
        raise FatalError(f"{path}: no such file or directory")
    root = work_tree_root(path.resolve())
    return (root or (path if path.is_dir() else path.parent)).resolve()


def open_stores(settings: Settings):
    def opener(kind: str):
        return open_store(kind, region=settings.region, endpoint_url=settings.endpoint_url,
                          kms_key_id=settings.kms_key_id, allow_advanced_tier=settings.allow_advanced_tier,
                          writes_per_second=settings.writes_per_second)
    return Stores(opener)


def check_aws_ready(settings: Settings) -> None:
    """Region and credentials present, before anything is written (StoreError, exit 2)."""
    # late: the session module needs botocore (the optional `aws` extra) only when it is used
    from keystow.migrate.stores.aws import AwsSession

    AwsSession(region=settings.region, endpoint_url=settings.endpoint_url).check_ready()


def find_secrets(root: Path, path: Path) -> list:
    """Findings (values in memory) in the work tree under `path`."""
    config = load_config(root)
    paths = (str(path.resolve()),)
    result = scan_paths(list(paths), config, build_scanner(config))
    scope = scope_for(paths, git_scan=False, configured=config.baseline)
    # accepted findings are not migrated, nor a provider's published documentation example
    return [finding for finding in filter_result(result, scope).findings if is_leak(finding)]


def make_plan(root: Path, path: Path, settings: Settings, names: dict[str, str] | None, stores,
              verify: bool = False) -> Plan:
    def check(item) -> str | None:
        try:
            stores(item.store).validate(item.name, item.payload())
        except StoreError as exc:
            return str(exc)
        return None

    findings = find_secrets(root, path)
    plan = build_plan(root, path, settings, findings, names, check)
    if verify:
        from keystow.migrate.verified import lead_with_verified

        lead_with_verified(plan, findings)
    counts: dict[str, int] = {}
    for item in plan.items:
        if not item.manual:
            counts[item.store] = counts.get(item.store, 0) + 1
    plan.expected_duration = sum(stores(kind).expected_duration(n) for kind, n in counts.items())
    return plan


def settings_from_journal(journal, given: Settings | None) -> Settings:
    settings = settings_from_dict(journal.data["settings"])
    if given is not None:
        settings = replace(settings, region=given.region or settings.region,
                           endpoint_url=given.endpoint_url or settings.endpoint_url)
    return settings

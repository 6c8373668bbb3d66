"""Run-time resolution of references: `keystow.resolve("ssm:/app/x")` in Python, and the
`.keystow-refs.toml` manifest that `keystow run` turns into environment variables.

Region and endpoint come from boto3's own configuration (AWS_REGION, AWS_ENDPOINT_URL, the
profile) unless given. Values are cached for the life of the process, never written anywhere.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from keystow.config import toml_parser
from keystow.migrate.stores import (
    MissingReference,
    SecretStore,
    StoreError,
    StoreTarget,
    open_store,
    parse_reference,
)
from keystow.runtime.files import FILE_PREFIX

MANIFEST_NAME = ".keystow-refs.toml"

_cache: dict[str, str] = {}
_stores: dict[tuple, SecretStore] = {}
_lock = threading.Lock()


def resolve(reference: str) -> str:
    """The value a reference names (cached per process); MissingReference if there is none."""
    with _lock:
        if reference in _cache:
            return _cache[reference]
    values = resolve_all({reference: reference})
    return values[reference]


def resolve_manifest(path: Path | str = MANIFEST_NAME, *, region: str | None = None,
                     endpoint_url: str | None = None) -> dict[str, str]:
    """Environment variable → value for every entry of a manifest, one batched read per store."""
    return resolve_all(load_manifest(Path(path)), region=region, endpoint_url=endpoint_url)


def load_manifest(path: Path) -> dict[str, str]:
    """Environment variable → reference (the `"file:PATH"` entries are files: see `manifest_files`)."""
    return {name: ref for name, ref in load_entries(path).items() if not name.startswith(FILE_PREFIX)}


def manifest_files(path: Path) -> dict[str, str]:
    """File path → reference, from the manifest's `"file:PATH" = "REF"` entries."""
    return {name.removeprefix(FILE_PREFIX): ref for name, ref in load_entries(path).items()
            if name.startswith(FILE_PREFIX)}


def load_entries(path: Path) -> dict[str, str]:
    tomllib = toml_parser()

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"no reference manifest at {path}; pass --refs FILE") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(f"cannot read reference manifest {path}: {exc}") from None
    bad = [name for name, value in data.items() if not isinstance(value, str)]
    if bad:
        raise StoreError(f"{path}: {', '.join(bad)} must be reference strings like \"ssm:/app/db_password\"")
    return data


def resolve_all(references: dict[str, str], *, region: str | None = None,
                endpoint_url: str | None = None) -> dict[str, str]:
    """label → value for label → reference; reads what the cache lacks, one batch per store."""
    targets = {label: parse_reference(ref) for label, ref in references.items()}
    with _lock:
        missing = [t for t in targets.values() if t.reference() not in _cache]
    _fetch(missing, region, endpoint_url)
    with _lock:
        absent = [label for label, target in targets.items() if target.reference() not in _cache]
        if absent:
            raise MissingReference(_missing_message(absent, references))
        return {label: _cache[target.reference()] for label, target in targets.items()}


def _fetch(targets: list[StoreTarget], region: str | None, endpoint_url: str | None) -> None:
    for kind in ("ssm", "secretsmanager"):
        wanted = [t for t in targets if t.store == kind]
        if not wanted:
            continue
        store = _store(kind, region, endpoint_url)
        values = store.get_many(list(dict.fromkeys(t.name for t in wanted)))
        found = {}
        for target in wanted:
            value = _pick(target, values.get(target.name))
            if value is not None:
                found[target.reference()] = value
        with _lock:
            _cache.update(found)


def _pick(target: StoreTarget, value: str | None) -> str | None:
    if value is None or target.key is None:
        return value
    try:
        mapping = json.loads(value)
    except ValueError:
        return None
    item = mapping.get(target.key) if isinstance(mapping, dict) else None
    if item is None:
        return None
    return item if isinstance(item, str) else json.dumps(item)


def _store(kind: str, region: str | None, endpoint_url: str | None) -> SecretStore:
    key = (kind, region, endpoint_url)
    with _lock:
        if key not in _stores:
            _stores[key] = open_store(kind, region=region, endpoint_url=endpoint_url)
        return _stores[key]


def _missing_message(labels: list[str], references: dict[str, str]) -> str:
    shown = ", ".join(f"{label} ({references[label]})" if label != references[label] else label
                      for label in labels[:5])
    more = f" and {len(labels) - 5} more" if len(labels) > 5 else ""
    noun = "reference" if len(labels) == 1 else "references"
    return f"{len(labels)} {noun} not found in AWS: {shown}{more}"


def clear_cache() -> None:
    """Forget cached values and clients (tests; a long-lived process after a rotation)."""
    with _lock:
        _cache.clear()
        _stores.clear()

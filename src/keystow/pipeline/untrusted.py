"""Gate scans of changes nobody has reviewed yet: `--range` and `--pre-push`.

A pull request from a fork must not configure its own gate. So in these modes the configuration
(`.keystow.toml`, `[tool.keystow]`, extra rule files) and the baseline are read from the BASE
revision, never from the changes under review; a change to any of them inside the range is a
finding of its own (`keystow-config-changed`) so a reviewer sees it; and an inline allow comment
suppresses a finding only when the same line, comment included, was already there at BASE.
`--trust-head-config` turns all of this off for pipelines whose changes are trusted.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterable, NamedTuple

from keystow import git
from keystow.config import Config, parse_config, toml_parser
from keystow.detect.filters.inline import is_allowed_inline
from keystow.errors import ConfigError
from keystow.findings import Finding, Location, fingerprint
from keystow.pipeline.result import ScanResult

CONFIG_CHANGED = "keystow-config-changed"
CONFIG_FILE, PYPROJECT = ".keystow.toml", "pyproject.toml"


class GateRevisions(NamedTuple):
    """The trusted revision (None: nothing is trusted, the defaults apply) and the reviewed one."""

    base: str | None
    head: str | None


def range_revisions(root: Path, spec: str) -> GateRevisions:
    """BASE and HEAD of `BASE..HEAD` / `BASE...HEAD` (a missing BASE: no trusted revision)."""
    for separator in ("...", ".."):
        if separator in spec:
            base_spec, head_spec = spec.split(separator, 1)
            break
    else:
        return GateRevisions(None, None)
    head = git.resolve_commit(root, head_spec or "HEAD")
    base = git.resolve_commit(root, base_spec) if base_spec and set(base_spec) != {"0"} else None
    return GateRevisions(base, head)


def push_revisions(root: Path, stdin: bytes, remote: str | None) -> GateRevisions:
    """The remote's side of the first pushed ref (what it holds for that ref, else the newest
    already-pushed commit the pushed one builds on) and the pushed commit."""
    for line in stdin.decode("utf-8", "replace").splitlines():
        fields = line.split()
        if len(fields) != 4 or set(fields[1]) == {"0"}:
            continue
        if set(fields[3]) != {"0"} and git.resolve_commit(root, fields[3]):
            return GateRevisions(fields[3], fields[1])
        known = f"--remotes={remote}" if remote and remote in git.remote_names(root) else "--remotes"
        listed = git.run_git(["rev-list", "--boundary", fields[1], "--not", known, "--"], root, check=False)
        boundary = [entry[1:] for entry in listed.stdout.decode().split() if entry.startswith("-")]
        return GateRevisions(boundary[0] if boundary else None, fields[1])
    return GateRevisions(None, None)


def read_at(root: Path, revision: str | None, path: str) -> bytes | None:
    """A file's bytes at a revision (None: no such file, or no revision)."""
    if revision is None:
        return None
    shown = git.run_git(["cat-file", "blob", f"{revision}:{path}"], root, check=False)
    return shown.stdout if shown.returncode == 0 else None


class TrustedFiles:
    """The BASE revision's configuration and baseline, written to a private temp dir (the
    scanner and the baseline read files); removed by `close`."""

    def __init__(self, root: Path, revisions: GateRevisions) -> None:
        self.root, self.revisions = root, revisions
        self._tmp = tempfile.TemporaryDirectory(prefix="keystow-base-")
        self.directory = Path(self._tmp.name)
        self.tree = self.directory / "tree"  # BASE's files at their repository paths
        self.extra_rule_paths: list[str] = []

    def close(self) -> None:
        self._tmp.cleanup()

    def config(self) -> Config:
        """BASE's config (the defaults when BASE has none or there is no BASE); extra rule
        files are BASE's versions too."""
        found = self._base_table()
        if found is None:
            return Config()
        name, table = found
        config = parse_config(table, self.root / name)
        rules: list[Path] = []
        for path in config.extra_rules:
            relative = _relative(path, self.root)
            data = read_at(self.root, self.revisions.base, relative)
            if data is None:
                raise ConfigError(f"{relative}: extra rule file named by the base revision's config is not in it")
            self.extra_rule_paths.append(relative)
            rules.append(self._write(f"rules-{len(rules)}-{Path(relative).name}", data))
        return config._replace(extra_rules=tuple(rules), source=f"{name} at {self.revisions.base}")

    def baseline(self, configured: str) -> Path:
        """BASE's baseline, written at its repository path under `tree` (entry paths are
        relative to the baseline's directory); a path that does not exist when BASE has none."""
        relative = Path(configured)
        if relative.is_absolute() or ".." in relative.parts:
            raise ConfigError(f"baseline {configured!r}: a gate reads the baseline from the base revision, "
                              f"so it must be a path inside the repository")
        target = self.tree / relative
        data = read_at(self.root, self.revisions.base, relative.as_posix())
        if data is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return target

    def _base_table(self) -> tuple[str, dict] | None:
        tomllib = toml_parser()
        for name in (CONFIG_FILE, PYPROJECT):
            data = read_at(self.root, self.revisions.base, name)
            if data is None:
                continue
            try:
                table = tomllib.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{name} at the base revision: invalid TOML: {exc}") from None
            if name == PYPROJECT:
                table = table.get("tool", {}).get("keystow")
                if not isinstance(table, dict):
                    continue
            return name, table
        return None

    def _write(self, name: str, data: bytes) -> Path:
        path = self.directory / name
        path.write_bytes(data)
        return path


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def config_changes(root: Path, revisions: GateRevisions, baseline: str, extra_rules: Iterable[str]) -> list[Finding]:
    """A `keystow-config-changed` finding per gate file the reviewed revision changes: the scan
    did not apply the change, and a reviewer must decide whether to accept it."""
    findings = []
    for path in dict.fromkeys([CONFIG_FILE, PYPROJECT, baseline, *extra_rules]):
        before, after = read_at(root, revisions.base, path), read_at(root, revisions.head, path)
        changed = _keystow_table(before) != _keystow_table(after) if path == PYPROJECT else before != after
        if changed:
            findings.append(_changed(path, after is None))
    return findings


def _keystow_table(data: bytes | None) -> object:
    """pyproject.toml matters only for its [tool.keystow] table (not every dependency bump)."""
    if data is None:
        return None
    try:
        return toml_parser().loads(data.decode("utf-8")).get("tool", {}).get("keystow")
    except Exception:  # unparsable at one side: compare the bytes
        return data


def _changed(path: str, removed: bool) -> Finding:
    what = "removed" if removed else "changed"
    name = f"keystow configuration or baseline {what} in the reviewed changes (not applied to this scan)"
    location = Location(path, 1, 1, 1, 1)
    return Finding(CONFIG_CHANGED, name, "high", "", (location,), ("keystow", "configuration"), "high",
                   known_fingerprint=fingerprint(CONFIG_CHANGED, path), known_redacted=path)


def drop_base_allowed(root: Path, base: str | None, result: ScanResult) -> ScanResult:
    """Apply inline allow comments that BASE already had: a location is dropped when its line
    carries an allow marker and BASE's version of the file has that same line (with the line
    above, for allow-next-line). A marker added by the reviewed changes suppresses nothing."""
    blobs: dict[str, list[bytes]] = {}
    base_files: dict[str, set[bytes] | None] = {}
    kept = []
    for finding in result.findings:
        left = tuple(loc for loc in finding.locations if not _allowed_at_base(root, base, loc, blobs, base_files))
        if left:
            kept.append(finding if len(left) == len(finding.locations) else finding.with_locations(left))
    result.findings = kept
    return result


def _allowed_at_base(root: Path, base: str | None, loc: Location, blobs: dict, base_files: dict) -> bool:
    if base is None or loc.blob is None:
        return False
    if loc.blob not in blobs:
        shown = git.run_git(["cat-file", "blob", loc.blob], root, check=False)
        blobs[loc.blob] = shown.stdout.split(b"\n") if shown.returncode == 0 else []
    lines = blobs[loc.blob]
    if not 0 < loc.line <= len(lines):
        return False
    line, previous = lines[loc.line - 1], lines[loc.line - 2] if loc.line > 1 else b""
    if not is_allowed_inline(line.rstrip(b"\r"), previous.rstrip(b"\r")):
        return False
    if loc.path not in base_files:
        data = read_at(root, base, loc.path)
        base_files[loc.path] = None if data is None else data.split(b"\n")
    base_lines = base_files[loc.path]
    if base_lines is None:
        return False
    pairs = set(zip([b"", *base_lines], base_lines, strict=False))  # (line above, line)
    return (previous, line) in pairs if is_allowed_inline(b"", previous.rstrip(b"\r")) else line in base_lines

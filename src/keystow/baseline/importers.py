"""Baselines of other tools, as keystow entries, so a team can switch without re-triaging.

- detect-secrets `.secrets.baseline`: each result carries `hashed_secret`, the SHA-1 of the
  secret. It becomes a `sha1` entry: a finding matches when its secret has that SHA-1, at the
  same path, whatever the rule.
- gitleaks `.gitleaksignore`: fingerprints `path:rule-id:line` or `commit:path:rule-id:line`.
  Each becomes a `location` entry: the same path and line, and our rule where gitleaks' rule
  maps to one obviously, else any rule (`*`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from keystow.baseline.model import Entry
from keystow.errors import ConfigError

DETECT_SECRETS_RULES = {
    "AWS Access Key": "aws-access-key-id",
    "GitHub Token": "github-classic-pat",
    "GitLab Token": "gitlab-personal-access-token",
    "Private Key": "private-key",
}
GITLEAKS_RULES = {
    "aws-access-token": "aws-access-key-id",
    "github-pat": "github-classic-pat",
    "github-fine-grained-pat": "github-fine-grained-pat",
    "github-oauth": "github-oauth-token",
    "github-app-token": "github-server-to-server-token",
    "github-refresh-token": "github-refresh-token",
    "gitlab-pat": "gitlab-personal-access-token",
    "gitlab-ptt": "gitlab-pipeline-trigger-token",
    "gitlab-rrt": "gitlab-runner-registration-token",
}
COMMIT = re.compile(r"^[0-9a-f]{7,64}$")


def import_file(path: Path, known_rules: set[str]) -> list[Entry]:
    """Entries from a detect-secrets baseline or a .gitleaksignore, recognised by content."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    if text.lstrip().startswith("{"):
        return from_detect_secrets(text, path)
    return from_gitleaksignore(text, known_rules)


def from_detect_secrets(text: str, where: Path) -> list[Entry]:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{where}: not valid JSON: {exc}") from None
    results = document.get("results") if isinstance(document, dict) else None
    if not isinstance(results, dict):
        raise ConfigError(f"{where}: not a detect-secrets baseline (no 'results' mapping)")
    entries = []
    for filename, items in sorted(results.items()):
        for item in items:
            entries.append(Entry(
                "sha1", _slug(DETECT_SECRETS_RULES.get(item.get("type", ""), item.get("type", "unknown"))),
                Path(filename).as_posix(), str(item["hashed_secret"]), line=item.get("line_number"),
                verdict=_verdict(item.get("is_secret")), source="detect-secrets",
            ))
    return entries


def _verdict(is_secret: object) -> str | None:
    """detect-secrets' audit label, if the team set one."""
    if not isinstance(is_secret, bool):
        return None
    return "true-positive" if is_secret else "false-positive"


def from_gitleaksignore(text: str, known_rules: set[str]) -> list[Entry]:
    entries = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.rsplit(":", 2)
        if len(parts) != 3 or not parts[2].isdigit():
            raise ConfigError(f".gitleaksignore line {number}: expected path:rule-id:line or commit:path:rule-id:line")
        where, rule, line_number = parts
        head, _, rest = where.partition(":")
        path = rest if rest and COMMIT.match(head) else where
        ours = GITLEAKS_RULES.get(rule)
        rule_id = ours if ours in known_rules else "*"
        entries.append(Entry("location", rule_id, path, line=int(line_number), source="gitleaks"))
    return entries


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown"

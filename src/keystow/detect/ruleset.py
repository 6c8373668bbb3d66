"""Load and validate rules from YAML.

Rules are data (`rules/*.yaml`, shipped in the wheel). Loading checks the schema and that each
regex compiles with Python `re` as bytes; the matcher checks that Hyperscan accepts it too.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import NamedTuple

from keystow.errors import RuleError
from keystow.findings import SEVERITIES

RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DEFAULT_WINDOW = 1024
REQUIRED_KEYS = ("id", "name", "regex", "severity", "examples", "negative_examples")
KNOWN_KEYS = set(REQUIRED_KEYS) | {
    "description", "keywords", "entropy", "validator", "window", "tags", "confidence",
}


class Rule(NamedTuple):
    id: str
    name: str
    description: str
    severity: str
    regex: str
    keywords: tuple[str, ...]
    entropy: float | None
    validator: str | None
    window: int
    tags: tuple[str, ...]
    examples: tuple[str, ...]
    negative_examples: tuple[str, ...]
    source: str

    @property
    def is_generic(self) -> bool:
        return "generic" in self.tags

    def compiled(self) -> re.Pattern[bytes]:
        return _compile_bytes(self.regex)

    def secret_group(self) -> int | str:
        pattern = self.compiled()
        if "secret" in pattern.groupindex:
            return "secret"
        return 1 if pattern.groups else 0


_COMPILED: dict[str, re.Pattern[bytes]] = {}


def _compile_bytes(regex: str) -> re.Pattern[bytes]:
    pattern = _COMPILED.get(regex)
    if pattern is None:
        pattern = _COMPILED[regex] = re.compile(regex.encode())
    return pattern


class RuleSet:
    """The enabled rules, in order (a plain class: see keystow.findings on dataclasses)."""

    __slots__ = ("rules",)

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RuleSet) and self.rules == other.rules

    def __hash__(self) -> int:
        return hash(self.rules)

    def __repr__(self) -> str:
        return f"RuleSet({len(self.rules)} rules)"

    def __len__(self) -> int:
        return len(self.rules)

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def digest(self) -> str:
        """A hash of everything that changes what the rules find (keys caches)."""
        h = hashlib.sha256()
        for rule in self.rules:
            h.update(repr((rule.id, rule.regex, rule.entropy, rule.validator, rule.window,
                           rule.tags, rule.severity)).encode())
        return h.hexdigest()

    def without(self, disabled: set[str]) -> RuleSet:
        return RuleSet(tuple(r for r in self.rules if r.id not in disabled))


def builtin_rule_files() -> list[Path]:
    # The rules ship inside the package directory (a plain path: importlib.resources costs the
    # hook ~20 ms and keystow is never imported from a zip).
    root = Path(__file__).resolve().parent.parent / "rules"
    return sorted(p for p in root.iterdir() if p.name.endswith((".yaml", ".yml")))


def load_rules(extra_files: tuple[Path, ...] = (), builtin: bool = True) -> RuleSet:
    """All rules from the built-in files and `extra_files`, parsed once and then cached.

    Parsing YAML and compiling every regex costs more than a hook run may spend, so the parsed
    rules are pickled to the user cache keyed by each file's path, size and mtime.
    """
    from keystow.detect import rule_cache

    files = (builtin_rule_files() if builtin else []) + list(extra_files)
    cached = rule_cache.load(files)
    if cached is not None:
        return cached
    ruleset = _parse_files(files)
    from keystow.detect.backtracking import reject_backtracking

    reject_backtracking(ruleset.rules, {str(p) for p in extra_files})  # user rules: no ReDoS
    rule_cache.store(files, ruleset)
    return ruleset


def _parse_files(files: list[Path]) -> RuleSet:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in files:
        for rule in load_rule_file(path):
            if rule.id in seen:
                raise RuleError(f"{path}: rule id {rule.id!r} already defined in {seen[rule.id]}")
            seen[rule.id] = str(path)
            rules.append(rule)
    return RuleSet(tuple(rules))


def load_rule_file(path: Path) -> list[Rule]:
    import yaml  # not on the hook's cached path

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster
    try:
        document = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: not valid YAML: {_one_line(exc)}") from None
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleError(f"{path}: expected a mapping with a 'rules' list")
    return [parse_rule(raw, str(path)) for raw in document["rules"]]


def parse_rule(raw: object, source: str) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"{source}: each rule must be a mapping")
    where = f"{source}: rule {raw.get('id', '?')!r}"
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise RuleError(f"{where}: missing {', '.join(missing)}")
    unknown = set(raw) - KNOWN_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    rule_id = _text(raw, "id", where)
    if not RULE_ID.match(rule_id):
        raise RuleError(f"{where}: id must be kebab-case (a-z, 0-9, '-')")
    severity = _text(raw, "severity", where)
    if severity not in SEVERITIES:
        raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    regex = _text(raw, "regex", where)
    _check_regex(regex, where)
    return Rule(
        id=rule_id,
        name=_text(raw, "name", where),
        description=str(raw.get("description", "")),
        severity=severity,
        regex=regex,
        keywords=tuple(k.lower() for k in _strings(raw, "keywords", where, required=False)),
        entropy=_number(raw, "entropy", where),
        validator=_validator(raw, where),
        window=_window(raw, where),
        tags=tuple(_strings(raw, "tags", where, required=False)),
        examples=tuple(_strings(raw, "examples", where)),
        negative_examples=tuple(_strings(raw, "negative_examples", where)),
        source=source,
    )


def _check_regex(regex: str, where: str) -> None:
    try:
        pattern = _compile_bytes(regex)
    except (re.error, UnicodeEncodeError, OverflowError, RecursionError) as exc:  # x{99999999999}, (((...
        raise RuleError(f"{where}: regex does not compile: {exc}") from None
    if pattern.match(b""):
        raise RuleError(f"{where}: regex matches the empty string")


def _text(raw: dict, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleError(f"{where}: {key} must be a non-empty string")
    return value


def _strings(raw: dict, key: str, where: str, required: bool = True) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{where}: {key} must be a list of strings")
    if required and not value:
        raise RuleError(f"{where}: {key} needs at least one entry")
    return value


def _number(raw: dict, key: str, where: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 8:
        raise RuleError(f"{where}: {key} must be a number between 0 and 8")
    return float(value)


def _window(raw: dict, where: str) -> int:
    value = raw.get("window", DEFAULT_WINDOW)
    if isinstance(value, bool) or not isinstance(value, int) or not 16 <= value <= 1 << 20:
        raise RuleError(f"{where}: window must be an integer between 16 and 1048576")
    return value


def _validator(raw: dict, where: str) -> str | None:
    from keystow.detect.checksums import VALIDATORS

    name = raw.get("validator")
    if name is None:
        return None
    if name not in VALIDATORS:
        raise RuleError(f"{where}: unknown validator {name!r} (known: {', '.join(sorted(VALIDATORS))})")
    return name


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())

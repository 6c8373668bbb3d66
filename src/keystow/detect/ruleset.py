"""Load and validate rules from YAML.

Rules are data (`rules/*.yaml`, shipped in the wheel). Loading checks each file against
`rules/rule.schema.json`, expands the file's regex fragments, and checks that each regex compiles
with Python `re` as bytes; the matcher checks that Hyperscan accepts it too.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path
from typing import NamedTuple

from keystow import fs
from keystow.detect import patterns, quick, rule_cache
from keystow.detect.checksums import VALIDATORS
from keystow.errors import RuleError

DEFAULT_WINDOW = 1024


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
    # provider | generic: the switch for the entropy bar, the generic-only filters and shadowing
    # (tags are labels only).
    kind: str = "provider"
    # What each finding reports as its confidence (a failed checksum can still lower it to low).
    confidence: str = "high"
    # Globs a file's path (or base name) must match for the rule to fire; empty: every file.
    paths: tuple[str, ...] = ()
    # Where the provider documents the format (https URLs); `rules check` wants one per provider rule.
    references: tuple[str, ...] = ()
    # "low": a value below the entropy bar is still reported, at low confidence and severity (a
    # weak password where only a password goes: `.netrc`, `curl -u`, `<password>`); "drop": not.
    weak_values: str = "drop"

    @property
    def is_generic(self) -> bool:
        return self.kind == "generic"

    def compiled(self) -> re.Pattern[bytes]:
        return patterns.compiled(self.regex)

    def secret_group(self) -> int | str:
        return patterns.secret_group(self.compiled())


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
                           rule.tags, rule.severity, rule.kind, rule.confidence, rule.paths,
                           rule.weak_values)).encode())
        return h.hexdigest()

    def without(self, disabled: set[str]) -> RuleSet:
        return RuleSet(tuple(r for r in self.rules if r.id not in disabled))


def builtin_rule_files() -> list[Path]:
    # The rules ship inside the package directory (a plain path: importlib.resources costs the
    # hook ~20 ms and keystow is never imported from a zip).
    return [Path(path) for path in quick.builtin_rule_paths()]


def load_rules(extra_files: tuple[Path, ...] = (), builtin: bool = True) -> RuleSet:
    """All rules from the built-in files and `extra_files`, parsed once and then cached.

    Parsing YAML and compiling every regex costs more than a hook run may spend, so the parsed
    rules are pickled to the user cache keyed by each file's path, size and mtime.
    """
    files = (builtin_rule_files() if builtin else []) + list(extra_files)
    cached = rule_cache.load(files)
    if cached is not None:
        if builtin and not extra_files:
            quick.refresh_index(cached.rules)  # the hook's quick path reads the built-in rules from it
        return cached
    ruleset = _parse_files(files)
    # late: the hook imports this module; loads pickled rules on its cached path, never checking them
    from keystow.detect.backtracking import reject_backtracking

    reject_backtracking(ruleset.rules, {str(p) for p in extra_files})  # user rules: no ReDoS
    rule_cache.store(files, ruleset)
    if builtin and not extra_files:
        quick.refresh_index(ruleset.rules)
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
    # late: the hook imports this module; yaml is on its no-import list; its cached path reads no rule file
    import yaml

    from keystow.detect import rule_schema

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ~10x faster
    try:
        # bounded, a regular file only: extra_rules = ["/dev/zero"] must not read forever
        text = fs.read_bounded(Path(path), "rule file", follow=True).decode("utf-8")
        document = yaml.load(text, Loader=loader)
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: not valid YAML: {_one_line(exc)}") from None
    rule_schema.validate_file(document, str(path))
    fragments = rule_schema.resolve_fragments(document.get("fragments", {}), str(path))
    return [_build_rule(raw, str(path), fragments) for raw in document["rules"]]


def parse_rule(raw: object, source: str, fragments: dict[str, str] | None = None) -> Rule:
    """One rule (a mapping as in a rule file's `rules` list), checked against the schema."""
    from keystow.detect import rule_schema  # late: parsing is a rule-cache miss, never the hook's path

    rule_schema.validate_rule(raw, source)
    assert isinstance(raw, dict)  # the schema accepts only a mapping
    return _build_rule(raw, source, fragments or {})


def _build_rule(raw: dict, source: str, fragments: dict[str, str]) -> Rule:
    """A Rule from a mapping the schema accepted: the checks a schema cannot express, then defaults."""
    # late: only a rule-cache miss parses rules; the hook's warm path never does
    from keystow.detect.rule_schema import expand

    where = f"{source}: rule {raw['id']!r}"
    regex = expand(raw["regex"], fragments, where)
    _check_regex(regex, where)
    tags = tuple(raw.get("tags", ()))
    if "generic" in tags and "kind" not in raw:
        # The tag used to select generic handling; a rule written that way must not silently
        # become a provider rule (stricter entropy bar, no generic filters, never shadowed).
        raise RuleError(f"{where}: tag 'generic' no longer selects generic handling: "
                        f"add 'kind: generic' (or 'kind: provider' to keep it a plain label)")
    entropy = raw.get("entropy")
    if entropy is not None and math.isnan(entropy):
        raise RuleError(f"{where}: key 'entropy' must be between 0 and 8, not nan")
    return Rule(
        id=raw["id"],
        name=raw["name"],
        description=raw.get("description", ""),
        severity=raw["severity"],
        regex=regex,
        keywords=tuple(k.lower() for k in raw.get("keywords", ())),
        entropy=None if entropy is None else float(entropy),
        validator=_validator(raw, where),
        window=int(raw.get("window", DEFAULT_WINDOW)),
        tags=tags,
        examples=tuple(raw["examples"]),
        negative_examples=tuple(raw["negative_examples"]),
        source=source,
        kind=raw.get("kind", "provider"),
        confidence=raw.get("confidence", "high"),
        paths=tuple(raw.get("paths", ())),
        references=tuple(raw.get("references", ())),
        weak_values=raw.get("weak_values", "drop"),
    )


def _check_regex(regex: str, where: str) -> None:
    try:
        pattern = patterns.compiled(regex)
    except (re.error, UnicodeEncodeError, OverflowError, RecursionError) as exc:  # x{99999999999}, (((...
        raise RuleError(f"{where}: regex does not compile: {exc}") from None
    if pattern.match(b""):
        raise RuleError(f"{where}: regex matches the empty string")


def _validator(raw: dict, where: str) -> str | None:
    name = raw.get("validator")
    if name is None:
        return None
    if name not in VALIDATORS:
        raise RuleError(f"{where}: unknown validator {name!r} (known: {', '.join(sorted(VALIDATORS))})")
    return name


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())

"""`keystow rules list` and `keystow rules check`."""

from __future__ import annotations

import functools
import json

from keystow.config import Config
from keystow.detect import quick
from keystow.detect.ruleset import Rule, RuleSet, builtin_rule_files
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.errors import EXIT_CLEAN, EXIT_FINDINGS
from keystow.findings import Finding, is_leak
from keystow.pipeline.scanning import keystore_rules, load_ruleset


def list_rules(config: Config, as_json: bool) -> int:
    # The keystore rules have no regex (they read binary blobs) but are rules all the same:
    # findings name them and `disabled_rules` takes their ids.
    rules = load_ruleset(config).rules + keystore_rules(config)
    if as_json:
        listed = [{"id": r.id, "name": r.name, "severity": r.severity, "tags": list(r.tags),
                   "validator": r.validator, "source": r.source, "references": list(r.references)}
                  for r in rules]
        print(json.dumps({"count": len(listed), "rules": listed}, indent=2))
        return EXIT_CLEAN
    for rule in rules:
        print(f"{rule.id:<45} {rule.severity:<9} {rule.name}")
    print(f"{len(rules)} rules")
    return EXIT_CLEAN


def check_rules(config: Config, engines: tuple[str, ...]) -> int:
    """Every example must be found and every negative example missed, through the full pipeline
    (matcher, entropy, checksum, filters), on each engine."""
    ruleset = load_ruleset(config)
    failures = []
    scanners = {engine: checking_scanner(ruleset, engine) for engine in engines}
    for engine, scanner in scanners.items():
        failures += [f"[{engine}] {line}" for line in rule_failures(ruleset, scanner)]
    if "hyperscan" in scanners:
        failures += [f"[hyperscan] {line}" for line in deep_failures(ruleset, scanners["hyperscan"])]
    if "hyperscan" in scanners and "tiny" in scanners:
        failures += [f"[tiny] {line}" for line in disagreements(ruleset, scanners["hyperscan"], scanners["tiny"])]
    failures += reference_failures(ruleset)
    for line in failures:
        print(line)
    yours = [rule for rule in unreferenced(ruleset) if not is_builtin(rule)]
    if yours:
        print(f"notice: {len(yours)} of your provider rules without a reference (`references:`, the provider's "
              f"documentation of the format), e.g. {yours[0].id} in {yours[0].source}")
    examples = sum(len(r.examples) + len(r.negative_examples) for r in ruleset.rules)
    providers = sum(1 for r in ruleset.rules if not r.is_generic)
    print(f"{len(ruleset)} rules ({providers} provider), {examples} examples, engines: {', '.join(engines)}: "
          f"{len(failures)} failure{'s' if len(failures) != 1 else ''}")
    return EXIT_FINDINGS if failures else EXIT_CLEAN


class TinyPath:
    """What the pre-commit hook runs on a small input: the quick test (keywords, then `re` on
    the rules whose keywords occur; `keystow.detect.quick`), and only when it sees a candidate
    the full pipeline on the `re` engine."""

    def __init__(self, ruleset: RuleSet, policy: FilterPolicy) -> None:
        self.index = quick.build_index(ruleset.rules)
        self.scanner = Scanner(ruleset, policy, "re")

    def scan(self, blob: Blob) -> list[Finding]:
        data = blob.data
        if quick.quick_test_applies(data, blob.path) and not quick.has_candidate(self.index, blob.path, data):
            return []
        return self.scanner.scan(blob)


def checking_scanner(ruleset: RuleSet, engine: str) -> Scanner | TinyPath:
    """`engine`: hyperscan, re, or tiny (the hook's small-input path)."""
    policy = FilterPolicy(inline_allow=False, one_finding_per_position=False)
    return TinyPath(ruleset, policy) if engine == "tiny" else Scanner(ruleset, policy, engine)


def disagreements(ruleset: RuleSet, reference: Scanner | TinyPath, other: Scanner | TinyPath) -> list[str]:
    """Each example or negative example on which the two paths report different findings (any
    rule's, at any place), not only the rule's own verdict."""
    lines = []
    for rule in ruleset.rules:
        for kind, texts in (("example", rule.examples), ("negative example", rule.negative_examples)):
            for number, text in enumerate(texts, 1):
                blob = Blob(example_path(rule), text.encode("utf-8"))
                if _summary(reference.scan(blob)) != _summary(other.scan(blob)):
                    lines.append(f"{rule.id}: {kind} {number}: findings differ from the hyperscan path")
    return lines


def _summary(findings: list[Finding]) -> list[tuple]:
    return sorted((f.rule_id, f.secret, f.location.line, f.location.column, f.confidence) for f in findings)


def unreferenced(ruleset: RuleSet) -> list[Rule]:
    """Provider rules whose format nobody can look up: every one must cite the provider's documentation."""
    return [rule for rule in ruleset.rules if not rule.is_generic and not rule.references]


def reference_failures(ruleset: RuleSet) -> list[str]:
    """A built-in provider rule must cite where its format is documented. Users' `extra_rules` only get a
    notice: the field came after their files, and it changes nothing in what a rule finds."""
    return [f"{rule.id}: provider rule without a reference" for rule in unreferenced(ruleset) if is_builtin(rule)]


def is_builtin(rule: Rule) -> bool:
    return rule.source in _builtin_sources()


@functools.cache
def _builtin_sources() -> frozenset[str]:
    return frozenset(str(path) for path in builtin_rule_files())


def rule_failures(ruleset: RuleSet, scanner: Scanner | TinyPath) -> list[str]:
    failures = []
    for rule in ruleset.rules:
        failures += [f"{rule.id}: example {i + 1} not found" for i, text in enumerate(rule.examples)
                     if not _found(scanner, rule, text)]
        failures += [f"{rule.id}: negative example {i + 1} was found" for i, text in enumerate(rule.negative_examples)
                     if _found(scanner, rule, text)]
    return failures


# Lines an example is also checked behind: Hyperscan answers a short input on another path than
# a long one, and that path missed matches `re` finds (`;[ \t]{0,4}` before an optional group in
# Hyperscan 0.9.1) on a line deep in a file, while every example alone was found.
DEEP_PREFIX = "# configuration follows\n" * 8


def deep_failures(ruleset: RuleSet, scanner: Scanner | TinyPath) -> list[str]:
    """Examples not found when they come after a few lines of a file, as in a real one. Not for
    the rules that read a document's structure (their regex takes the NUL-framed view
    detect/structures.py builds): their examples are whole documents, a state file's JSON."""
    return [f"{rule.id}: example {i + 1} not found after {len(DEEP_PREFIX)} bytes of other lines"
            for rule in ruleset.rules if not rule.regex.startswith("\\x00")
            for i, text in enumerate(rule.examples) if not _found(scanner, rule, DEEP_PREFIX + text)]


def example_path(rule: Rule) -> str:
    """Where a rule's examples are scanned: a file its `paths:` globs accept (`.netrc` for
    `**/.netrc`), so a scoped rule is checked in the kind of file it is for."""
    if not rule.paths:
        return "<example>"
    return rule.paths[0].replace("**/", "").replace("*", "x")


def _found(scanner: Scanner | TinyPath, rule: Rule, text: str) -> bool:
    findings = scanner.scan(Blob(example_path(rule), text.encode("utf-8")))
    # a provider's published example (AKIAIOSFODNN7EXAMPLE) is reported, but as no leak: a negative example
    return any(f.rule_id == rule.id and is_leak(f) for f in findings)

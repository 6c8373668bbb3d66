"""The pure heart of keystow: blobs in, findings out.

Order, cheapest first: one multi-pattern pass (matcher), then per hit the rule's own gates
(entropy, checksum), then false-positive filters (placeholders, templating, allowlists, inline
allow comments). Sources decide what to read; reports decide how to show it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from keystow.detect import checksums, keystores
from keystow.detect.decoders import decoded_views, encoded_places, relocate
from keystow.detect.entropy import (
    MIN_RELAXED_LENGTH,
    RANDOM_MARGIN,
    charset_size,
    entropy_threshold,
    random_entropy,
    shannon_entropy,
)
from keystow.detect.filters.inline import is_allowed_inline
from keystow.detect.filters.overlap import (
    drop_same_span_duplicates,
    drop_shadowed_generic,
    not_overlapping_specific,
)
from keystow.detect.matcher import HyperscanMatcher, Match, ReMatcher, build_matcher
from keystow.detect.public_examples import public_example_source
from keystow.detect.quick import SMALL_INPUT, may_hold_encoded_values, path_in_scope
from keystow.detect.ruleset import Rule, RuleSet
from keystow.detect.structures import relocate as place_in_document
from keystow.detect.structures import structured_views
from keystow.detect.text import TextIndex, to_scannable
from keystow.findings import Finding, Location, Provenance


class Blob(NamedTuple):
    """Bytes to scan and where they came from."""

    path: str
    data: bytes
    blob_id: str | None = None
    provenance: Provenance | None = None


class FilterPolicy(NamedTuple):
    inline_allow: bool = True
    allow_regexes: tuple[re.Pattern[str], ...] = ()
    stopwords: tuple[str, ...] = ()
    # "drop": a failed checksum means "not this token"; "low": keep it at low confidence.
    invalid_checksum: str = "drop"
    # Two provider rules reading the very same characters report once. `rules check` turns this
    # off: it asks whether each rule finds its own examples, not which rule a report shows.
    one_finding_per_position: bool = True
    # The keystore rules in force (detect/keystores.py): `disabled_rules` can name them too.
    keystore_rules: tuple[str, ...] = tuple(keystores.RULES)


class Scanner:
    """The rules, the filter policy and the matching engine, built once and used for every blob."""

    def __init__(self, ruleset: RuleSet, policy: FilterPolicy | None = None, engine: str = "auto") -> None:
        self.ruleset = ruleset
        self.policy = policy if policy is not None else FilterPolicy()
        self.engine = engine
        # "auto" builds its matcher on first use, so a small input can take the `re` engine and
        # never load the Hyperscan database (see `use_re_for_small_input`).
        self._matcher: HyperscanMatcher | ReMatcher | None = None
        if engine != "auto":
            self._matcher = build_matcher(ruleset, engine)
        self.generic_rule_ids = frozenset(rule.id for rule in ruleset.rules if rule.is_generic)
        self.inline_allowed = 0  # findings a `keystow:allow` comment dropped (in this process)
        # One line per token dropped for a wrong checksum in a test-looking file (where made-up
        # tokens live): the user learns why a token they expected was not reported.
        self.notices: list[str] = []

    @property
    def matcher(self) -> HyperscanMatcher | ReMatcher:
        if self._matcher is None:
            self._matcher = build_matcher(self.ruleset, self.engine)
        return self._matcher

    def use_re_for_small_input(self, size: int) -> None:
        """Before the first scan, for an input of `size` bytes in all (the staged files of a
        commit): below quick.SMALL_INPUT the `re` engine (keywords, then the few rules whose
        keywords occur) costs less than loading the Hyperscan database. Both engines find the same:
        `keystow rules check` runs every rule's examples on each."""
        if self._matcher is None and size < SMALL_INPUT:
            self._matcher = ReMatcher(self.ruleset)

    def init_arguments(self) -> dict:
        """What rebuilds this scanner in a worker process, with the engine it resolved to."""
        return {"ruleset": self.ruleset, "policy": self.policy, "engine": self.matcher.engine}

    def scan(self, blob: Blob) -> list[Finding]:
        """Findings in one blob; an empty list for a binary blob other than a keystore."""
        scanned = self.scan_bytes(blob)
        return scanned[0] if scanned else []

    def scan_bytes(self, blob: Blob) -> tuple[list[Finding], int] | None:
        """(findings, bytes scanned) for text or a keystore; None for any other binary blob,
        which sources report as skipped."""
        data = to_scannable(blob.data)
        if data is not None:
            return self.scan_text(data, blob), len(data)
        found = self.scan_binary(blob)
        return (found, len(blob.data)) if found else None

    def scan_binary(self, blob: Blob) -> list[Finding]:
        """A binary blob's findings: a keystore is one, the whole file (detect/keystores.py)."""
        keystore = keystores.recognise(blob.data, blob.path)
        if keystore is None or keystore.rule_id not in self.policy.keystore_rules:
            return []
        rule = keystores.RULES[keystore.rule_id]
        location = Location(blob.path, 1, 1, 1, 1, blob.blob_id, blob.provenance)
        return [Finding(rule.id, rule.name, keystore.severity, keystores.secret_of(blob.data), (location,),
                        rule.tags, keystore.severity)]

    def scan_text(self, data: bytes, blob: Blob) -> list[Finding]:
        findings = self._confirmed(data, blob)
        if not findings and not may_hold_encoded_values(data, blob.path):
            # Most blobs: nothing matched and nothing to decode. Skipping the view and overlap
            # passes saves ~15 µs a blob, a tenth of a history scan (and of its commit messages).
            return findings
        views = decoded_views(data, blob.path)  # k8s Secret `data:` values, base64-decoded
        if views:
            index = TextIndex(data)
            encoded = encoded_places(index, views)
            findings = [f for f in findings if (f.location.line, f.location.column) not in encoded]
            for view in views:
                findings += [relocate(f, index, view.source) for f in self._confirmed(view.text, blob)]
        findings += not_overlapping_specific(self._structured(data, blob), findings, self.generic_rule_ids)
        findings = drop_shadowed_generic(findings, self.generic_rule_ids)  # a provider rule wins over a generic one
        if self.policy.one_finding_per_position:
            findings = drop_same_span_duplicates(findings)
        return findings

    def _structured(self, data: bytes, blob: Blob) -> list[Finding]:
        """Findings on the values an infrastructure file's structure names as secrets (Terraform
        state, CloudFormation), each placed at its value and named with its path in the document."""
        views = structured_views(data, blob.path)
        if not views:
            return []
        index, allowed_lines = TextIndex(data), dict[int, bool]()
        if self.policy.inline_allow:  # an allow comment on the value's line in the file holds for its view
            views = [view for view in views if not self._allowed_inline(index, view.source.start, allowed_lines)]
        return [place_in_document(f, index, view.source) for view in views for f in self._confirmed(view.text, blob)]

    def _confirmed(self, data: bytes, blob: Blob) -> list[Finding]:
        """Every matcher hit in `data` that its rule confirms."""
        findings: list[Finding] = []
        index: TextIndex | None = None
        allowed_lines: dict[int, bool] = {}
        for match in self.matcher.matches(data):
            index = index or TextIndex(data)  # one per blob: positions of many hits stay linear
            finding = self._confirm(match, index, blob, allowed_lines)
            if finding is not None:
                findings.append(finding)
        return findings

    def _confirm(self, match: Match, index: TextIndex, blob: Blob, allowed_lines: dict[int, bool]) -> Finding | None:
        rule, data = match.rule, index.data
        secret = data[match.secret_start:match.secret_end].decode("utf-8", errors="replace")
        if rule.paths and not rule_applies_to(rule, blob.path):
            return None
        confidence = rule_gate(rule, secret, self.policy)
        if confidence is None:
            if (rule.validator and passes_entropy(rule, secret) and looks_made_up(secret)
                    and not passes_checksum(rule, secret)):
                self._note_checksum_drop(rule, blob.path, index.line_number(match.secret_start))
            return None
        published = public_example_source(secret)  # reported as such, not dropped as a placeholder
        line_text = index.context(match.secret_start, match.secret_end)
        name = data[name_start(data, match.start):match.secret_start]  # the name the value is assigned to
        weak = confidence == "low" and (rule.confidence == "low" or rule.weak_values == "low")  # kept though weak
        if published is None and is_filtered(rule, secret, self.policy, line_text, name, blob.path, weak):
            # a word where only a password goes (`<password>sunshine42</password>`) is a weak one
            if weak or rule.weak_values != "low" or is_filtered(rule, secret, self.policy, line_text, name,
                                                                blob.path, weak=True):
                return None
            weak, confidence = True, "low"
        if self.policy.inline_allow and self._allowed_inline(index, match.secret_start, allowed_lines):
            self.inline_allowed += 1
            return None
        line, column = index.line_and_column(match.secret_start)
        end_line, end_column = index.line_and_column(match.secret_end)
        location = Location(blob.path, line, column, end_line, end_column, blob.blob_id, blob.provenance)
        severity = "low" if weak else rule.severity
        if is_encrypted_key(secret) or published:  # a passphrase still stands between the finder and the key
            severity = confidence = "low"
        return Finding(rule.id, rule.name, severity, secret, (location,), rule.tags, confidence,
                       public_example=published)

    def _note_checksum_drop(self, rule: Rule, path: str, line: int) -> None:
        """A notice (not a finding) for a token whose checksum fails in a test-looking file: a
        made-up token there is most likely meant to be caught, and silence would hide why not."""
        # late: the filters compile regexes at import; only a dropped token needs this one
        from keystow.detect.filters.context import is_test_file

        if is_test_file(path):
            self.notices.append(f"{path}:{line}: {rule.id}: dropped: checksum does not match (test-looking file)")

    @staticmethod
    def _allowed_inline(index: TextIndex, offset: int, allowed_lines: dict[int, bool]) -> bool:
        """Whether the line carries an allow comment, decided once per line."""
        number = index.line_number(offset)
        if number not in allowed_lines:
            allowed_lines[number] = is_allowed_inline(*index.line_at(offset))
        return allowed_lines[number]


def looks_made_up(secret: str) -> bool:
    """Letters and digits both, as a made-up token has: a word the regex took for one (`Basic
    subtypes` in a comment read as a Basic auth value) is worth no notice."""
    return any(c.isdigit() for c in secret) and any(c.isalpha() for c in secret)


NAME_CHARACTERS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-$@")
NAME_REACH = 64


def name_start(data: bytes, start: int) -> int:
    """Where the identifier holding `start` begins: a rule matches from the secret's word, and the
    whole name (`commit_token`, `sha256_secret`) is what says whether a hex value is a digest."""
    floor = max(0, start - NAME_REACH)
    while start > floor and data[start - 1] in NAME_CHARACTERS:
        start -= 1
    return start


# A PKCS#1/SEC1 PEM key with an encryption header: `BEGIN RSA PRIVATE KEY` matches the plaintext
# key's rule, but the body is ciphertext.
ENCRYPTED_PEM_HEADER = "Proc-Type: 4,ENCRYPTED"


def is_encrypted_key(secret: str) -> bool:
    return secret.startswith("-----BEGIN") and ENCRYPTED_PEM_HEADER in secret.replace("\\n", "\n")


def rule_applies_to(rule: Rule, path: str) -> bool:
    """A rule scoped with `paths:` (a `.netrc`, `.pypirc` format) fires only in a file whose path
    or base name matches one of its globs."""
    return path_in_scope(rule.paths, path)


def rule_gate(rule: Rule, secret: str, policy: FilterPolicy) -> str | None:
    """The rule's own checks: entropy and checksum. Returns the confidence (the rule's, or low
    for a failed checksum kept by the policy), or None to drop."""
    if not passes_entropy(rule, secret):
        return "low" if rule.weak_values == "low" and is_weak_password_shape(secret) else None
    if not passes_checksum(rule, secret):
        return "low" if policy.invalid_checksum == "low" else None
    return rule.confidence


def passes_entropy(rule: Rule, secret: str) -> bool:
    return rule.entropy is None or shannon_entropy(secret) >= _entropy_bar(rule, rule.entropy, secret)


def passes_checksum(rule: Rule, secret: str) -> bool:
    """The token's own check digits (GitHub's CRC32, npm's, ...) match; true without a validator."""
    return not rule.validator or checksums.is_valid(rule.validator, secret)


def _entropy_bar(rule: Rule, entropy: float, secret: str) -> float:
    """A generic rule's value can be any kind of secret, so its bar follows the value's length and
    character set; a provider rule knows its format (an AWS secret key is base64, so a hex string
    in its place is something else) and keeps its own bar."""
    if not rule.is_generic:
        if CONNECTION_STRING_TAG in rule.tags and len(secret) < MIN_RELAXED_LENGTH:
            return _short_password_bar(entropy, secret)
        if len(secret) >= MIN_HEX_KEY_LENGTH and entropy < HEX_CEILING and charset_size(secret) == 16:
            # a bar set for base62 tokens cannot hold hex: 20 random hex digits score 3.36 on
            # average, so a 3.5 bar dropped most of a 20-hex key format; the rule's regex has
            # already placed the value in the provider's context, as a secret's name does below.
            # A bar at hex's ceiling or above (AWS secret keys: 4.3) says hex is not the format.
            return min(entropy, random_entropy(len(secret), 16) - HEX_KEY_MARGIN)
        return entropy
    if is_uuid_shape(secret):  # 32 random hex digits and 4 dashes: a UUID key meets the hex keys' bar
        return min(entropy, random_entropy(HEX_KEY_LENGTH, 16) - HEX_KEY_MARGIN)
    if len(secret) >= HEX_KEY_LENGTH and charset_size(secret) == 16:
        # `secrets.token_hex(16)` scores ~3.55 on average: a hex key is held to what random hex of
        # its length scores, less a margin that keeps 99.99% of random keys (sampled: 0.4 lost
        # ~0.5% of 32-hex keys), as the name already vouched for it.
        return min(entropy, random_entropy(len(secret), 16) - HEX_KEY_MARGIN)
    return entropy_threshold(entropy, secret)


# Rules for the password slot of a connection string (`scheme://user:PASSWORD@host`, `Password=...;`).
CONNECTION_STRING_TAG = "connection-string"


def _short_password_bar(entropy: float, secret: str) -> float:
    """A password slot's bar for a short value: n characters score at most log2(n) (2.58 for 6), so
    a fixed 3.0 drops every random password under 8 characters. A short value mixing letters with
    digits or symbols is held to what random text of its length and character set scores, less
    RANDOM_MARGIN; a word, or one in leetspeak (`hunter2`, `P@ssw0rd`, `s3cr3t`), keeps the bar:
    a weak password is the low tier's business, not a high-severity finding."""
    # late: the filters' word lists are loaded only when a candidate needs them
    from keystow.detect.filters.placeholders import is_leet_word

    if len(secret) < WEAK_MIN_LENGTH or secret.isalpha() or secret.isdigit() or is_leet_word(secret):
        return entropy
    return min(entropy, random_entropy(len(secret), charset_size(secret)) - RANDOM_MARGIN)


# From here up a hex value under a secret's name is judged as a key (16 random bytes and more).
# Shorter hex is held to the length-based bar: 16-hex ids and short hashes sit under `...ApiKey`
# names in generated data (cfn-lint's schema index maps every resource type to one).
HEX_KEY_LENGTH = 32
HEX_KEY_MARGIN = 0.6
# A provider rule's hex value is judged the same way from here up (shorter hex scores too little
# for entropy to tell a key from a fill).
MIN_HEX_KEY_LENGTH = 16
HEX_CEILING = 4.0  # log2(16): no hex value scores more


def is_uuid_shape(secret: str) -> bool:
    """8-4-4-4-12 hex digits (filters.chain decides by the name whether it is an id or a key)."""
    parts = secret.split("-")
    return [len(part) for part in parts] == [8, 4, 4, 4, 12] and charset_size("".join(parts)) == 16


# A weak password still has some length and a few distinct characters: `pass` in a doc's
# `user:pass@host` is a slot, `aaaaaaaa` a fill.
WEAK_MIN_LENGTH = 6
WEAK_VALUE_ENTROPY = 1.5


def is_weak_password_shape(secret: str) -> bool:
    return len(secret) >= WEAK_MIN_LENGTH and shannon_entropy(secret) >= WEAK_VALUE_ENTROPY



def is_filtered(rule: Rule, secret: str, policy: FilterPolicy, line: bytes = b"", name: bytes = b"",
                path: str = "", weak: bool = False) -> bool:
    """False-positive filters on the secret value (and the line it sits on, the name it is
    assigned to, the file's path): see filters.chain."""
    # Imported on the first candidate, not at start-up: the filters compile dozens of regexes, and
    # a clean commit through the hook never needs them.
    # late: the hook imports this module; only a candidate finding needs the filter chain and its word lists
    from keystow.detect.filters.chain import filter_reason

    if filter_reason(secret, line, rule.is_generic, name, path, weak=weak) is not None:
        return True
    lowered = secret.lower()
    if any(word in lowered for word in policy.stopwords):
        return True
    return any(pattern.search(secret) for pattern in policy.allow_regexes)

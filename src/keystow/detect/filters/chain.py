"""The order in which false-positive filters run, and the name of the one that dropped a value.

Every filter is a named predicate. Some apply to every rule (a placeholder is never a secret);
some only to generic rules, whose match has no provider prefix to vouch for it (a UUID assigned
to `token` is an id, to `api_key` a key; a string starting `ghp_` with a valid checksum is a token whatever it says).
Predicates that look at the line get the line's bytes. A hex digest's shape is judged with the
name the value is assigned to and the file's path (filters.context): under a secret's name it is a
key. Low-confidence rules (weak passwords, for audits) keep words: `gorilla` is the weak password
they exist to find.
"""

from __future__ import annotations

from typing import Callable

from keystow.detect.filters import context, heuristics, placeholders, words

ValueFilter = Callable[[str], bool]
LineFilter = Callable[[str, bytes], bool]

EVERY_RULE: tuple[tuple[str, ValueFilter], ...] = (
    ("placeholder", placeholders.is_placeholder),
    ("template-reference", placeholders.is_templated),
    ("encrypted-blob", placeholders.is_encrypted),
    ("password-hash", placeholders.is_password_hash),
    ("repetitive", placeholders.is_fill),
    ("keyboard-run", placeholders.is_keyboard_run),
    ("hex-count", placeholders.is_hex_count),
    ("public-key-or-certificate", heuristics.is_public_key_or_certificate),
    ("base64-image", heuristics.is_base64_image),
)
GENERIC_ONLY: tuple[tuple[str, ValueFilter], ...] = (
    ("hex-digest", placeholders.is_integrity_value),
    ("dummy-word", placeholders.is_dummy_word),
    ("prose", words.is_prose),
    ("identifier", words.is_identifier),
    ("file-path", heuristics.is_file_path),
    ("bad-checksum-token", heuristics.is_token_with_bad_checksum),
    ("code-expression", heuristics.is_code_expression),
    ("url-without-credentials", heuristics.is_url_without_credentials),
    ("regex-pattern", heuristics.is_regex_pattern),
    ("encoded-dummy", heuristics.is_encoded_dummy),
)
EVERY_RULE_IN_CONTEXT: tuple[tuple[str, LineFilter], ...] = (
    ("base64-image", heuristics.is_base64_image),
    ("marked-encrypted", heuristics.is_marked_encrypted),
)
GENERIC_IN_CONTEXT: tuple[tuple[str, LineFilter], ...] = (
    ("lockfile-integrity", heuristics.is_lockfile_integrity),
    ("public-key-or-certificate", heuristics.is_public_key_or_certificate),
)

# Line filters a secret's name overrides: `{"api_key": "...", "integrity": "sha512-..."}` on one
# line holds a key beside a digest.
JUDGED_BY_NAME = frozenset(("lockfile-integrity",))

# Filters a low-confidence rule skips: a weak password is a word (`gorilla`, `hunter22`) or a
# keyboard run (`qwerty12`) ...
KEPT_WHEN_WEAK = frozenset(("dummy-word", "prose", "keyboard-run"))
# ... or a placeholder padded to pass a password policy (`changeme1`; see placeholders.PADDED_DEFAULT) ...
# ... but not one of the words a schema, a form or a doc puts where a password goes (prose names a
# flag too: "via the --username and --password options").
NOT_A_WEAK_PASSWORD = frozenset(("password", "passwd", "passphrase", "secret", "string", "required", "optional",
                                 "boolean", "integer", "number", "undefined", "default", "hidden", "masked",
                                 "sensitive", "redacted", "nullable", "unknown", "invalid", "missing",
                                 "option", "options", "argument", "arguments", "parameter", "parameters",
                                 "instead", "prompt"))


def filter_reason(secret: str, line: bytes = b"", generic: bool = False, name: bytes = b"", path: str = "",
                  weak: bool = False) -> str | None:
    """The name of the first filter that says `secret` is not a secret, or None to keep it.

    `name`: the matched text before the value (its key or variable name); `path`: the file's;
    `weak`: the rule reports weak values at low confidence."""
    for reason, predicate in EVERY_RULE:
        if predicate(secret) and not (weak and _weak_password_despite(reason, secret)):
            return reason
    if line:
        for reason, line_predicate in EVERY_RULE_IN_CONTEXT:
            if line_predicate(secret, line):
                return reason
        if context.is_example_host_credential(secret, line):
            return "example-host"
        if context.is_doc_comment_placeholder(secret, line, path):
            return "doc-comment-placeholder"
    if weak and secret.lower() in NOT_A_WEAK_PASSWORD:
        return "schema-word"
    if context.is_sdk_api_example(path):  # documentation, even when a value has a provider's shape
        return "sdk-api-example"
    if not generic:
        return None
    if placeholders.is_uuid(secret) and not context.names_a_uuid_credential(name):
        return "uuid"  # an id, unless its name says key (UUID_CREDENTIAL_NAME)
    for reason, predicate in GENERIC_ONLY:
        if predicate(secret) and not (weak and _weak_password_despite(reason, secret)):
            return reason
    if placeholders.is_hex_digest_shape(secret) and context.digest_by_context(name, path):
        return "hex-digest"
    if context.names_an_expectation(name):
        return "test-expectation"
    if context.names_a_page_cursor(name):
        return "page-cursor"
    if context.names_a_csrf_token(name):
        return "csrf-token"
    if context.names_a_published_token(name, secret):
        return "published-token"
    if line:
        for reason, line_predicate in GENERIC_IN_CONTEXT:
            if line_predicate(secret, line) and (reason not in JUDGED_BY_NAME or context.digest_by_context(name, path)):
                return reason
    return None


def _weak_password_despite(reason: str, secret: str) -> bool:
    """Whether a value the filter `reason` drops is, for a low-confidence rule, a weak password."""
    return reason in KEPT_WHEN_WEAK or (reason == "placeholder" and placeholders.is_padded_default(secret))

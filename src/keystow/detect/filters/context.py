"""Context over shape: what the name a value is assigned to, and the file it is in, say about it.

A 64-hex value is a SHA-256 by its shape, and `secrets.token_hex(32)` by its name: under
`SECRET_KEY` it is a key, under `sha256`, `checksum` or `commit` (or in a lock file, whatever the
key is called) a digest. The shape alone decides only when there is no name to read.
"""

from __future__ import annotations

import posixpath
import re

from keystow.detect.filters.placeholders import WORDY

# Names for digests, content hashes and revisions (`file_sha256`, `etag`, `git_rev`, `commitId`).
DIGEST_NAME = re.compile(rb"sha(?:1|224|256|384|512)?(?![a-z])|md5|checksum|digest|integrity|hash|etag"
                         rb"|commit|(?<![a-z])rev(?:ision)?(?![a-z])|fingerprint|(?<![a-z])oid(?![a-z])",
                         re.I)
# A test's expected value (`expected_password`, `EXPECTED_TOKEN`, `expectedApiKey`): what the code
# under test should produce from fixtures, not a credential anyone uses.
EXPECTATION_NAME = re.compile(rb"^[$@:]?(?:self\.|this\.)?expected(?:[_.-]|[A-Z])", re.I)
# Paging cursors an API hands back (`NextToken`, `nextPageToken`, `continuation_token`,
# `paginationToken`): opaque, often base64, under a name that says "token", and no credential.
PAGE_CURSOR_NAME = re.compile(
    rb"(?:next|page|continuation|pagination|sync|resume)[_.-]?(?:page[_.-]?)?token[\"']?\s*[:=]?\s*$", re.I)
# Anti-forgery tokens (`csrf_token`, `_xsrf`-style `xsrfToken`, Rails' `authenticity_token` in a
# hidden form field): a per-session nonce the server renders into every page, not a credential.
# Only the token's own name: `WTF_CSRF_SECRET_KEY` signs those nonces and is a secret.
CSRF_TOKEN_NAME = re.compile(rb"(?:csrf|xsrf|authenticity)[_.-]?token(?![_.-]?(?:secret|key|salt))", re.I)
# Names that hold a credential whatever its shape: many providers issue UUIDs as keys (Heroku,
# npm's legacy tokens, Scaleway, Elastic Email, Upstash, Keycloak client secrets). `api_key`,
# `SECRET_KEY`, `client_secret`, `_authToken`, `access_token`, an env-style `NPM_TOKEN`; not a bare
# `key` or `token` (`idempotency_key`, `ClientToken`, `csrf_token`: ids and nonces written as UUIDs).
UUID_CREDENTIAL_NAME = re.compile(rb"(?:api[_.-]?key|secret[_.-]?key|secret|auth[_.-]?token|api[_.-]?token"
                                  rb"|access[_.-]?token)$", re.I)
ENV_TOKEN_NAME = re.compile(rb"(?<![A-Za-z0-9])(?!(?:CSRF|XSRF|CLIENT|SESSION|REQUEST|IDEMPOTENCY|PAGE|NEXT)_)"
                            rb"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_TOKEN$")
# Domain-ownership verification tokens are published in DNS (a TXT record anyone can look up):
# `domain_verification_token`, `site-verification`, and AWS SES's `VerificationToken` (the API
# member's PascalCase; SES tokens are base64 of 32 bytes). Slack's `verificationToken`/
# `VerificationToken` (slack-go) is a credential, but 24 letters and digits: never SES's shape.
PUBLISHED_TOKEN_NAME = re.compile(rb"(?:domain|site|dns)[_.-]?verification(?:[_.-]?(?:token|code|key|record))?$", re.I)
SES_TOKEN_NAME = re.compile(rb"(?<![A-Za-z])VerificationToken$")
SES_TOKEN = re.compile(r"^[A-Za-z0-9+/]{43}=$")
# The request/response examples AWS SDKs ship with their API models (botocore `examples-1.json`,
# aws-sdk-js `*.examples.json`): documentation, installed into every site-packages and node_modules.
SDK_API_EXAMPLE = re.compile(r"(?:^|/)(?:examples-\d+|[\w.-]+\.examples)\.json$")
# Dependency lock files: every hex string in them is a digest or a pinned revision.
LOCK_FILES = frozenset((
    "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "poetry.lock",
    "pipfile.lock", "pdm.lock", "uv.lock", "cargo.lock", "go.sum", "gemfile.lock", "composer.lock",
    "packages.lock.json", "podfile.lock", "package.resolved", "mix.lock", "pubspec.lock", "flake.lock",
    "gradle.lockfile", "conan.lock", "requirements.lock", ".terraform.lock.hcl",
))


# Where made-up tokens live: test modules by their naming conventions, and test/fixture directories.
TEST_FILE = re.compile(
    r"(?:^|/)(?:tests?|__tests__|spec|specs|fixtures?|testdata|test-data)/"
    r"|(?:^|/)test_[^/]*\.py$|_test\.(?:py|go|rb|exs?)$|_spec\.rb$"
    r"|\.(?:spec|test)\.(?:[cm]?[jt]sx?)$|(?:Test|Tests|Spec)\.(?:java|kt|cs|scala|swift)$",
)


def is_test_file(path: str) -> bool:
    """`test_api.py`, `client_test.go`, `login.spec.ts`, `UserTest.java`, anything under `tests/`
    or `fixtures/`: a file whose tokens are usually made up for the test."""
    return bool(TEST_FILE.search(path.replace("\\", "/")))


def is_lock_file(path: str) -> bool:
    """`package-lock.json`, `go.sum`, `Cargo.lock`, ... anywhere in the tree (case-insensitive)."""
    return posixpath.basename(path.replace("\\", "/")).lower() in LOCK_FILES


def names_a_digest(name: bytes) -> bool:
    """The text before a value (its key or variable name) calls it a digest or a revision."""
    return bool(DIGEST_NAME.search(name))


def names_a_page_cursor(name: bytes) -> bool:
    """The value's name ends in a paging cursor's (`"NextToken": `, `nextPageToken =`)."""
    return bool(PAGE_CURSOR_NAME.search(name.rstrip(b" \t\"'`")))


def names_a_csrf_token(name: bytes) -> bool:
    """The value's name is an anti-forgery token's (`name="authenticity_token" value="`, `csrf_token =`)."""
    return bool(CSRF_TOKEN_NAME.search(name))


def names_a_published_token(name: bytes, secret: str) -> bool:
    """A DNS verification token: published in a TXT record, so no secret (`"VerificationToken": "..."`)."""
    name = name.rstrip(b" \t\"'`:=>,")
    if PUBLISHED_TOKEN_NAME.search(name):
        return True
    return bool(SES_TOKEN_NAME.search(name)) and bool(SES_TOKEN.match(secret))


def names_a_uuid_credential(name: bytes) -> bool:
    """The value's name says credential even for a UUID (`API_KEY=`, `"_authToken": "`, `NPM_TOKEN="`)."""
    name = name.rstrip(b" \t\"'`:=>,")
    return bool(UUID_CREDENTIAL_NAME.search(name) or ENV_TOKEN_NAME.search(name))


def is_sdk_api_example(path: str) -> bool:
    return bool(SDK_API_EXAMPLE.search(path.replace("\\", "/")))


def names_an_expectation(name: bytes) -> bool:
    return bool(EXPECTATION_NAME.match(name.lstrip()))


# Hosts that only ever appear in documentation and local setups (RFC 2606/6761 names, loopback).
EXAMPLE_HOST = re.compile(r"^(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|localhost|test|invalid)(?::\d+)?$"
                          r"|^(?:127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::\d+)?$", re.I)
# An obvious made-up password: a word or two, maybe digits or a `!` after (`admin123`, `mypassword`,
# `postgres`), nothing random.
WORDY_PASSWORD = WORDY
DOC_FILE = re.compile(r"\.(?:md|markdown|rst|txt|adoc|asciidoc|textile|org)$", re.I)
COMMENT_LINE = re.compile(rb"^\s*(?:#|//|--|;|\*|/\*|<!--|%|rem\b|>)", re.I)


def is_example_host_credential(secret: str, line: bytes) -> bool:
    """`https://admin:admin123@localhost:8080`, `postgres://app:secret1@db.example.com/app`: a
    made-up password for a host that only exists in docs and local setups."""
    if not WORDY_PASSWORD.match(secret):
        return False
    text = line.decode("utf-8", "replace")
    at = text.find(":" + secret + "@")
    if at < 0:
        return False
    host = re.match(r"[\w.:\[\]-]*", text[at + len(secret) + 2:])  # up to `/`, a quote, a backtick
    return host is not None and bool(EXAMPLE_HOST.match(host.group(0)))


def is_doc_comment_placeholder(secret: str, line: bytes, path: str) -> bool:
    """A wordy password on a comment line of a documentation file (`# password: mypassword` in a
    README's code block): an illustration, not a credential."""
    return bool(DOC_FILE.search(path)) and bool(COMMENT_LINE.match(line)) and bool(WORDY_PASSWORD.match(secret))


NAME_LETTER = re.compile(rb"[A-Za-z]")  # `: "` before a value (a rule matched from its operator) is no name


def digest_by_context(name: bytes, path: str) -> bool:
    """Whether a value shaped like a hex digest should be taken for one: no name to read (the
    shape is all there is), a digest's name, or a lock file."""
    return not NAME_LETTER.search(name) or names_a_digest(name) or is_lock_file(path)

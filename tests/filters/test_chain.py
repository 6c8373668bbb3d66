"""The filter chain: which filters apply to every rule, which only to generic ones."""

from __future__ import annotations

import base64

import pytest

from keystow.detect.filters.chain import filter_reason
from testing.fakes import Fakes


def test_names_the_filter_that_dropped_a_value():
    assert filter_reason("${TOKEN}") == "template-reference"
    assert filter_reason("changeme") == "placeholder"


def test_generic_only_filters_do_not_touch_provider_tokens():
    uuid = "123e4567-e89b-12d3-a456-426614174000"
    assert filter_reason(uuid, generic=False) is None
    assert filter_reason(uuid, generic=True) == "uuid"


def test_line_context_is_used_for_generic_rules():
    value = Fakes(3).aws_secret_access_key()
    line = b'"integrity": "sha512-' + value.encode() + b'"'
    assert filter_reason(value, line, generic=True) == "lockfile-integrity"
    assert filter_reason(value, line, generic=False) is None


def test_a_real_token_is_kept():
    token = Fakes(5).github_token()
    assert filter_reason(token, b'token = "' + token.encode() + b'"', generic=False) is None


def test_generated_credentials_pass_every_filter():
    """Guards recall: no filter may drop well-formed random credentials, whatever letters they hold."""
    fakes = Fakes(17)
    makers = (fakes.github_token, fakes.slack_bot_token, fakes.stripe_live_key, fakes.aws_access_key_id,
              fakes.aws_secret_access_key, fakes.jwt, lambda: fakes.pem_private_key("RSA"),
              lambda: fakes.crc32_token("npm"))
    dropped = [(make, reason) for make in makers for _ in range(40)
               if (reason := filter_reason(make(), b"", generic=False))]
    assert dropped == []
    passwords = [fakes.password(18) for _ in range(500)]
    reasons = [filter_reason(p, b'password = "' + p.encode() + b'"', generic=True) for p in passwords]
    # a random password holds a dummy word ("test", "fake", ...) now and then; nothing else drops one
    assert {r for r in reasons if r} <= {"dummy-word"} and reasons.count("dummy-word") <= 2


def test_paging_cursors_and_sdk_api_examples_are_not_credentials():
    """Seen on real code (botocore, aws-sdk-js): `"NextToken": "U2FsdGVk..."` is a page cursor,
    and the API models' example files are documentation; a token under another name is kept."""
    cursor = Fakes(5).chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40)
    assert filter_reason(cursor, generic=True, name=b'"NextToken": "') == "page-cursor"
    assert filter_reason(cursor, generic=True, name=b"nextPageToken = '") == "page-cursor"
    assert filter_reason(cursor, generic=True, name=b'"authToken": "') is None
    assert filter_reason(cursor, generic=True, name=b'"RawSecretAccessKey": "',
                         path="aws-sdk/apis/kms-2014-11-01.examples.json") == "sdk-api-example"
    assert filter_reason(cursor, generic=True, name=b'"RawSecretAccessKey": "', path="config/settings.json") is None


def test_anti_forgery_tokens_are_nonces_but_their_signing_key_is_a_secret():
    """Rails renders `authenticity_token` into every form; a CSRF token is a per-session nonce.
    The key that signs them (`WTF_CSRF_SECRET_KEY`) and ordinary token names stay findings."""
    nonce = Fakes(7).chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 86)
    assert filter_reason(nonce, generic=True, name=b'name="authenticity_token" value="') == "csrf-token"
    assert filter_reason(nonce, generic=True, name=b'csrf_token = "') == "csrf-token"
    assert filter_reason(nonce, generic=True, name=b'"xsrfToken": "') == "csrf-token"
    assert filter_reason(nonce, generic=True, name=b'WTF_CSRF_SECRET_KEY = "') is None
    assert filter_reason(nonce, generic=True, name=b'"authToken": "') is None
    assert filter_reason(nonce, generic=False, name=b'csrf_token = "') is None  # provider shapes are judged by shape


def test_a_dunder_constant_is_an_identifier():
    assert filter_reason("__WEBPACK_MODULE_REFERENCE__", generic=True) == "identifier"


def test_sdk_api_examples_are_documentation_for_every_rule_and_type_unions_are_names():
    jwt = Fakes(6).jwt()
    assert filter_reason(jwt, path="aws-sdk/apis/sso-oidc-2019-06-10.examples.json") == "sdk-api-example"
    assert filter_reason(jwt, path="app/session.json") is None
    assert filter_reason("Buffer|Uint8Array|Blob|string;", generic=True) == "identifier"


def test_a_pair_of_encoded_dummies_is_a_dummy():
    assert filter_reason("enhjdg==|MTIzNA==", generic=True) == "encoded-dummy"
    secret = Fakes(8).chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24)
    assert filter_reason(f"enhjdg==|{secret}", generic=True) is None


@pytest.mark.parametrize("value", ["changeme1", "Changeme123!", "CHANGEME2024", "change_me_42", "ChangeMe!"])
def test_a_padded_placeholder_is_a_weak_password_only_to_an_audit(value):
    """Someone padded the slot's word to pass a password policy: the account exists (see
    placeholders.PADDED_DEFAULT). An audit reports it; the default run still drops it."""
    assert filter_reason(value, generic=True) == "placeholder"
    assert filter_reason(value, generic=True, weak=True) is None


@pytest.mark.parametrize("value", ["changeme", "Changeme", "CHANGE_ME", "change-me", "changeme_in_production",
                                   "your_password1", "<password>"])
def test_a_bare_placeholder_stays_a_placeholder_even_to_an_audit(value):
    assert filter_reason(value, generic=True, weak=True) == "placeholder"


def test_a_hex_count_drops_provider_shaped_fillers_too():
    assert filter_reason("0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab") == "hex-count"
    assert filter_reason("dapi123456789abcdef123456789abcdef00", weak=True) == "hex-count"


def test_a_keyboard_run_is_a_weak_password_and_a_fill_is_not():
    assert filter_reason("qwerty12", generic=True) == "keyboard-run"
    assert filter_reason("qwerty12", generic=True, weak=True) is None
    assert filter_reason("12345678", generic=True, weak=True) is None
    assert filter_reason("aaaaaaaa", generic=True, weak=True) == "repetitive"
    assert filter_reason("abababab", generic=True, weak=True) == "repetitive"


def test_a_dns_verification_token_is_published_not_secret():
    """Seen on real code (moto's SES): `"VerificationToken": "<base64 of 32 bytes>"` is the TXT
    record that proves a domain; Slack's verification token (24 letters and digits, slack-go's
    `VerificationToken:`) and the same value under another name are kept."""
    fakes = Fakes(41)
    ses = base64.b64encode(fakes.rng.randbytes(32)).decode()
    assert filter_reason(ses, generic=True, name=b'{"VerificationToken": "') == "published-token"
    assert filter_reason(ses, generic=True, name=b"domain_verification_token = '") == "published-token"
    assert filter_reason(ses, generic=True, name=b'"signingToken": "') is None
    assert filter_reason(ses, generic=True, name=b'"EmailVerificationToken": "') is None
    slack = fakes.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24)
    assert filter_reason(slack, generic=True, name=b"VerificationToken: \"") is None
    assert filter_reason(slack, generic=True, name=b"SLACK_VERIFICATION_TOKEN=") is None

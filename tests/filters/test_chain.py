"""The filter chain: which filters apply to every rule, which only to generic ones."""

from __future__ import annotations

from keystow.fakes import Fakes
from keystow.filters.chain import filter_reason


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

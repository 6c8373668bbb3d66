"""Words and names where a value should be: prose, i18n labels, identifiers, qualified names."""

from __future__ import annotations

import pytest

from keystow.detect.filters import words as w
from testing.fakes import Fakes


@pytest.mark.parametrize("value", ["Please enter your password", "Mot de passe oublié", "Contraseña",
                                   "Passwort", "Das Passwort ist falsch!", "description"])
def test_prose_and_i18n(value):
    assert w.is_prose(value)


@pytest.mark.parametrize(
    "value", ["user_password", "API_TOKEN_HEADER", "clientSecret", "auth.token", "ExpiredTokenException", "API_TOKEN_2"]
)
def test_identifier(value):
    assert w.is_identifier(value)


@pytest.mark.parametrize("value", ["NSURLCredentialStorage", "ASAuthorizationSingleSignOnProvider",
                                   "ExclusiveStartShardId", "DistributionList.NextMarker", "rfc3161.TimeStampToken",
                                   "ASLLexer.PASS"])
def test_camel_case_and_dotted_names(value):
    assert w.is_identifier(value)


def test_random_letters_are_rarely_taken_for_names():
    fakes = Fakes(18)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    assert sum(w.is_identifier(fakes.chars(letters, 16)) for _ in range(1000)) < 30


@pytest.mark.parametrize("value", ["ConstraintViolationError", "instrumentationLibrary", "cfgDatabaseOptions",
                                   "dbgSymbolTable", "ObstructedViewError"])
def test_long_words_and_abbreviated_prefixes_are_names(value):
    """Seen on real code (Babel's `OverconstrainedError`, pygments' `sfntCMapEncoding`): English
    holds four consonants in a row in a long word, and C names open with a lowercase abbreviation."""
    assert w.is_identifier(value)


def test_random_letters_after_a_short_prefix_are_not_names():
    fakes = Fakes(19)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    # random letters pass for camel-case words ~1.5% of the time; after a prefix ~3%
    assert sum(w.is_identifier("cfg" + fakes.chars(letters, 13)) for _ in range(1000)) < 40
    assert not w.is_identifier("cfgXkqTrvWzpLm")

"""Words and names where a value should be: prose and i18n labels, identifiers, qualified names.

A generic rule sees `password = "Please enter your password"` or `"secret": "clientSecret"`; these
predicates tell words and names from random strings by their shape (vowels, camel-case parts, no
long consonant runs), never by a dictionary.
"""

from __future__ import annotations

import re

PROSE = re.compile(r"^[^\W\d_]+(?:[\s'’,-]+[^\W\d_]+)+[\s.!?:…]*$")
LABEL_WORD = re.compile(r"^(?:[A-Z][a-z]+|[^\W\d_]*[^\x00-\x7f][^\W\d_]*)$")
QUALIFIED_NAME = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*\.)+(?P<last>[A-Za-z]{4,})$")
CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
SHORT_WORDS = frozenset("Id Io Ip Db Os Ui Ok To Of On In At By Is As Or No Up My Do Go".split())
VOWEL = re.compile(r"[aeiouyAEIOUY]")
CONSONANT_RUN = re.compile(r"[^aeiouyAEIOUY]{4}")
# Long words hold four consonants in a row (`Overconstrained`, `instrumentation`, `Strengths`);
# five, or four in a short part, read as random letters.
LONG_PART = 8
LONG_CONSONANT_RUN = re.compile(r"[^aeiouyAEIOUY]{5}")
# A lowercase abbreviation opening a camel-case name (`sfntCMapEncoding`, `gssCredential`), read as
# an uppercase acronym is elsewhere in one: three or four consonants, so that random letters (a
# lowercase letter or two before a capital) rarely pass for one.
NAME_PREFIX = re.compile(r"^[bcdfghjklmnpqrstvwxz]{3,4}(?=[A-Z])")
# A TypeScript union of type names (`type MqttPassword = Buffer|Uint8Array|Blob|string;`).
TYPE_UNION = re.compile(r"^[A-Za-z_]\w{0,30}(?:\|[A-Za-z_]\w{0,30})+;?$")
IDENTIFIER = re.compile(r"^(?:[a-z]+(?:[_.-][a-z]+)+|_{0,2}[A-Z]+(?:_[A-Z]+)+(?:_[0-9]{1,3})?_{0,2}"
                        r"|[A-Za-z]+(?:-[A-Za-z]+)+)$")


def is_prose(secret: str) -> bool:
    """Words, not a credential: `Please enter your password`, `Mot de passe oublié`, `Passwort`,
    `description`."""
    return bool(PROSE.match(secret) or LABEL_WORD.match(secret)) or (secret.isalpha() and _is_word(secret))


def is_identifier(secret: str) -> bool:
    """A name, not a value: `user_password`, `API_TOKEN_HEADER`, `clientSecret`, `NSURLCredentialStorage`,
    `DistributionList.NextMarker`."""
    if IDENTIFIER.match(secret) or TYPE_UNION.match(secret):
        return True
    qualified = QUALIFIED_NAME.match(secret)  # `rfc3161.TimeStampToken`, `EngineDefaults.Marker`
    if qualified:
        last = qualified.group("last")
        return _is_word(last) or last.isupper() or _is_camel_case_words(last)  # `ASLLexer.PASS`: a constant
    return _is_camel_case_words(secret)


def _is_word(text: str) -> bool:
    """One lowercase or capitalised word that reads like one (vowels, no long consonant run)."""
    return ((text.islower() or text.istitle()) and not CONSONANT_RUN.search(text)
            and len(VOWEL.findall(text)) >= 0.3 * len(text))


def _is_camel_case_words(secret: str) -> bool:
    """Letters only, and every camel-case part a word or a short acronym (random letters are not)."""
    if not secret.isalpha() or not secret.isascii() or len(secret) < 8:
        return False
    parts = CAMEL_PART.findall(secret)
    if len(parts) < 2 or "".join(parts) != secret:
        return False
    prefix = NAME_PREFIX.match(secret)  # its own camel-case part: the first
    words = [part for part in parts[1 if prefix else 0:] if not (part.isupper() and len(part) <= 4)]
    words = [word for word in words if word not in SHORT_WORDS]
    if not words or not all(len(word) >= 3 and _reads_as_word(word) for word in words):
        return False
    letters = "".join(words)
    if prefix and (len(words) < 2 or len(letters) < 8):  # the prefix's pass needs real words after it
        return False
    return len(VOWEL.findall(letters)) >= 0.3 * len(letters)  # words ~40% vowels, random letters ~23%


def _reads_as_word(part: str) -> bool:
    """No run of consonants longer than a word of its length has."""
    long_word = len(part) >= LONG_PART and not part.isupper()
    return not (LONG_CONSONANT_RUN if long_word else CONSONANT_RUN).search(part)

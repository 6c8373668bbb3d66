"""Shannon entropy, and what it should be for a random value of the same length and character set.

A fixed threshold cannot serve every value a generic rule sees: 14 random printable characters
score ~3.7 bits per character on average and often under 3.5, while 64 random base64 characters
score ~5.2. So a generic rule's `entropy` is the bar, except that a value with punctuation (a
password's character set, or a `+`) is held to what random text of its length and character set
scores, less a margin, when that is lower (from 12 characters up: `entropy_threshold`).
"""

import math
from collections import Counter
from functools import lru_cache

HEX = frozenset("0123456789abcdefABCDEF")
ALPHANUMERIC = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
BASE64 = ALPHANUMERIC | frozenset("+/=_-")
PRINTABLE_SIZE = 95  # printable ASCII, space included
# How far under the random expectation a value may score: about the 5th percentile of random
# strings of 8-64 characters in each character set (measured by sampling, see the tests).
RANDOM_MARGIN = 0.4
# Below this length the bar is not relaxed: any 8 distinct characters score 3.0, so short code
# fragments (`{values[`) would pass, and entropy tells little about so few characters anyway.
# From 12 characters up the relaxed bar is 3.07 or more: words (`password` 2.75) still fail.
MIN_RELAXED_LENGTH = 12


def shannon_entropy(text: str) -> float:
    """Bits per character of `text` (0.0 for empty text)."""
    if not text:
        return 0.0
    length = len(text)
    return -sum(n / length * math.log2(n / length) for n in Counter(text).values())


def charset_size(text: str) -> int:
    """The size of the smallest of hex, alphanumeric, base64 or printable ASCII holding `text`."""
    characters = set(text)
    if characters <= HEX:
        return 16
    if characters <= ALPHANUMERIC:
        return 62
    if characters <= BASE64:
        return 64
    return PRINTABLE_SIZE


@lru_cache(maxsize=4096)
def random_entropy(length: int, alphabet: int) -> float:
    """The expected Shannon entropy of `length` characters drawn uniformly from `alphabet`.

    Each symbol's count c is Binomial(length, 1/alphabet), so the expectation of the empirical
    entropy, log2(n) - (alphabet / n) * E[c * log2 c], is exact from the binomial probabilities
    (computed in log space: the coefficients of long values overflow a float).
    """
    log_p, log_q = math.log(1 / alphabet), math.log(1 - 1 / alphabet)
    log_n_factorial = math.lgamma(length + 1)
    expected_c_log_c = 0.0
    for c in range(2, length + 1):
        log_pmf = (log_n_factorial - math.lgamma(c + 1) - math.lgamma(length - c + 1)
                   + c * log_p + (length - c) * log_q)
        expected_c_log_c += math.exp(log_pmf) * c * math.log2(c)
    return math.log2(length) - alphabet * expected_c_log_c / length


def entropy_threshold(rule_threshold: float, value: str) -> float:
    """The bar `value` must reach: the rule's; for a value of MIN_RELAXED_LENGTH or more with
    punctuation beyond base64's, or a base64 value holding a `+`, what random text of its length
    and character set scores less RANDOM_MARGIN when that is lower.

    Only those are relaxed. Hex, alphanumeric and other base64 values keep the rule's bar:
    relaxed, they let in identifiers (`sourceName`, `tokenstring`) and short hex ids by the
    hundred on real code (bench/quality/realcode.py: 13 findings became ~390), while symbols
    such as `%`, `@`, `^` or `!` rarely appear in anything but a password, nor does a `+` in
    anything but a password or a key (no identifier, hex id or path holds one; site-packages:
    5 findings before and after). A password drawn from symbols and letters lands in base64's
    set now and then (`+` its only symbol) and needs the same bar as its siblings.
    """
    size = charset_size(value)
    if len(value) < MIN_RELAXED_LENGTH or not (size == PRINTABLE_SIZE or (size == 64 and "+" in value)):
        return rule_threshold
    return min(rule_threshold, random_entropy(len(value), size) - RANDOM_MARGIN)

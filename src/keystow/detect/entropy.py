"""Shannon entropy: random-looking values score high, words and repeats score low."""

import math
from collections import Counter


def shannon_entropy(text: str) -> float:
    """Bits per character of `text` (0.0 for empty text)."""
    if not text:
        return 0.0
    length = len(text)
    return -sum(n / length * math.log2(n / length) for n in Counter(text).values())

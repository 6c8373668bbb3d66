"""Credentials that providers publish in their documentation (the AWS documentation keys, the
jwt.io sample token, the Azurite account key, Stripe's sample test key, ...): data/public-examples.yaml.

A value found there is public and grants nothing: it is reported as informational (confidence
low, never failing a run), with the address that publishes it, instead of as a leak or of being
dropped silently as a placeholder.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "public-examples.yaml"


class PublicExamples(NamedTuple):
    by_value: dict[str, str]  # exact value -> source
    patterns: tuple[tuple[re.Pattern[str], str], ...]  # (whole-value pattern, source)

    def source_of(self, secret: str) -> str | None:
        found = self.by_value.get(secret)
        if found is not None:
            return found
        return next((source for pattern, source in self.patterns if pattern.fullmatch(secret)), None)


def public_example_source(secret: str) -> str | None:
    """Where `secret` is published as a documentation example, or None."""
    return published().source_of(secret)


@functools.cache
def published() -> PublicExamples:
    """The data file, read once per process, on the first candidate finding (never on a clean hook run)."""
    # late: yaml is on the hook's no-import list; only a candidate finding needs this file
    import yaml

    return parse(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))


def parse(document: dict) -> PublicExamples:
    by_value: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for entry in document["examples"]:
        if "value" in entry:
            by_value[entry["value"]] = entry["source"]
        else:
            patterns.append((re.compile(entry["pattern"]), entry["source"]))
    return PublicExamples(by_value, tuple(patterns))

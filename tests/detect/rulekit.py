"""Small hand-written rule sets for engine and scanner tests (independent of rules/*.yaml)."""

from __future__ import annotations

import string

from keystow.detect.ruleset import RuleSet, parse_rule
from testing.fakes import Fakes


def rule(rule_id: str, regex: str, **extra) -> dict:
    return {"id": rule_id, "name": rule_id, "severity": "high", "regex": regex,
            "examples": ["x"], "negative_examples": ["y"], **extra}


def ruleset(*raws: dict) -> RuleSet:
    return RuleSet(tuple(parse_rule(raw, "<test>") for raw in raws))


DEMO = rule("demo-token", r"\b(?P<secret>dmo_[a-z0-9]{20})\b", keywords=["dmo_"])
GENERIC = rule("generic-password", r"""password\s*[:=]\s*["'](?P<secret>[^"'\s]{8,})["']""",
               kind="generic", keywords=["password"], window=128)
GH = rule("gh-token", r"\b(?P<secret>ghp_[A-Za-z0-9]{36})\b", validator="github-crc32")

# Values built at run time: keystow's own sources hold no credential-shaped literal.
_fakes = Fakes(31)
PASSWORD = _fakes.password(14)
DEMO_TOKEN = "dmo_" + _fakes.chars(string.ascii_lowercase + string.digits, 20)
DEMO_TOKEN_2 = "dmo_" + _fakes.chars(string.ascii_lowercase + string.digits, 20)


# A minimal valid rule file, for the loader and schema tests.
VALID = """
rules:
  - id: demo-token
    name: Demo token
    severity: high
    keywords: [dmo_]
    regex: '\\b(?P<secret>dmo_[a-z0-9]{20})\\b'
    tags: [demo]
    examples: ['t = dmo_k3j4h5g6f7d8s9a0q1w2']
    negative_examples: ['t = dmo_short']
"""

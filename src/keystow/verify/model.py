"""A verification verdict: `active`, `inactive`, or `unknown` with the reason."""

from __future__ import annotations

from typing import NamedTuple

ACTIVE, INACTIVE, UNKNOWN = "active", "inactive", "unknown"


class Verdict(NamedTuple):
    status: str
    reason: str = ""

    def to_json(self) -> dict:
        return {"status": self.status, **({"reason": self.reason} if self.reason else {})}

    def label(self) -> str:
        return f"{self.status}: {self.reason}" if self.status == UNKNOWN and self.reason else self.status


def unknown(reason: str) -> Verdict:
    return Verdict(UNKNOWN, reason)

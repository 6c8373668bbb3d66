"""Score a tool's (file, line) findings against the labels: recall, precision, F1, per kind.

A finding matches a label when it is in the same file on the label's line (for a multi-line
secret such as a PEM block, on any line the block covers; further findings inside that block
are neither credited nor counted against the tool). A finding on a negative label, or on no
label at all, is a false positive. An audit label (a weak password such as `gorilla`: a real
leak that only a low-confidence audit is expected to report) is scored apart: a finding on it is
neither credited nor counted against the tool in recall/precision, and `audit` says how many of
them the tool found.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    recall_by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (hit, total)
    false_alarms_by_kind: Counter = field(default_factory=Counter)
    audit: tuple[int, int] = (0, 0)  # audit labels found, of total

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def line_index(labels: list[dict]) -> dict[tuple[str, int], int]:
    index = {}
    for number, label in enumerate(labels):
        for line in range(label["line"], label["line"] + label.get("span", 1)):
            index[(label["file"], line)] = number
    return index


def score(labels: list[dict], findings: set[tuple[str, int]]) -> Score:
    index = line_index(labels)
    hit: set[int] = set()
    result = Score()
    for place in sorted(findings):
        number = index.get(place)
        if number is None:
            result.fp += 1
            result.false_alarms_by_kind["unlabelled"] += 1
        elif not labels[number]["positive"]:
            result.fp += 1
            result.false_alarms_by_kind[labels[number]["kind"]] += 1
        else:
            hit.add(number)
    audits = [number for number, label in enumerate(labels) if label.get("audit")]
    result.audit = (sum(1 for number in audits if number in hit), len(audits))
    totals: Counter = Counter()
    hits: Counter = Counter()
    for number, label in enumerate(labels):
        if label["positive"] and not label.get("audit"):
            totals[label["kind"]] += 1
            hits[label["kind"]] += number in hit
    result.tp = sum(hits.values())
    result.fn = sum(totals.values()) - result.tp
    result.recall_by_kind = {kind: (hits[kind], totals[kind]) for kind in sorted(totals)}
    return result

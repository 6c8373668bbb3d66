"""Keyword audit: every string a rule's regex matches must contain one of its keywords.

The pure-`re` fallback engine skips a rule when none of its keywords occurs in the blob, so a
keyword list that misses a spelling the regex accepts (`aws.secret.access.key` vs
`secret_access_key`) makes the two engines disagree. This samples random strings from each regex
(bounded repeats, random case under (?i)), keeps those that match, and reports any match holding
none of the rule's keywords.

Usage:  python tools/rules/keyword_audit.py [SAMPLES]     (exit status 1 when a rule has a gap)
"""

from __future__ import annotations

import random
import re
import sys

from keystow.detect.ruleset import Rule, builtin_rule_files, load_rule_file

try:  # Python >= 3.11
    import re._constants as C  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

POOL = [chr(i) for i in range(32, 127)] + ["\n", "\t"]
SPACE = " \t\n\r\f\v"


def _in_class(ch: str, items: list) -> bool:
    for op, av in items:
        if op == C.LITERAL and ord(ch) == av:
            return True
        if op == C.RANGE and av[0] <= ord(ch) <= av[1]:
            return True
        if op == C.CATEGORY:
            if (av == C.CATEGORY_DIGIT and ch.isdigit()) or (av == C.CATEGORY_SPACE and ch in SPACE):
                return True
            if av == C.CATEGORY_WORD and (ch.isalnum() or ch == "_"):
                return True
            if av == C.CATEGORY_NOT_SPACE and ch not in SPACE:
                return True
    return False


def _case(ch: str, flags: int, rnd: random.Random) -> str:
    return ch.swapcase() if flags & re.I and rnd.random() < 0.5 else ch


def sample(tree, flags: int, rnd: random.Random, out: list[str]) -> None:
    """Append one random string matching the parsed pattern `tree` (anchors are ignored)."""
    for op, av in tree:
        if op == C.LITERAL:
            out.append(_case(chr(av), flags, rnd))
        elif op == C.NOT_LITERAL:
            out.append(rnd.choice([c for c in "aZ9_-. :=\"'/\n" if ord(c) != av]))
        elif op == C.ANY:
            out.append(rnd.choice("aZ9_-. :="))
        elif op == C.IN:
            negate = any(o == C.NEGATE for o, _ in av)
            out.append(_case(rnd.choice([c for c in POOL if _in_class(c, av) != negate]), flags, rnd))
        elif op == C.BRANCH:
            sample(rnd.choice(av[1]), flags, rnd, out)
        elif op == C.SUBPATTERN:
            _group, add, remove, sub = av
            sample(sub, (flags | add) & ~remove, rnd, out)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, high, sub = av
            high = low + 3 if high == C.MAXREPEAT else min(high, low + 3)
            for _ in range(rnd.randint(low, high)):
                sample(sub, flags, rnd, out)
        elif op == C.CATEGORY:
            out.append("a")
        elif op != C.AT:
            raise ValueError(f"unsupported regex construct {op}")


def gaps(rule: Rule, samples: int, rnd: random.Random) -> list[bytes]:
    keywords = [k.lower().encode() for k in rule.keywords]
    if not keywords:
        return []
    pattern = re.compile(rule.regex.encode())
    tree = sre_parse.parse(rule.regex)
    misses = []
    for _ in range(samples):
        out: list[str] = []
        sample(tree, tree.state.flags, rnd, out)
        try:
            match = pattern.search("".join(out).encode())
        except UnicodeEncodeError:
            continue
        if match and not any(k in match.group(0).lower() for k in keywords):
            misses.append(match.group(0))
    return misses


def main(argv: list[str]) -> int:
    samples = int(argv[1]) if len(argv) > 1 else 400
    rnd = random.Random(7)
    bad = 0
    for path in builtin_rule_files():
        for rule in load_rule_file(path):  # fragments expanded, as the scanner sees the regex
            misses = gaps(rule, samples, rnd)
            if misses:
                bad += 1
                print(f"{path.name}: {rule.id}: keywords {list(rule.keywords)} miss e.g. {misses[0][:80]!r}")
    print(f"rules with keyword gaps: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Findings: fingerprints depend on content only; redaction never shows enough to use."""

from __future__ import annotations

from keystow.findings import Finding, Location, fingerprint, group_by_secret, redact
from testing.fakes import Fakes


def make(secret: str, path: str, line: int, rule: str = "demo") -> Finding:
    return Finding(rule, "Demo", "high", secret, (Location(path, line, 1, line, 10),))


def test_fingerprint_is_independent_of_location():
    assert make("s3cr3t-value-1", "a.py", 1).fingerprint == make("s3cr3t-value-1", "b.py", 99).fingerprint


def test_fingerprint_depends_on_rule_and_secret():
    assert fingerprint("a", "x1") != fingerprint("b", "x1") != fingerprint("a", "x2")


def test_redaction_shows_at_most_four_characters_and_a_quarter():
    assert redact("abcdefghijklmnopqrstuvwxyz").startswith("abcd…#")
    assert redact("abcdefgh") == "ab…"
    assert redact("abc") == "…"


def test_redaction_tells_two_tokens_with_one_prefix_apart():
    fakes = Fakes(seed=21)
    first, second = fakes.github_token(), fakes.github_token()
    assert redact(first) != redact(second)
    assert redact(first) == redact(first) and redact(first).startswith(first[:4] + "…#")
    assert len(redact(first)) == 4 + 1 + 1 + 4


def test_redaction_keeps_the_asked_number_of_characters_up_to_a_quarter():
    secret = "abcdefghijklmnopqrstuvwxyz0123456789"
    assert redact(secret, 8).startswith("abcdefgh…#")
    assert redact(secret, 0).startswith("…#")
    assert redact(secret, 30).startswith(secret[:9] + "…")  # a quarter of 36


def test_group_by_secret_merges_locations_in_order():
    findings = [make("one-secret-x", f"f{i}.py", i) for i in range(5)] + [make("other-secret", "g.py", 1)]
    grouped = group_by_secret(findings)
    assert len(grouped) == 2
    assert [loc.path for loc in grouped[0].locations] == [f"f{i}.py" for i in range(5)]


def test_repr_never_contains_the_secret():
    assert "one-secret-x" not in repr(make("one-secret-x", "a.py", 1))


def test_equality_covers_what_was_found_not_the_cache_stand_ins():
    found = make("one-secret-x", "a.py", 1)
    from_cache = found.replace(known_fingerprint=found.fingerprint, known_redacted=found.redacted)
    assert from_cache == found and hash(from_cache) == hash(found)
    assert found.replace(locations=(Location("b.py", 1, 1, 1, 10),)) != found
    assert len({found, from_cache, make("other-secret", "a.py", 1)}) == 2


def test_replace_keeps_every_other_field():
    found = Finding("demo", "Demo", "high", "one-secret-x", (Location("a.py", 1, 1, 1, 10),), ("t",), "low")
    moved = found.replace(secret="two-secret-y")
    assert (moved.rule_id, moved.tags, moved.confidence, moved.locations) == ("demo", ("t",), "low", found.locations)
    assert moved.secret == "two-secret-y" and found.secret == "one-secret-x"

"""The incremental history cache: atomic, merging, owner-only, and never holding a secret."""

from __future__ import annotations

import json

from keystow.git.catfile import BINARY, CORRUPT, MISSING, TOO_LARGE, ReadProblem
from keystow.pipeline.blob_cache import BlobCache
from keystow.pipeline.blob_hits import Hit, Outcome

SECRET = "not-a-real-secret-value-0123456789"


def hit(fingerprint: str = "f" * 32) -> Hit:
    return Hit("aws-access-key-id", 3, 5, 3, 25, fingerprint, "not-…", "high", SECRET)


def test_round_trip_without_the_secret(tmp_path):
    cache = BlobCache.open(tmp_path, "digest", tmp_path)
    cache.put("a" * 40, Outcome())
    cache.put("b" * 40, Outcome(skip=ReadProblem(BINARY)))
    cache.put("c" * 40, Outcome((hit(),), scanned_bytes=10))
    cache.put("d" * 40, Outcome(skip=ReadProblem(MISSING)))  # read errors are retried, not cached
    cache.put("e" * 40, Outcome(skip=ReadProblem(TOO_LARGE, 5 << 20)))
    cache.put("f" * 40, Outcome(skip=ReadProblem(CORRUPT, detail="fatal: bad object")))
    cache.save()
    assert SECRET not in cache.path.read_text()
    again = BlobCache.open(tmp_path, "digest", tmp_path)
    assert again.get("a" * 40) == Outcome()
    assert again.get("b" * 40) == Outcome(skip=ReadProblem(BINARY))
    [cached] = again.get("c" * 40).hits
    assert (cached.secret, cached.fingerprint, cached.line) == ("", "f" * 32, 3)
    assert again.get("d" * 40) is None and again.get("f" * 40) is None
    assert again.get("e" * 40) == Outcome(skip=ReadProblem(TOO_LARGE, 5 << 20))


def test_skips_are_written_as_strings_and_read_back_typed(tmp_path):
    """On disk a skip stays the string older caches wrote ("binary", "too-large:<size>"); in
    memory it is a typed ReadProblem again."""
    cache = BlobCache.open(tmp_path, "digest", tmp_path)
    cache.put("a" * 40, Outcome(skip=ReadProblem(BINARY)))
    cache.put("b" * 40, Outcome(skip=ReadProblem(TOO_LARGE, 123)))
    cache.save()
    assert json.loads(cache.path.read_text())["skipped"] == {"a" * 40: "binary", "b" * 40: "too-large:123"}
    again = BlobCache.open(tmp_path, "digest", tmp_path)
    assert again.get("a" * 40) == Outcome(skip=ReadProblem(BINARY))
    assert again.get("b" * 40) == Outcome(skip=ReadProblem(TOO_LARGE, 123))


def test_two_writers_merge_instead_of_overwriting(tmp_path):
    first, second = BlobCache.open(tmp_path, "digest", tmp_path), BlobCache.open(tmp_path, "digest", tmp_path)
    first.put("a" * 40, Outcome())
    second.put("b" * 40, Outcome())
    first.save()
    second.save()
    merged = BlobCache.open(tmp_path, "digest", tmp_path)
    assert merged.get("a" * 40) is not None and merged.get("b" * 40) is not None
    assert [p.name for p in merged.path.parent.iterdir()] == [merged.path.name]  # no temp files left


def test_damaged_or_foreign_file_is_a_miss(tmp_path):
    cache = BlobCache.open(tmp_path, "digest", tmp_path)
    cache.path.parent.mkdir(parents=True)
    cache.path.write_text("{not json")
    assert BlobCache.open(tmp_path, "digest", tmp_path).get("a" * 40) is None
    cache.path.write_text(json.dumps({"format": "0", "clean": "a" * 40}))
    assert BlobCache.open(tmp_path, "digest", tmp_path).get("a" * 40) is None


def test_only_the_latest_digests_are_kept(tmp_path):
    import os

    names = []
    for index in range(6):
        cache = BlobCache.open(tmp_path, f"digest{index}", tmp_path)
        names.append(cache.path.name)
        cache.put("a" * 40, Outcome())
        cache.save()
        os.utime(cache.path, (1000 + index, 1000 + index))
    cache = BlobCache.open(tmp_path, "digest6", tmp_path)
    cache.put("a" * 40, Outcome())
    cache.save()
    kept = sorted(p.name for p in cache.path.parent.iterdir())
    assert kept == sorted([*names[3:], cache.path.name])

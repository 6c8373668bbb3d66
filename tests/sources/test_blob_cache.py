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


def test_skips_keep_the_on_disk_form_of_format_1(tmp_path):
    """Caches written before skips were typed ("binary", "too-large:<size>") still read, and
    what is written now reads the same, so upgrading keystow does not rescan a history."""
    cache = BlobCache.open(tmp_path, "digest")
    cache.path.parent.mkdir(parents=True)
    cache.path.write_text(json.dumps({"format": "1", "clean": "", "hits": {},
                                      "skipped": {"a" * 40: "binary", "b" * 40: "too-large:123",
                                                  "c" * 40: "too-large:lots", "d" * 40: "gone"}}))
    old = BlobCache.open(tmp_path, "digest")
    assert old.get("a" * 40) == Outcome(skip=ReadProblem(BINARY))
    assert old.get("b" * 40) == Outcome(skip=ReadProblem(TOO_LARGE, 123))
    assert old.get("c" * 40) is None and old.get("d" * 40) is None  # unreadable entries: a miss
    old.put("e" * 40, Outcome(skip=ReadProblem(TOO_LARGE, 9)))
    old.save()
    skipped = json.loads(old.path.read_text())["skipped"]
    assert skipped == {"a" * 40: "binary", "b" * 40: "too-large:123", "e" * 40: "too-large:9"}


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

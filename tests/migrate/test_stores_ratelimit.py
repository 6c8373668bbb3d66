"""The token bucket and backoff, on a fake clock (no sleeping)."""

from __future__ import annotations

import random

import pytest

from keystow.migrate.stores.pacing import Backoff, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_bucket_paces_to_the_rate():
    clock = Clock()
    bucket = TokenBucket(2.0, clock=clock, sleep=clock.sleep)
    for _ in range(11):
        bucket.acquire()
    assert clock.now == pytest.approx(5.0)  # first write free, then 2 per second
    assert bucket.expected_duration(11) == pytest.approx(5.0)


def test_throttling_halves_the_rate_and_success_wins_it_back():
    bucket = TokenBucket(10.0, clock=Clock())
    bucket.throttled()
    bucket.throttled()
    assert bucket.rate == pytest.approx(2.5)
    for _ in range(5):
        bucket.throttled()
    assert bucket.rate == pytest.approx(1.0)  # never below a tenth
    for _ in range(100):
        bucket.succeeded()
    assert bucket.rate == pytest.approx(10.0)


class Flaky(Exception):
    pass


def test_backoff_full_jitter_grows_and_caps():
    clock = Clock()
    backoff = Backoff(attempts=6, base=1.0, cap=4.0, sleep=clock.sleep, rng=random.Random(1))
    calls = []

    def call(attempt):
        calls.append(attempt)
        if attempt < 5:
            raise Flaky()
        return "done"

    assert backoff.run(call, lambda exc: isinstance(exc, Flaky)) == "done"
    assert calls == [0, 1, 2, 3, 4, 5]
    assert all(0 <= s <= min(4.0, 2 ** i) for i, s in enumerate(clock.slept))


def test_backoff_gives_up_and_does_not_retry_other_errors():
    clock = Clock()
    backoff = Backoff(attempts=3, sleep=clock.sleep)
    with pytest.raises(Flaky):
        backoff.run(lambda attempt: (_ for _ in ()).throw(Flaky()), lambda exc: True)
    assert len(clock.slept) == 2
    with pytest.raises(ValueError):
        backoff.run(lambda attempt: int("x"), lambda exc: isinstance(exc, Flaky))
    assert len(clock.slept) == 2

"""Pacing for bulk writes: a token bucket that slows down when AWS throttles, and exponential
backoff with full jitter for the errors botocore does not retry itself (SSM `TooManyUpdates`)
or has given up on.

PutParameter is throttled at a few requests per second per account and the limit is not
published, so keystow writes sequentially at a modest rate (default ~2/s for SSM) rather than
probing for the ceiling.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Callable, TypeVar

T = TypeVar("T")


class TokenBucket:
    """At most `rate` acquisitions per second on average, bursts up to `burst`.

    `throttled()` halves the current rate (down to a tenth of the configured rate); each
    `succeeded()` wins back a little, so the rate adapts to what the account allows."""

    def __init__(self, rate: float, burst: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.configured_rate = self.rate = rate
        self.burst = max(burst, 1.0)
        self._tokens = self.burst
        self._clock, self._sleep = clock, sleep
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            self._refill()
            if self._tokens < 1:
                self._sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1

    def throttled(self) -> None:
        self.rate = max(self.rate / 2, self.configured_rate / 10)

    def succeeded(self) -> None:
        self.rate = min(self.configured_rate, self.rate + self.configured_rate / 20)

    def expected_duration(self, n: int) -> float:
        """Seconds `n` acquisitions take at the configured rate (first burst free)."""
        return max(0.0, n - self.burst) / self.configured_rate

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now


class Backoff:
    """Retry a call on retryable errors, sleeping rand(0, min(cap, base * 2**attempt))."""

    def __init__(self, attempts: int = 8, base: float = 0.2, cap: float = 10.0,
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None) -> None:
        self.attempts, self.base, self.cap = attempts, base, cap
        self._sleep = sleep
        self._rng = rng or random.Random()

    def run(self, call: Callable[[int], T], retryable: Callable[[Exception], bool],
            on_retry: Callable[[], None] = lambda: None) -> T:
        """`call(attempt)`; the attempt number lets the caller tell a first try from a retry."""
        for attempt in range(self.attempts):
            try:
                return call(attempt)
            except Exception as exc:
                if attempt + 1 >= self.attempts or not retryable(exc):
                    raise
                on_retry()
                self._sleep(self._rng.uniform(0, min(self.cap, self.base * 2 ** attempt)))
        raise AssertionError("unreachable")


class Pacer:
    """Every write waits for a token; throttling errors back off, slow the bucket, and retry."""

    def __init__(self, writes_per_second: float, backoff: Backoff | None = None) -> None:
        self.bucket = TokenBucket(writes_per_second)
        self.backoff = backoff or Backoff()

    def run(self, write: Callable[[bool], T], retryable: Callable[[Exception], bool]) -> T:
        """`write(retried)`; `retried` is True from the second attempt on."""
        def attempt(number: int) -> T:
            self.bucket.acquire()
            return write(number > 0)

        result = self.backoff.run(attempt, retryable, on_retry=self.bucket.throttled)
        self.bucket.succeeded()
        return result

    def expected_duration(self, n_writes: int) -> float:
        return self.bucket.expected_duration(n_writes)

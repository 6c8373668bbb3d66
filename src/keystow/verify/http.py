"""The only way a verifier talks to a provider: one request, TLS, a timeout, no redirects.

A base URL must be https, except plain http to a loopback address (local test servers).
Redirects are refused, because urllib would repeat the Authorization header to the new host.
Each provider has a minimum interval between requests (a shared clock per provider), so a
repository with fifty tokens of one provider does not hammer its API.
"""

from __future__ import annotations

import ipaddress
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import NamedTuple

from keystow.errors import ConfigError

LOOPBACK_NAMES = {"localhost"}


class Response(NamedTuple):
    status: int
    body: bytes


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 3xx comes back as an HTTPError
        return None


def check_base_url(url: str, provider: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and is_loopback(parts.hostname or ""):
        return url.rstrip("/")
    raise ConfigError(f"verify: the {provider} URL must be https (plain http only to a loopback test server): {url}")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def request(url: str, headers: dict[str, str], timeout: float, data: bytes | None = None) -> Response:
    """Status and body of one request; a transport failure raises OSError."""
    handlers: list = [_NoRedirects()]
    if is_loopback(urllib.parse.urlsplit(url).hostname or ""):
        handlers.append(urllib.request.ProxyHandler({}))  # a loopback URL never goes through a proxy
    opener = urllib.request.build_opener(*handlers)
    method = "POST" if data is not None else "GET"
    req = urllib.request.Request(url, data=data, headers={"User-Agent": "keystow-verify", **headers}, method=method)
    try:
        with opener.open(req, timeout=timeout) as answer:
            return Response(answer.status, answer.read(65536))
    except urllib.error.HTTPError as error:
        body = error.read(65536) if error.fp else b""
        return Response(error.code, body)


class RateLimits:
    """At most one request per `interval` seconds per provider, across threads."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, provider: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(provider, now))
            self._next[provider] = start + self.interval
        if start > now:
            time.sleep(start - now)

"""A tiny loopback HTTP proxy in front of the moto server that injects AWS errors.

moto never throttles and never denies, so tests put this between boto3 and moto: each request's
operation (from X-Amz-Target, or the query protocol's Action) is counted, and rules decide
whether to answer it with an error instead, optionally after forwarding it (a lost response:
the write happened, the client saw an error).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass(frozen=True)
class Fault:
    code: str
    message: str = "Rate exceeded"
    status: int = 400
    forward: bool = False  # send the request upstream anyway, then answer with the error

    def body(self) -> bytes:
        return json.dumps({"__type": self.code, "message": self.message}).encode()


THROTTLE = Fault("ThrottlingException", "Rate exceeded")
TOO_MANY_UPDATES = Fault("TooManyUpdates", "There are too many updates to this parameter")
ACCESS_DENIED = Fault("AccessDeniedException", "User: arn:aws:sts::123456789012:user/moto is not authorized")

Rule = Callable[[str, int], "Fault | None"]


def every_nth(operation: str, n: int, fault: Fault, offset: int = 0) -> Rule:
    return lambda op, count: fault if op == operation and (count + offset) % n == 0 else None


def first_k(operation: str, k: int, fault: Fault) -> Rule:
    return lambda op, count: fault if op == operation and count <= k else None


def always(operation: str, fault: Fault) -> Rule:
    return lambda op, count: fault if op == operation else None


class ThrottleProxy:
    """`with ThrottleProxy(upstream, [rules]) as proxy:` then use `proxy.url` as the endpoint."""

    def __init__(self, upstream: str, rules: list[Rule] | None = None) -> None:
        self.upstream = urllib.parse.urlsplit(upstream).netloc
        self.rules = list(rules or [])
        self.seen: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "ThrottleProxy":
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def decide(self, operation: str) -> Fault | None:
        with self._lock:
            self.seen[operation] += 1
            count = self.seen[operation]
            for rule in self.rules:
                fault = rule(operation, count)
                if fault:
                    self.injected[fault.code] += 1
                    return fault
        return None

    def _handler_class(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in separate writes: without this, Nagle's algorithm
                # and delayed ACKs add ~40 ms to every response.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fault = proxy.decide(_operation(self.headers, body))
                if fault is None or fault.forward:
                    status, headers, answer = self._forward(body)
                if fault is not None:
                    status, headers, answer = fault.status, {"Content-Type": "application/x-amz-json-1.1"}, fault.body()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST

            def _forward(self, body: bytes):
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "host")}
                try:
                    response = self._upstream_request(body, headers)
                except (http.client.HTTPException, OSError):  # a stale kept-alive connection: once more
                    self.upstream = None
                    response = self._upstream_request(body, headers)
                answer = response.read()
                kept = {k: v for k, v in response.getheaders()
                        if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date")}
                return response.status, kept, answer

            def _upstream_request(self, body: bytes, headers: dict):
                if getattr(self, "upstream", None) is None:
                    self.upstream = http.client.HTTPConnection(proxy.upstream, timeout=30)
                self.upstream.request(self.command, self.path, body=body, headers=headers)
                return self.upstream.getresponse()

            def finish(self) -> None:
                super().finish()
                if getattr(self, "upstream", None) is not None:
                    self.upstream.close()

        return Handler


def _operation(headers, body: bytes) -> str:
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    return fields.get("Action", [""])[0]

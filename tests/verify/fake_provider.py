"""A fake provider API on 127.0.0.1: http.server in a thread. It answers each provider's
"who am I" path the way that provider does, active for the credentials in `valid`, and records
every request (path and headers) so tests can see where each credential went."""

from __future__ import annotations

import base64
import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

# path prefix → (how the credential travels, active answer, inactive answer)
ROUTES = {
    "/user": ("token", (200, {"login": "octocat"}), (401, {"message": "Bad credentials"})),
    "/api/v4/user": ("private-token", (200, {"username": "tanuki"}), (401, {"message": "401 Unauthorized"})),
    "/api/auth.test": ("bearer", (200, {"ok": True}), (200, {"ok": False, "error": "invalid_auth"})),
    "/v1/account": ("basic-user", (200, {"id": "acct_1"}), (401, {"error": {"type": "invalid_request_error"}})),
    "/v1/models": ("bearer-or-x-api-key", (200, {"data": []}), (401, {"error": "invalid_api_key"})),
    "/-/whoami": ("bearer", (200, {"username": "npmuser"}), (401, {"error": "unauthorized"})),
    "/legacy/": ("basic-password", (400, {"message": "missing file"}), (403, {"message": "Invalid API Token"})),
    "/v3/scopes": ("bearer", (200, {"scopes": []}), (403, {"errors": [{"message": "access forbidden"}]})),
    "/2010-04-01/Accounts/": ("basic-password", (200, {"status": "active"}), (401, {"code": 20003})),
    "/api/v1/validate": ("dd-api-key", (200, {"valid": True}), (403, {"errors": ["Forbidden"]})),
}


class FakeProvider:
    def __init__(self, valid: set[str], delay: float = 0.0, redirect_to: str | None = None) -> None:
        self.valid = valid
        self.delay = delay
        self.redirect_to = redirect_to
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.url = ""

    def credential(self, path: str, headers: dict[str, str]) -> str:
        auth = headers.get("Authorization", "")
        if path.startswith("/api/v4/"):
            return headers.get("Private-Token", "")
        if path.startswith("/api/v1/validate"):
            return headers.get("Dd-Api-Key", "")
        if headers.get("X-Api-Key"):
            return headers["X-Api-Key"]
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            return password or user
        return auth.partition(" ")[2]

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict]:
        route = next((r for prefix, r in ROUTES.items() if path.startswith(prefix)), None)
        if route is None:
            return 404, {"error": "no such path"}
        return route[1] if self.credential(path, headers) in self.valid else route[2]


@contextmanager
def fake_provider(valid: set[str], delay: float = 0.0, redirect_to: str | None = None) -> Iterator[FakeProvider]:
    state = FakeProvider(valid, delay, redirect_to)

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            headers = {k.title(): v for k, v in self.headers.items()}
            with state.lock:
                state.requests.append((self.path, headers))
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                time.sleep(state.delay)
                if state.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", state.redirect_to + self.path)
                    self.end_headers()
                    return
                status, body = state.answer(self.path, headers)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            finally:
                with state.lock:
                    state.in_flight -= 1

        do_GET = do_POST = _serve

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()

"""scan-repos clones: a token in a URL never reaches a command line, a remote that never
answers cannot hang the run, and no git process outlives a clone that was cut off.

The remotes are local: `git http-backend` behind a small HTTP server on 127.0.0.1 that
demands Basic auth, and a socket that accepts connections and never answers.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow

USER = "x-access-token"


def _argv_holding(needle: str) -> list[str]:
    """Command lines of every process on this machine that contain `needle` (what `ps` shows)."""
    return [line for _, line in _processes_holding(needle)]


def _processes_holding(needle: str) -> list[tuple[int, str]]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if needle.encode() in cmdline:
                found.append((int(entry), cmdline.replace(b"\0", b" ").decode("utf-8", "replace")))
    return found


class GitHttpServer:
    """`git http-backend` as CGI behind Basic auth; records any command line showing the token."""

    def __init__(self, root: Path, token: str) -> None:
        self.root, self.token = root, token
        self.leaks: list[str] = []
        self.authorized = 0
        expected = "Basic " + base64.b64encode(f"{USER}:{token}".encode()).decode()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._serve()

            def do_POST(self):
                self._serve()

            def _serve(self):
                server.leaks += _argv_holding(server.token)  # the clone is running right now
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="git"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                server.authorized += 1
                path, _, query = self.path.partition("?")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                env = {"PATH": os.environ["PATH"], "GIT_PROJECT_ROOT": str(server.root), "GIT_HTTP_EXPORT_ALL": "1",
                       "PATH_INFO": path, "QUERY_STRING": query, "REQUEST_METHOD": self.command,
                       "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
                       "REMOTE_USER": USER, "HTTP_GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
                       "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", "")}
                out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
                head, _, payload = out.partition(b"\r\n\r\n")
                headers = [line.split(":", 1) for line in head.decode().split("\r\n") if ":" in line]
                status = next((v.strip() for k, v in headers if k.lower() == "status"), "200 OK")
                self.send_response(int(status.split()[0]))
                for key, value in headers:
                    if key.lower() != "status":
                        self.send_header(key, value.strip())
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def served(tmp_path):
    token = Fakes(81).github_token()
    source = tmp_path / "src"
    source.mkdir()
    git(source, "init", "-q", "-b", "main")
    commit_file(source, "settings.py", f'AWS_ACCESS_KEY_ID = "{Fakes(82).aws_access_key_id()}"\n', "settings")
    root = tmp_path / "served"
    root.mkdir()
    subprocess.run(["git", "clone", "-q", "--bare", str(source), str(root / "app.git")], check=True)
    server = GitHttpServer(root, token)
    yield server
    server.close()


@pytest.mark.parametrize("mode", ["history", "worktree"])
def test_token_never_on_a_command_line(served, tmp_path, mode):
    listing = tmp_path / "repos.txt"
    listing.write_text(f"http://{USER}:{served.token}@127.0.0.1:{served.port}/app.git\n")
    result = run_keystow("scan-repos", str(listing), "--format", "json", "--jobs", "1", "--mode", mode, cwd=tmp_path)
    assert served.authorized > 0  # the server saw the credentials: they did reach git
    assert result.returncode == 1, result.stderr.decode()
    assert json.loads(result.stdout)["repositories"][0]["findings"]
    assert served.leaks == []
    assert served.token not in (result.stdout + result.stderr).decode()


def test_wrong_token_fails_cleanly_without_prompting(served, tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text(f"http://{USER}:wrong@127.0.0.1:{served.port}/app.git\n")
    result = run_keystow("scan-repos", str(listing), "--jobs", "1", cwd=tmp_path, input=b"")
    assert result.returncode == 2
    assert "wrong" not in result.stderr.decode()


@pytest.fixture
def silent_remote():
    """A socket on 127.0.0.1 that accepts every connection and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    stop.set()
    for conn in held:
        conn.close()
    listener.close()


def test_unresponsive_remote_times_out_and_leaves_no_git_behind(silent_remote, tmp_path):
    url = f"http://{USER}:{Fakes(83).github_token()}@127.0.0.1:{silent_remote}/never.git"
    listing = tmp_path / "repos.txt"
    listing.write_text(url + "\n")
    process = subprocess.Popen([os.sys.executable, "-m", "keystow", "scan-repos", str(listing), "--jobs", "1",
                                "--clone-timeout", "3"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    started = time.monotonic()
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        pytest.fail("scan-repos hung on a remote that never answers")
    finally:
        leftovers = _processes_holding(f"127.0.0.1:{silent_remote}")
        for pid, _ in leftovers:  # never leave them running, even when the test fails
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
    assert process.returncode == 2
    assert "timed out" in stderr.decode()
    assert time.monotonic() - started < 40
    assert leftovers == []

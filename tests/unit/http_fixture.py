"""A small fault-injecting HTTP server on 127.0.0.1 for download tests.

Each path is given a script of `Step`s: request n gets step n (the last step repeats), so "503 then 200" or
"reset mid-body, then a good body" are one line in a test. Every request is recorded with its headers and
time, and the peak number of requests served at once is kept to prove parallelism.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Step:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line
    chunk_size: int = 64 * 1024
    chunk_delay: float = 0.0  # between body chunks: a slow link
    cut_after: int | None = None  # send this many body bytes, then close cleanly (a truncated body)
    reset_after: int | None = None  # send this many body bytes, then reset the connection (TCP RST)


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived
    client_port: int  # the same port means the same (kept-alive) connection


class FaultServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._scheme = "https" if tls is not None else "http"
        self._scripts: dict[str, list[Step]] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.requests: list[Recorded] = []
        self.active = 0
        self.peak_active = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        if tls is not None:  # HTTPS with the given server context (certificate and key loaded)
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"{self._scheme}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, *steps: Step) -> str:
        """Serve `steps` in turn at `path` (the last one repeats); returns the absolute URL."""
        with self._lock:
            self._scripts[path] = list(steps)
        return self.url(path)

    def hits(self, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next_step(self, path: str, headers: dict[str, str], client_port: int) -> Step:
        with self._lock:
            self.requests.append(Recorded(path, headers, time.monotonic(), client_port))
            steps: Sequence[Step] = self._scripts.get(path, [Step(status=404, body=b"no such route")])
            n = self._served.get(path, 0)
            self._served[path] = n + 1
            self.active += 1
            self.peak_active = max(self.peak_active, self.active)
            return steps[min(n, len(steps) - 1)]

    def _done(self) -> None:
        with self._lock:
            self.active -= 1


def _make_handler(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real portal

        def do_GET(self) -> None:
            step = server._next_step(urlsplit(self.path).path, dict(self.headers.items()), self.client_address[1])
            try:
                self._serve(step)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client went away (cancel): nothing to do
            finally:
                server._done()

        def _serve(self, step: Step) -> None:
            time.sleep(step.delay)
            self.send_response(step.status)
            headers = dict(step.headers)
            if not any(k.lower() == "content-length" for k in headers):
                headers["Content-Length"] = str(len(step.body))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            limit = next((n for n in (step.cut_after, step.reset_after) if n is not None), len(step.body))
            body = step.body[:limit]
            for start in range(0, len(body), step.chunk_size):
                self.wfile.write(body[start : start + step.chunk_size])
                self.wfile.flush()
                if step.chunk_delay:
                    time.sleep(step.chunk_delay)
            if step.reset_after is not None:
                # SO_LINGER 0 turns close() into a TCP RST: the client sees "connection reset by peer".
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
            elif step.cut_after is not None:
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler

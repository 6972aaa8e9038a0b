"""The demo portal's HTTP plumbing: a threading server that knows the shared state, and a request handler with the
small helpers every route uses (cookies, query, form, send, redirect, latency that a stop interrupts)."""

from __future__ import annotations

import contextlib
import logging
import ssl
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from core.demo_portal.state import PortalState

log = logging.getLogger(__name__)


class PortalHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256  # many browsers x parallel downloads connect in bursts; the default backlog is 5

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], state: PortalState) -> None:
        super().__init__(address, handler)
        self.state = state

    def serve_tls(self, context: ssl.SSLContext) -> None:
        """Answer over HTTPS from now on. The handshake happens in each request's own thread (not on accept), so a
        silent client cannot stall the accept loop."""
        self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ssl.SSLError):
            # A client that does not trust our certificate hangs up during the handshake: expected, not a bug.
            log.debug("TLS handshake with %s failed: %s", client_address, sys.exc_info()[1])
            return
        super().handle_error(request, client_address)


def server_tls(cert: Path, key: Path | None) -> ssl.SSLContext:
    """A server TLS context from a PEM certificate chain and its key (None: the key is in the chain file)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real portal; every response has a Content-Length
    timeout = 60  # idle keep-alive connections end instead of holding a thread forever
    server: PortalHttpServer

    @property
    def state(self) -> PortalState:
        return self.server.state

    def setup(self) -> None:
        super().setup()
        with self.state.lock:
            self.state.connections.add(self.connection)

    def finish(self) -> None:
        with self.state.lock:
            self.state.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.server.server_address[1], *args)

    # ----- helpers -----------------------------------------------------------------------------------------
    def cookies(self, name: str) -> list[str]:
        values = []
        for header in self.headers.get_all("Cookie") or []:
            for part in header.split(";"):
                key, _, value = part.strip().partition("=")
                if key == name and value:
                    values.append(value)
        return values

    def query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}

    def segments(self) -> list[str]:
        path = urlsplit(self.path).path
        return [unquote(part) for part in path.strip("/").split("/")] if path.strip("/") else []

    def send(
        self,
        status: int,
        body: bytes | str,
        ctype: str = "text/html; charset=utf-8",
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for key, value in headers or []:
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def redirect(self, location: str, headers: list[tuple[str, str]] | None = None) -> None:
        self.send(302, b"", "text/plain", [("Location", location), *(headers or [])])

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self.state.stop.wait(seconds)

    def guarded(self, action: Any) -> None:
        try:
            action()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError) as error:
            log.debug("client went away: %s", error)
            self.close_connection = True


def cookie_header(name: str, value: str) -> str:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Lax"

"""The demo portal: a Coupa-like server plus a separate identity provider (another origin, `core.demo_portal.idp`),
on daemon threads, sharing one `PortalState`.

Both run on stdlib `ThreadingHTTPServer`. The portal's routes, sign-in chain and faults follow
COUPA_PAGES.md; knobs (see `PortalKnobs`) add latency, bandwidth caps and deterministic failures.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import socket
import struct
import threading
import time
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

from core.demo_portal import pages
from core.demo_portal.dataset import DemoDataset, DemoFile, DemoPo, PortalKnobs, write_sample_spreadsheet
from core.demo_portal.files import content_disposition, content_type
from core.demo_portal.http_base import PortalHttpServer, RequestHandler, cookie_header, server_tls
from core.demo_portal.idp import IdpHandler, saml_user
from core.demo_portal.state import PortalState

log = logging.getLogger(__name__)

SESSION_COOKIE = "_coupa_session"


class PortalHandler(RequestHandler):
    def do_GET(self) -> None:
        self.guarded(self.route)

    def do_HEAD(self) -> None:
        self.guarded(self.route)

    def do_POST(self) -> None:
        self.guarded(self.route)

    def route(self) -> None:
        parts = self.segments()
        head = parts[0] if parts else ""
        if head == "sessions":
            self.sessions_route(parts[1:])
            return
        if head == "assets":
            self.wait(self.state.knobs.comments_delay)  # the "heavy bundle": late, but never blocks DOMContentLoaded
            self.send(200, pages.APP_JS, "application/javascript; charset=utf-8")
            return
        if head == "favicon.ico":
            self.send(404, b"", "image/x-icon")
            return
        if head == "attachment":
            with self.state.lock:
                self.state.file_requests += 1
        if not self.state.use_session(self.cookies(SESSION_COOKIE)):
            relay = quote(self.state.base_url + self.path, safe="")
            self.redirect(f"{self.state.idp_url}/idp/authorize?RelayState={relay}")
            return
        if head == "attachment" and len(parts) >= 4 and parts[1] == "attachment_file":
            self.file_route(parts[2], parts[3])
        elif head == "attachments" and len(parts) == 2:
            self.show_attachment(parts[1])
        elif head == "order_headers" and len(parts) == 3 and parts[2] == "comments.json":
            self.comments(self.state.dataset.get(parts[1]), for_requisition=False)
        elif head == "requisition_headers" and len(parts) == 3 and parts[2] == "comments.json":
            self.comments(self.state.dataset.requisition_po(parts[1]), for_requisition=True)
        else:
            self.page(parts)

    # ----- pages -------------------------------------------------------------------------------------------
    def page(self, parts: list[str]) -> None:
        state = self.state
        with state.lock:
            state.page_requests += 1
        self.wait(state.knobs.page_latency)
        dataset, base, delay = state.dataset, state.base_url, state.knobs.comments_delay
        head = parts[0] if parts else "user"
        if parts in ([], ["user", "home"], ["user"]):
            self.send(200, pages.home_page(dataset))
        elif parts in (["order_headers"], ["requisition_headers"]):
            self.send(200, pages.list_page(dataset, requisitions=head == "requisition_headers"))
        elif head == "order_headers" and len(parts) in (2, 3):
            po = dataset.get(parts[1])
            if po is None or po.not_found:
                self.not_found()
            elif len(parts) == 3 and parts[2] == "download_summary":
                self.send(200, pages.summary_page(po.po_key))
            elif len(parts) == 3:
                self.not_found()
            elif po.no_access:
                self.send(200, pages.no_access_page(po))
            else:
                if state.take_slow(po):
                    self.wait(state.knobs.slow_page_seconds)
                self.send(200, pages.po_page(dataset, po, base, delay))
        elif head == "requisition_headers" and len(parts) == 2:
            po = dataset.requisition_po(parts[1])
            if po is None or not po.requisition_accessible:
                self.not_found()
            else:
                self.send(200, pages.requisition_page(po, base, delay))
        elif head == "suppliers" and len(parts) == 3 and parts[1] == "show":
            self.send(200, pages.summary_page(parts[2]))
        else:
            self.not_found()

    def not_found(self) -> None:
        # Served at the requested URL, no redirect: the app tells "not found" from "signed out" by the URL.
        self.send(404, pages.not_found_page())

    def comments(self, po: DemoPo | None, *, for_requisition: bool) -> None:
        self.wait(self.state.knobs.page_latency)
        hidden = po is None or po.not_found or po.no_access or (for_requisition and not po.requisition_accessible)
        if po is None or hidden:
            self.send(404, b"[]", "application/json")
            return
        body = pages.comments_payload(self.state.dataset, po, self.state.base_url, for_requisition=for_requisition)
        self.send(200, body, "application/json; charset=utf-8")

    def show_attachment(self, aid_text: str) -> None:
        owner = self.state.dataset.owner(int(aid_text)) if aid_text.isdigit() else None
        if owner is None:
            self.not_found()
            return
        self.redirect(f"/order_headers/{owner.po_key}")

    # ----- files -------------------------------------------------------------------------------------------
    def file_route(self, route: str, aid_text: str) -> None:
        state = self.state
        if state.knobs.refuse_direct_downloads and not self.headers.get("Sec-Fetch-Mode"):
            self.send(403, "<html><body><h1>Forbidden</h1></body></html>")
            return
        demo_file = state.dataset.file(int(aid_text)) if aid_text.isdigit() else None
        owner = state.dataset.owner(demo_file.aid) if demo_file else None
        if (
            demo_file is None
            or owner is None
            or demo_file.kind != "file"
            or not self.file_visible(route, demo_file, owner)
        ):
            self.not_found()
            return
        data = state.dataset.file_bytes(demo_file.aid)
        fault = "" if self.command == "HEAD" else state.take_fault(demo_file)
        if fault == "5xx":
            self.send(503, "<html><body><h1>Service Unavailable</h1></body></html>")
            return
        if fault == "429":
            self.send(429, "<html><body><h1>Too Many Requests</h1></body></html>", headers=[("Retry-After", "1")])
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type(demo_file.name))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Disposition", content_disposition(demo_file.name))
        self.send_header("Cache-Control", "private")
        self.end_headers()
        if self.command == "HEAD":
            return
        if fault == "reset":
            self.stream(data[: len(data) // 3])
            self.reset_connection()
        elif fault == "truncate":
            self.stream(data[: len(data) // 2])
            self.close_connection = True
        else:
            self.stream(data)

    def file_visible(self, route: str, demo_file: DemoFile, owner: DemoPo) -> bool:
        if owner.not_found or owner.no_access:
            return False
        if demo_file.source == "requisition" and not owner.requisition_accessible:
            return False
        if route == "file":
            return demo_file.source == "comment"
        if route == "type":
            return demo_file.source != "comment" and self.query().get("supplier_view_key") == demo_file.view_key
        return False

    def stream(self, data: bytes) -> None:
        state = self.state
        per_connection = state.knobs.per_connection_bandwidth
        chunk = 64 * 1024
        if per_connection > 0:
            chunk = max(1024, min(chunk, per_connection // 10))
        if state.bucket is not None:
            chunk = max(1024, min(chunk, int(state.bucket.rate) // 10))
        started = time.monotonic()
        sent = 0
        while sent < len(data) and not state.stop.is_set():
            piece = data[sent : sent + chunk]
            if state.bucket is not None:
                self.wait(state.bucket.reserve(len(piece)))
            self.wfile.write(piece)
            sent += len(piece)
            if per_connection > 0:
                self.wait(started + sent / per_connection - time.monotonic())
        if sent < len(data):
            self.close_connection = True

    def reset_connection(self) -> None:
        # SO_LINGER 0 makes close() send a TCP RST: the client sees "connection reset", not a clean EOF.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.rfile.close()
        self.connection.close()

    # ----- sign-in -----------------------------------------------------------------------------------------
    def sessions_route(self, rest: list[str]) -> None:
        state = self.state
        if rest == ["saml_post"]:
            fields = self.form() if self.command == "POST" else self.query()
            self.saml_post(fields)
        elif rest == ["new"]:
            self.send(200, pages.native_login_page(self.query().get("RelayState", "")))
        elif rest == ["sso"]:
            relay = quote(state.base_url + "/user/home", safe="")
            self.redirect(f"{state.idp_url}/idp/authorize?RelayState={relay}")
        elif rest == [] and self.command == "POST":
            fields = self.form()
            if not fields.get("user[login]", "").strip():
                self.send(200, pages.native_login_page(fields.get("RelayState", ""), "Please enter your username."))
                return
            self.start_session(fields.get("RelayState", ""))
        else:
            self.not_found()

    def saml_post(self, fields: dict[str, str]) -> None:
        if saml_user(self.state, fields.get("SAMLResponse", "")) is None:
            self.send(403, "<html><body><h1>Invalid SAML response</h1></body></html>")
            return
        self.start_session(fields.get("RelayState", ""))

    def start_session(self, relay_state: str) -> None:
        state = self.state
        token = secrets.token_hex(20)
        with state.lock:
            state.sessions[token] = 0
            state.sessions_started += 1
        base = state.base_url
        if relay_state == base or relay_state.startswith(base + "/"):
            target = relay_state
        elif relay_state.startswith("/") and not relay_state.startswith("//"):
            target = base + relay_state
        else:
            target = base + "/user/home"  # never bounce to another site
        self.redirect(target, [("Set-Cookie", cookie_header(SESSION_COOKIE, token))])


class DemoPortal:
    """A local Coupa-like portal and its identity provider. Use as a context manager or start()/stop()."""

    def __init__(
        self,
        knobs: PortalKnobs | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        tls_cert: Path | None = None,
        tls_key: Path | None = None,
    ) -> None:
        """`tls_cert` (PEM chain) and `tls_key` serve both the portal and its identity provider over HTTPS."""
        self.knobs = knobs or PortalKnobs()
        self.host = host
        self.port = port
        self.tls = server_tls(tls_cert, tls_key) if tls_cert is not None else None
        self.dataset = DemoDataset(self.knobs)
        self.base_url = ""
        self.idp_url = ""
        self._state = PortalState(self.knobs, self.dataset)
        self._servers: list[PortalHttpServer] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> DemoPortal:
        if self._servers:
            return self
        portal = PortalHttpServer((self.host, self.port), PortalHandler, self._state)
        idp = PortalHttpServer((self.host, 0), IdpHandler, self._state)
        self._servers = [portal, idp]
        scheme = "http"
        if self.tls is not None:
            scheme = "https"
            for server in self._servers:
                server.serve_tls(self.tls)
        self.base_url = f"{scheme}://{self.host}:{portal.server_address[1]}"
        self.idp_url = f"{scheme}://{self.host}:{idp.server_address[1]}"
        self._state.base_url, self._state.idp_url = self.base_url, self.idp_url
        for name, server in (("demo-portal", portal), ("demo-idp", idp)):
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=name, daemon=True
            )
            thread.start()
            self._threads.append(thread)
        log.debug("demo portal at %s, identity provider at %s", self.base_url, self.idp_url)
        return self

    def stop(self) -> None:
        if not self._servers:
            return
        self._state.stop.set()  # wakes handlers sleeping on latency or bandwidth
        for server in self._servers:
            server.shutdown()
        with self._state.lock:
            connections = list(self._state.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=2)
        self._servers, self._threads = [], []

    def __enter__(self) -> DemoPortal:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def file_requests(self) -> int:
        with self._state.lock:
            return self._state.file_requests

    def page_requests(self) -> int:
        with self._state.lock:
            return self._state.page_requests

    def sessions_started(self) -> int:
        """How many portal sessions the SSO chain created (sign-ins, first or renewed)."""
        with self._state.lock:
            return self._state.sessions_started

    def expire_all_sessions(self, include_idp: bool = False) -> None:
        """Kill every portal session (the IdP stays signed in unless asked, so SSO completes by itself)."""
        with self._state.lock:
            self._state.sessions.clear()
            if include_idp:
                self._state.idp_sessions.clear()

    def write_sample_spreadsheet(self, path: Path, count: int | None = None) -> Path:
        return write_sample_spreadsheet(self.dataset, path, count)

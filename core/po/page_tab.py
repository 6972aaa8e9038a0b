"""One tab of the browser, read over its own DevTools socket: open a page, wait until its scripts settle, read it.

Each thread that reads POs has a tab of its own, so K pages load at once in one browser. The wait for a page happens
here, in short looks at the page (no waiting inside the page), and only this tab waits.
"""

from __future__ import annotations

import base64
import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import PageTimeout
from core.po.devtools import DevToolsError, DevToolsTab, DevToolsTimeout
from core.po.net_errors import error_page, navigation_error
from core.po.settle_js import LEAVING_JS, POLL_SETTLED_JS, SETTLE_QUIET_MS, SETTLE_TRACKER_JS
from core.urls import redact_url

POLL_SECONDS = 0.05  # between two looks at a loading page
INTERACTIVE_GRACE_MS = 2500  # a page interactive this long counts as loaded even if a resource never finishes
SHORT_CALL = 30.0  # seconds for a command that does not wait for the network

# While an e-mail is printed the tab may load nothing from the network (its page forbids it too: belt and braces).
PRINT_BLOCKED_URLS = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]
PRINT_OPTIONS = {  # A4 with 12 mm margins, backgrounds as the sender styled them
    "printBackground": True,
    "paperWidth": 8.27,
    "paperHeight": 11.69,
    **{f"margin{side}": 0.47 for side in ("Top", "Bottom", "Left", "Right")},
}


@dataclass(frozen=True)
class LoadedPage:
    url: str
    html: str
    settled: bool
    failed_requests: int = 0  # the page's own data requests (comments…) that failed: it may be missing content


class PageTab:
    def __init__(self, devtools: DevToolsTab, *, page_timeout: float, settle_timeout: float) -> None:
        self.devtools = devtools
        self._page_timeout = page_timeout
        self._settle_timeout = settle_timeout
        # The settle detector runs before any script of every page this tab opens (only once Page is enabled: without
        # it the script is accepted and never runs).
        devtools.call("Page.enable")
        devtools.call("Page.addScriptToEvaluateOnNewDocument", {"source": SETTLE_TRACKER_JS})

    def open(self, url: str) -> LoadedPage:
        """Load a URL and wait until its scripts have settled (or the settle timeout passed)."""
        with contextlib.suppress(DevToolsError):
            self.devtools.evaluate(LEAVING_JS)  # the page we leave is never read as the one we asked for
        try:
            # Answers once the server did (the new document is committed) or the navigation failed.
            started = self.devtools.call("Page.navigate", {"url": url}, timeout=self._page_timeout)
        except DevToolsTimeout:
            raise self._timed_out(url) from None
        failure = str(started.get("errorText") or "")
        if failure:
            # DNS, refused, proxy: the navigation itself failed. Name the host it failed on (maybe a redirect's).
            unreachable = navigation_error(failure, self.address(url))
            if unreachable is not None:
                raise unreachable
        return self.current_page(url)

    def current_page(self, requested: str = "") -> LoadedPage:
        """Wait for the page to settle, then return its URL and live DOM, taken from that same document. A page that
        navigates while we wait (an SSO hop, an auto-submitted form) is waited for again, so the HTML never comes from
        a half-loaded page."""
        page = self.wait_settled(requested)
        # The browser's error page (certificate, blocked port, a sign-in hop that failed) is no page.
        unreachable = error_page(page.url, page.html, self.address(requested or page.url))
        if unreachable is not None:
            raise unreachable
        return page

    def wait_settled(self, requested: str = "") -> LoadedPage:
        """The settled page, or the page as it is when the settle timeout passed after it loaded.

        Raises PageTimeout when no new document is interactive within the page timeout (Cancelled on a cancel).
        """
        started = time.monotonic()
        settle_deadline: float | None = None
        while True:
            now = time.monotonic()
            force = settle_deadline is not None and now > settle_deadline
            try:
                found = self.devtools.evaluate(POLL_SETTLED_JS, SETTLE_QUIET_MS, INTERACTIVE_GRACE_MS, force)
            except DevToolsError:
                found = None  # the document went away under the script: a navigation
            if isinstance(found, dict) and "html" in found:
                return LoadedPage(
                    url=str(found["url"]),
                    html=str(found["html"]),
                    settled=bool(found["settled"]),
                    failed_requests=int(found.get("failed") or 0),
                )
            if isinstance(found, dict):  # loaded, its scripts still busy
                settle_deadline = settle_deadline or now + self._settle_timeout
            else:  # the page we left, or the new one still loading (a navigation during the wait starts it over)
                settle_deadline = None
                if now - started > self._page_timeout:
                    raise self._timed_out(requested)
            time.sleep(POLL_SECONDS)

    def address(self, fallback: str) -> str:
        """The address this tab tried last (an error page keeps it), else `fallback`."""
        with contextlib.suppress(DevToolsError, DevToolsTimeout):
            history = self.devtools.call("Page.getNavigationHistory")
            entries = history.get("entries") or []
            index = int(history.get("currentIndex", -1))
            current = str(entries[index].get("url", "")) if 0 <= index < len(entries) else ""
            if current.startswith(("http://", "https://")):
                return current
        return fallback

    def evaluate(self, body: str, *args: Any) -> Any:
        return self.devtools.evaluate(body, *args)

    def blank(self) -> None:
        """Drop the page (and its timers, memory) but keep cookies, so the session lives on."""
        self.devtools.call("Page.navigate", {"url": "about:blank"}, timeout=SHORT_CALL)

    def _timed_out(self, url: str) -> PageTimeout:
        """Stop the page that did not load in time; the error that says so."""
        with contextlib.suppress(DevToolsError, DevToolsTimeout):
            self.devtools.call("Page.stopLoading", timeout=5)
        where = f"The page {redact_url(url)}" if url else "The page"
        return PageTimeout(f"{where} did not load within {self._page_timeout:.0f} s.")

    def print_to_pdf(self, page: Path) -> bytes:
        """Print a local HTML file to PDF with every network load blocked."""
        call = self.devtools.call
        call("Network.enable")
        call("Network.setBlockedURLs", {"urls": PRINT_BLOCKED_URLS})
        try:
            call("Page.navigate", {"url": page.as_uri()}, timeout=SHORT_CALL)
            deadline = time.monotonic() + self._settle_timeout
            while self.evaluate("return document.readyState") != "complete" and time.monotonic() < deadline:
                time.sleep(0.02)
            printed = call("Page.printToPDF", PRINT_OPTIONS, timeout=SHORT_CALL)
        finally:
            call("Network.setBlockedURLs", {"urls": []})
            self.blank()
        return base64.b64decode(printed["data"])

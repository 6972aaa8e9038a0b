"""A direct DevTools connection to one tab of our browser: its navigations and page reads wait in that tab only.

ChromeDriver runs one command at a time per browser, and a command for a tab whose navigation has no answer yet waits
for that answer. With several POs loading at once, every tab would wait for the slowest server. Chromium serves many
DevTools clients at once: each tab's own socket waits for its own page only, and ChromeDriver stays free.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from collections.abc import Callable
from typing import Any

import websocket

from core.errors import BrowserCrashed, Cancelled

RECEIVE_SLICE = 0.25  # seconds; a long wait (a slow page) looks at `cancelled` this often


class DevToolsError(Exception):
    """The browser answered a command with an error (e.g. the page's document went away under a script)."""


class DevToolsTimeout(Exception):
    """No answer within the time allowed (a page that does not load)."""


class DevToolsTab:
    """One tab's DevTools socket. Used by one thread at a time (each reading thread has a tab of its own)."""

    def __init__(self, debugger_address: str, target_id: str, cancelled: Callable[[], bool]) -> None:
        self._cancelled = cancelled
        self._ids = itertools.count(1)
        try:
            # No Origin header: Chromium accepts local DevTools clients without one (--remote-allow-origins not needed).
            self._socket = websocket.create_connection(
                f"ws://{debugger_address}/devtools/page/{target_id}", timeout=10, suppress_origin=True
            )
        except (OSError, websocket.WebSocketException) as exc:
            raise BrowserCrashed(f"Could not reach the browser's tab over DevTools: {exc}") from exc

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30.0) -> dict[str, Any]:
        """Send one command and wait for its answer (events and answers to abandoned commands are skipped)."""
        message_id = next(self._ids)
        try:
            self._socket.send(json.dumps({"id": message_id, "method": method, "params": params or {}}))
            deadline = time.monotonic() + timeout
            while True:
                if self._cancelled():
                    raise Cancelled("Cancelled.")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise DevToolsTimeout(f"{method} got no answer within {timeout:.0f} s")
                self._socket.settimeout(min(RECEIVE_SLICE, remaining))
                try:
                    answer = json.loads(self._socket.recv())
                except websocket.WebSocketTimeoutException:
                    continue
                if answer.get("id") != message_id:
                    continue
                if "error" in answer:
                    raise DevToolsError(str(answer["error"].get("message", answer["error"])))
                return dict(answer.get("result") or {})
        except (OSError, websocket.WebSocketException) as exc:
            raise BrowserCrashed(f"The browser's tab stopped answering: {exc}") from exc

    def evaluate(self, body: str, *args: Any) -> Any:
        """Run a function body (`return …`) in the page with `args` (as `arguments`), and return its value."""
        expression = f"(function () {{ {body} }}).apply(null, {json.dumps(list(args))})"
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise DevToolsError(str(result["exceptionDetails"].get("text", "script error")))
        return result.get("result", {}).get("value")

    def close(self) -> None:
        with contextlib.suppress(OSError, websocket.WebSocketException):
            self._socket.close(timeout=1)

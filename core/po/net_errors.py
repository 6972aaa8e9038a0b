"""The browser's own network errors (`net::ERR_…`), read from a failed navigation or from its error page.

Chromium either fails the navigation (chromedriver: `unknown error: net::ERR_NAME_NOT_RESOLVED`) or shows its error
page (certificate errors, blocked ports) at `chrome-error://chromewebdata/` with the code in the page's data.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from core.errors import PortalUnreachable

NET_ERROR_RE = re.compile(r"\b(?:net::)?(ERR_[A-Z0-9_]+)\b")
ERROR_PAGE_CODE_RE = re.compile(r'"errorCode"\s*:\s*"(?:net::|NET::)?(ERR_[A-Z0-9_]+)"')
ERROR_PAGE_SCHEMES = ("chrome-error", "edge-error")
# Causes a user can act on, by the code's prefix (first match wins); others are shown as the code itself.
CAUSES = (
    (("ERR_NAME_NOT_RESOLVED", "ERR_NAME_RESOLUTION_FAILED"), "its name does not resolve (DNS)"),
    (("ERR_CONNECTION_REFUSED",), "the connection was refused"),
    (("ERR_CERT_", "ERR_SSL_", "ERR_BAD_SSL"), "its certificate is not trusted (TLS)"),
    (("ERR_PROXY_", "ERR_TUNNEL_CONNECTION_FAILED", "ERR_MANDATORY_PROXY"), "the proxy failed or refused"),
    (("ERR_CONNECTION_", "ERR_TIMED_OUT", "ERR_ADDRESS_UNREACHABLE", "ERR_INTERNET_DISCONNECTED"), "no connection"),
    (("ERR_UNSAFE_PORT",), "the browser blocks that port"),
)


def describe(code: str) -> str:
    """`ERR_CONNECTION_REFUSED` -> `the connection was refused (ERR_CONNECTION_REFUSED)`."""
    if not code:
        return "a network error (the browser showed its error page)"
    cause = next((text for prefixes, text in CAUSES if code.startswith(prefixes)), "a network error")
    return f"{cause} ({code})"


def navigation_error(message: str, url: str) -> PortalUnreachable | None:
    """A failed navigation to `url` (chromedriver's message) as PortalUnreachable; None for other failures."""
    match = NET_ERROR_RE.search(message)
    if match is None:
        return None
    return PortalUnreachable(urlsplit(url).netloc or url, describe(match.group(1)))


def error_page(page_url: str, html: str, requested_url: str) -> PortalUnreachable | None:
    """The browser's error page (at `page_url`, for `requested_url`) as PortalUnreachable; None for real pages."""
    if urlsplit(page_url).scheme not in ERROR_PAGE_SCHEMES:
        return None
    match = ERROR_PAGE_CODE_RE.search(html)
    code = match.group(1) if match else ""
    return PortalUnreachable(urlsplit(requested_url).netloc or requested_url, describe(code))

"""One download thread's HTTP connection to the portal: a `requests` session that carries the browser's cookies and
keeps its connection alive between files, and a response body read as it arrives, its failures named for a person.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from http.cookiejar import Cookie
from typing import Any

import requests
import urllib3.exceptions

from core.errors import DownloadFailed, SessionExpired
from core.po.http_headers import SNIFF_BYTES, is_sign_in_page, is_web_page
from core.po.system_network import SystemTrustAdapter, system_proxies

CHUNK_SIZE = 256 * 1024
DRAIN_LIMIT = 64 * 1024  # an unread body up to this size is read off so the connection can be reused


class RetryableFailure(DownloadFailed):
    """A failure worth another try; `retry_after` is the server's requested wait, when it gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None, browser_may_help: bool = False) -> None:
        super().__init__(message, retryable=True)
        self.retry_after = retry_after
        # The request never reached the portal (connection refused, reset, timed out): when every try fails that
        # way, the browser, with its own network settings, may still get through.
        self.browser_may_help = browser_may_help


def new_session(base_url: str, user_agent: str) -> requests.Session:
    """A session for one thread: one kept-alive connection, no retries of its own, bytes as the server sent them;
    the operating system's trust store and proxy settings, as the browser uses (see `core.po.system_network`)."""
    session = requests.Session()
    # Retries are ours (they must honour cancel and Retry-After), so the adapter never retries.
    adapter = SystemTrustAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    # Environment proxies (and Windows'/macOS' static proxy settings, which urllib reads) are applied by requests
    # itself on every request and win over these; a PAC file is the system setting requests does not read.
    session.proxies.update(system_proxies(base_url))
    # Identity keeps the bytes on disk equal to the bytes Content-Length announced.
    session.headers["Accept-Encoding"] = "identity"
    if user_agent:
        session.headers["User-Agent"] = user_agent
    return session


def load_cookies(session: requests.Session, cookies: Sequence[Mapping[str, Any]], default_domain: str) -> None:
    """Replace the session's cookies with the browser's."""
    session.cookies.clear()
    for cookie in cookies:
        session.cookies.set_cookie(_to_cookie(cookie, default_domain))


def _to_cookie(cookie: Mapping[str, Any], default_domain: str) -> Cookie:
    """A Selenium cookie dict (name, value, domain, path, secure, expiry, httpOnly) as a cookiejar cookie."""
    domain = str(cookie.get("domain") or default_domain)
    path = str(cookie.get("path") or "/")
    expiry = cookie.get("expiry")
    return Cookie(
        version=0,
        name=str(cookie["name"]),
        value=str(cookie.get("value", "")),
        port=None,
        port_specified=False,
        domain=domain,
        domain_specified=True,
        domain_initial_dot=domain.startswith("."),
        path=path,
        path_specified=True,
        secure=bool(cookie.get("secure", False)),
        expires=int(expiry) if expiry is not None else None,
        discard=expiry is None,
        comment=None,
        comment_url=None,
        rest={"HttpOnly": ""} if cookie.get("httpOnly") else {},
    )


def release(response: requests.Response, *, body_read: bool) -> None:
    """Give the connection back to the pool when it can carry the next request, else close it.

    `requests` would close the connection because the body was read through `raw`; keeping it alive saves a
    TCP and TLS handshake per file. Small leftover bodies (error pages, redirects) are read off first.
    """
    raw = response.raw
    if not body_read:
        length = content_length(response)
        if length is None or length > DRAIN_LIMIT:
            response.close()
            return
        raw.drain_conn()
    raw.release_conn()


def content_length(response: requests.Response) -> int | None:
    value = response.headers.get("Content-Length", "").strip()
    return int(value) if value.isdigit() else None


def is_encoded(response: requests.Response) -> bool:
    return response.headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity")


def _broken_body_message(exc: Exception) -> str:
    """urllib3 wraps a short body (the server closed early) in ProtocolError; name it as what it is."""
    for cause in (exc, *exc.args):
        if isinstance(cause, urllib3.exceptions.IncompleteRead):
            return f"the download was cut short ({cause.partial} bytes received, {cause.expected} more expected)"
    return "the connection broke during the download"


def body_chunks(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives, up to CHUNK_SIZE at a time.

    `read1` returns whatever is available instead of waiting for a full chunk (as `iter_content` does), so
    cancel and progress stay prompt on slow links. urllib3 errors are mapped to requests' own, as
    `iter_content` would.
    """
    raw = response.raw
    while True:
        try:
            chunk = raw.read1(CHUNK_SIZE, decode_content=True)
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.IncompleteRead) as exc:
            raise RetryableFailure(_broken_body_message(exc)) from exc
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
            raise RetryableFailure("the portal stopped sending the file (timeout)") from exc
        except (urllib3.exceptions.SSLError, ConnectionError) as exc:
            raise RetryableFailure(f"the connection failed during the download ({type(exc).__name__})") from exc
        except urllib3.exceptions.DecodeError as exc:
            raise RetryableFailure("the portal sent a corrupt compressed body") from exc
        if not chunk:
            return
        yield chunk


def read_head(chunks: Iterator[bytes]) -> bytes:
    """The body's first bytes (at least SNIFF_BYTES unless it is shorter), to tell a web page from a file."""
    head = b""
    while len(head) < SNIFF_BYTES:
        chunk = next(chunks, b"")
        if not chunk:
            break
        head += chunk
    return head


def refuse_web_page(response: requests.Response, named: str | None, link_name: str, head: bytes) -> None:
    """A web page where a file was expected is never saved: a sign-in page means the session ended."""
    content_type = response.headers.get("Content-Type", "")
    if not is_web_page(content_type, named, link_name, head):
        return
    if is_sign_in_page(head):
        raise SessionExpired("the portal sent its sign-in page instead of the file: sign in again")
    kind = content_type.split(";", 1)[0].strip() or "HTML"
    raise DownloadFailed(f"the portal sent a web page ({kind}) instead of the file", retryable=False)

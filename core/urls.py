"""URL rules, in one place: the PO page address, "same portal", "sent away to sign in", names and log-safe forms.

Every decision about where a URL points is made here, so the page reader, the session and the downloader can
never disagree about what counts as the portal or as a sign-in page.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from requests.exceptions import RequestException
from requests.models import PreparedRequest
from urllib3.util import parse_url

DEFAULT_PO_URL_TEMPLATE = "{base}/order_headers/{po}"

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Paths that are Coupa content even if a word in them reads like a login word (a file called `login.pdf`, a
# query such as `?return_to=...sso...`).
CONTENT_PATH_RE = re.compile(r"/(order_headers|requisition_headers|attachment/attachment_file)(/|$)", re.IGNORECASE)
# A path segment or query key that means "you are being signed in". Whole segments only, so that a file called
# `login-notes.pdf` or a path like `/assortments` is not mistaken for a sign-in page.
SIGN_IN_WORD_RE = re.compile(
    r"sessions?|log_?in|log_?on|sign[_-]?in|sso|saml\w*|oauth\w*|openid[\w-]*|pingfederate|idp|adfs|auth|authorize"
    r"|okta|wsfed",
    re.IGNORECASE,
)


def po_url(template: str, base_url: str, po_key: str) -> str:
    """The PO page URL: `template` may use `{base}` (no trailing '/') and `{po}` (the PO digits)."""
    return (template or DEFAULT_PO_URL_TEMPLATE).format(base=base_url.rstrip("/"), po=po_key.strip())


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in; the host lower-cased."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = _DEFAULT_PORTS.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def url_as_sent(url: str) -> str:
    """The URL exactly as `requests` will put it on the wire (its prepared request); ValueError if it cannot."""
    prepared = PreparedRequest()
    try:
        prepared.prepare_url(url, None)
    except (RequestException, ValueError) as exc:
        raise ValueError(f"not a usable address ({exc})") from exc
    return str(prepared.url)


def hidden_host_reason(url: str) -> str:
    """Why `url`'s host cannot be trusted at face value (a backslash, a control character, user information before
    the host, an unparseable address); "" when it can.

    `urllib.parse` and the HTTP client disagree on such addresses: `http://other:8000\\@portal/...` is host `portal`
    to urllib and host `other` to requests. No portal link has any of them, so they are refused outright. Browsers
    read a backslash as '/', so the same rule keeps the browser fallback on the portal too.
    """
    url = url.strip()
    if "\\" in url or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return "the address hides its host (a backslash or control character)"
    try:
        sent = parse_url(url_as_sent(url))
    except ValueError as exc:
        return str(exc)
    if sent.auth is not None or "@" in urlsplit(url).netloc:
        return "the address hides its host (user information before '@')"
    return ""


def off_portal_reason(url: str, base_url: str) -> str:
    """Why `url` must not be fetched with the portal's cookies; "" when it goes to the portal.

    Judged on the URL exactly as the HTTP client sends it (see `hidden_host_reason`).
    """
    hidden = hidden_host_reason(url)
    if hidden:
        return hidden
    sent = parse_url(url_as_sent(url.strip()))
    scheme = (sent.scheme or "").lower()
    if scheme not in _DEFAULT_PORTS:
        return f"not a web address ({scheme or 'no scheme'})"
    port = sent.port if sent.port is not None else _DEFAULT_PORTS[scheme]
    if (scheme, (sent.host or "").lower(), port) != origin(base_url):
        return f"not on the portal's host ({sent.netloc or url})"
    return ""


def same_origin(url: str, base_url: str) -> bool:
    """True when `url` goes to the scheme, host and port of the portal (so its cookies may be sent there)."""
    return not off_portal_reason(url, base_url)


def looks_signed_out(current_url: str, base_url: str) -> bool:
    """True when the browser (or a redirect) was sent away to sign in: another host, or a login/SSO path.

    Some tenants show the same "Oops" page on an expired session as for a missing PO, so the URL decides first;
    mixing the two up once marked every remaining PO of a run "not found".
    """
    parts = urlsplit(current_url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return False  # about:blank, data:, chrome-error://: not enough to say
    scheme, host, port = origin(current_url)
    base_scheme, base_host, base_port = origin(base_url)
    # Another host, or another port of the same host (a local IdP), is the sign-in service. The same host over
    # the other scheme (an http -> https upgrade) is still the portal.
    if host != base_host or (scheme == base_scheme and port != base_port):
        return True
    path = unquote(parts.path)
    if CONTENT_PATH_RE.search(path):
        return False
    segments = [segment for segment in path.split("/") if segment]
    query_keys = [key for key, _value in parse_qsl(parts.query, keep_blank_values=True)]
    return any(SIGN_IN_WORD_RE.fullmatch(word) for word in (*segments, *query_keys))


def name_from_url(url: str) -> str:
    """The last path segment, decoded: the file name a download link carries."""
    path = urlsplit(url).path.rstrip("/")
    return unquote(path.rsplit("/", 1)[-1]) if path else ""


def redact_url(url: str) -> str:
    """The URL as it may be stored or shown (journal, report, logs, --json, messages): no user name or password, and
    every query value replaced by `***` (Coupa's `supplier_view_key` is an access key). The full URL stays in memory,
    for the request only."""
    parts = urlsplit(url)
    netloc = parts.netloc if "@" not in parts.netloc else "***@" + parts.netloc.rsplit("@", 1)[1]
    query = "&".join(f"{key}=***" for key, _value in parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))

"""Reading a file response's headers: the file name it carries and how long the server asks us to wait."""

from __future__ import annotations

import email.utils
import re
from urllib.parse import unquote


def filename_from_content_disposition(header: str) -> str | None:
    """The file name a Content-Disposition header gives; `filename*=` (RFC 5987/6266) wins over `filename=`."""
    if not header:
        return None
    params = _split_header_params(header)
    extended = params.get("filename*")
    if extended:
        decoded = _decode_rfc5987(extended)
        if decoded:
            return decoded
    plain = params.get("filename")
    if plain:
        return plain
    return None


def _split_header_params(header: str) -> dict[str, str]:
    """Parameters of a header like `attachment; filename="a;b.pdf"; filename*=UTF-8''a.pdf` (quotes respected)."""
    params: dict[str, str] = {}
    for match in re.finditer(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)', ";" + header.split(";", 1)[-1]):
        key = match.group(1).strip().lower()
        value = match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params.setdefault(key, value)
    return params


def _decode_rfc5987(value: str) -> str | None:
    """`UTF-8''N%C3%A3o.pdf` -> `Não.pdf`; also tolerates a missing charset or language part."""
    value = value.strip().strip('"')
    parts = value.split("'", 2)
    if len(parts) == 3:
        charset, _language, encoded = parts
    else:
        charset, encoded = "utf-8", value
    try:
        return unquote(encoded, encoding=charset or "utf-8", errors="strict")
    except (LookupError, UnicodeDecodeError):
        # Some servers claim ISO-8859-1 but send UTF-8 (or the reverse); a readable name beats none.
        return unquote(encoded, encoding="latin-1")


def parse_retry_after(value: str, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date; None when unreadable."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


# A file response that is really a web page: the portal's sign-in page, an error or "please wait" page served with 200.
HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HTML_FILE_SUFFIXES = (".html", ".htm", ".xhtml", ".mht", ".mhtml")
SNIFF_BYTES = 1024  # how much of the body's start is looked at
_HTML_START_RE = re.compile(rb"\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I | re.S)
_PASSWORD_INPUT_RE = re.compile(rb"<input\b[^>]*\btype\s*=\s*[\"']?password\b", re.I)


def is_web_page(content_type: str, disposition_name: str | None, link_name: str, head: bytes) -> bool:
    """True when a response that should be a file is a web page instead.

    A Content-Disposition that names an `.html` file is a real HTML attachment; otherwise an HTML Content-Type, or
    (with no file name in the headers, and none ending in `.html` on the link) a body that starts like an HTML page.
    """
    if disposition_name is not None:
        if disposition_name.lower().endswith(HTML_FILE_SUFFIXES):
            return False
    elif link_name.lower().endswith(HTML_FILE_SUFFIXES):
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    if media in HTML_MEDIA_TYPES:
        return True
    return disposition_name is None and _HTML_START_RE.match(head.removeprefix(b"\xef\xbb\xbf")) is not None


def is_sign_in_page(body: bytes) -> bool:
    """A web page asking for a password: the portal (or its identity provider) wants a person to sign in."""
    return _PASSWORD_INPUT_RE.search(body) is not None

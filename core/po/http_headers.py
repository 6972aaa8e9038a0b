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

"""Deterministic file contents with the right magic bytes, plus the HTTP headers a file response carries.

Contents are filler from a seeded generator wrapped in a valid-looking container (PDF, ZIP-based Office, PNG, CSV)
so that type sniffers and size checks behave as with real downloads. E-mails (.msg, .eml) are real messages
(`demo_emails`), because the app reads and converts them.
"""

from __future__ import annotations

import io
import random
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from urllib.parse import quote

from core.demo_portal.demo_emails import email_bytes

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "msg": "application/vnd.ms-outlook",
    "eml": "message/rfc822",
    "png": "image/png",
    "csv": "text/csv",
    "zip": "application/zip",
}

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(extension(name), "application/octet-stream")


def url_quote_name(name: str) -> str:
    """The file name as it appears in an attachment URL path segment (Coupa keeps parentheses readable)."""
    return quote(name, safe="()")


def content_disposition(name: str) -> str:
    """`attachment; filename="<ascii fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 / 5987)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join("_" if ch in '"\\' or ord(ch) < 32 or ord(ch) == 127 else ch for ch in ascii_name)
    if not ascii_name.strip(" ._"):
        ascii_name = "download." + (extension(name) or "bin")
    encoded = quote(name, safe="!#$&+^`|~")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"


def make_file_bytes(name: str, size: int, key: str) -> bytes:
    """Exactly `size` bytes (or the format's minimum if larger; e-mails: at least their natural size) of
    deterministic content for `name`."""
    rng = random.Random(key)
    builder = _BUILDERS.get(extension(name), _plain_binary)
    return builder(name, max(0, size), rng)


def _filler(rng: random.Random, count: int) -> bytes:
    return rng.randbytes(count) if count > 0 else b""


def _pdf(name: str, size: int, rng: random.Random) -> bytes:
    head = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n3 0 obj\n<< /Length 0 >>\nstream\n"
    )
    tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    return head + _filler(rng, size - len(head) - len(tail)) + tail


def _zip_with(members: dict[str, bytes], payload_name: str, size: int, rng: random.Random) -> bytes:
    def build(payload: bytes) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
            for member, data in members.items():
                info = zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0))
                archive.writestr(info, data)
            archive.writestr(zipfile.ZipInfo(payload_name, date_time=(2024, 1, 1, 0, 0, 0)), payload)
        return buffer.getvalue()

    # Stored entries have a fixed overhead, so the payload length that hits `size` exactly is known.
    overhead = len(build(b""))
    return build(_filler(rng, size - overhead))


def _docx(name: str, size: int, rng: random.Random) -> bytes:
    members = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/content-types"/>',
        "word/document.xml": b"<w:document><w:body><w:p><w:r><w:t>Demo</w:t></w:r></w:p></w:body></w:document>",
    }
    return _zip_with(members, "word/media/image1.bin", size, rng)


def _xlsx(name: str, size: int, rng: random.Random) -> bytes:
    members = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/content-types"/>',
        "xl/workbook.xml": b'<workbook><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>',
    }
    return _zip_with(members, "xl/media/image1.bin", size, rng)


def _zip(name: str, size: int, rng: random.Random) -> bytes:
    return _zip_with({"README.txt": b"Demo archive\n"}, "drawings/sheet-01.bin", size, rng)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png(name: str, size: int, rng: random.Random) -> bytes:
    ihdr = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    idat = _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
    iend = _png_chunk(b"IEND", b"")
    fixed = len(PNG_MAGIC) + len(ihdr) + len(idat) + len(iend) + 12
    # A private ancillary chunk ("deMo") carries the filler; viewers skip it.
    return PNG_MAGIC + ihdr + idat + _png_chunk(b"deMo", _filler(rng, size - fixed)) + iend


def _csv(name: str, size: int, rng: random.Random) -> bytes:
    header = b"line,description,quantity,unit_price\r\n"
    rows = "".join(
        f"{number},Item {rng.randrange(1000, 9999)},{rng.randint(1, 50)},{rng.uniform(1, 900):.2f}\r\n"
        for number in range(1, 201)
    ).encode("ascii")
    body = (rows * ((size - len(header)) // len(rows) + 1))[: max(0, size - len(header))]
    return header + body


def _plain_binary(name: str, size: int, rng: random.Random) -> bytes:
    return _filler(rng, size)


_BUILDERS: dict[str, Callable[[str, int, random.Random], bytes]] = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "zip": _zip,
    "msg": email_bytes,
    "eml": email_bytes,
    "png": _png,
    "csv": _csv,
}

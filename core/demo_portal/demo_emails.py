"""The demo portal's e-mails: real Outlook `.msg` and internet `.eml` files with made-up content.

Each e-mail name of the dataset is one case the app's conversion must handle: an HTML body with an inline image, an
RTF-only body (compressed RTF with encapsulated HTML, as Outlook saves rich text), a PDF attachment and an attached
e-mail, a multipart/related .eml with an inline image and an attachment, and a plain-text .eml. Other e-mail names
fall back to the first case of their format. Bigger requested sizes are reached with padding no reader shows (a
private MAPI property, a MIME epilogue), so bandwidth scenarios keep their weight.
"""

from __future__ import annotations

import random
import re
import struct
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import compressed_rtf

from core.demo_portal.msg_writer import CC, TO, MsgAttachment, MsgMessage, MsgRecipient, msg_bytes

HTML_MSG = "RE_ Approval needed.msg"
RTF_MSG = "FW_ Revised quote.msg"
ATTACHMENT_MSG = "Signed contract.msg"
RELATED_EML = "Invoice query.eml"
PLAIN_EML = "Delivery confirmation.eml"
EMAIL_NAMES = (HTML_MSG, RTF_MSG, ATTACHMENT_MSG, RELATED_EML, PLAIN_EML)

PEOPLE = (
    ("Ana Souza", "ana.souza@northwind.example"),
    ("Jonas Weber", "jonas.weber@contoso.example"),
    ("Priya Nair", "priya.nair@fabrikam.example"),
    ("Tomás Ortega", "tomas.ortega@buyer.example"),
    ("Mei Lin", "mei.lin@buyer.example"),
)


def email_bytes(name: str, size: int, rng: random.Random) -> bytes:
    """The bytes of the demo e-mail `name` (a .msg or .eml), at least `size` long where padding is possible."""
    builder = EMAIL_BUILDERS.get(name) or (_html_msg if name.lower().endswith(".msg") else _plain_eml)
    return builder(size, rng)


def _people(rng: random.Random) -> tuple[Person, Person, Person]:
    sender, to, cc = rng.sample(PEOPLE, 3)
    return sender, to, cc


def _sent(rng: random.Random) -> datetime:
    return datetime(2024, 1, 8, 9, 0, tzinfo=UTC) + timedelta(days=rng.randrange(300), minutes=rng.randrange(600))


def logo_png(width: int = 160, height: int = 48) -> bytes:
    """A small, real PNG (a company-logo-like banner: blue with a lighter stripe) for inline images."""
    rows = b"".join(
        b"\x00" + (bytes((200, 220, 240)) if height // 3 <= y < 2 * height // 3 else bytes((31, 78, 120))) * width
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF showing one line of ASCII `text`."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 18 Tf 72 720 Td ({safe}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- .msg ----------------------------------------------------------------------------------------------------------
Person = tuple[str, str]  # (name, address)


def _outlook(subject: str, people: tuple[Person, Person, Person], rng: random.Random, **content: Any) -> MsgMessage:
    """A message from the first person to the second, copying the third."""
    (sender, sender_address), to, cc = people
    recipients = (MsgRecipient(to[0], to[1], TO), MsgRecipient(cc[0], cc[1], CC))
    return MsgMessage(subject, sender, sender_address, _sent(rng), recipients, **content)


def _padded_msg(message: MsgMessage, size: int) -> bytes:
    data = msg_bytes(message)
    if len(data) >= size:
        return data
    return msg_bytes(message, padding=size - len(data))


def _html_msg(size: int, rng: random.Random) -> bytes:
    sender, to, cc = _people(rng)
    html = (
        '<html><head><meta charset="utf-8"><style>p{font-family:Calibri,Arial;font-size:11pt}'
        ".sig{color:#1f4e78}</style></head><body>"
        f"<p>Hi {to[0].split()[0]},</p><p>The order is <b>approved</b> on our side; please go ahead with the "
        "delivery as agreed (weekdays 8–12h).</p>"
        f'<p class="sig">Kind regards,<br>{sender[0]}<br><img src="cid:logo@demo" alt="Company logo"></p>'
        "</body></html>"
    )
    message = _outlook(
        "RE: Approval needed",
        (sender, to, cc),
        rng,
        text_body="The order is approved on our side; please go ahead with the delivery as agreed.",
        html_body=html,
        attachments=(MsgAttachment("logo.png", logo_png(), "image/png", "logo@demo"),),
    )
    return _padded_msg(message, size)


def _rtf_msg(size: int, rng: random.Random) -> bytes:
    sender, to, cc = _people(rng)
    html = (
        "<html><head><style>td{border:1px solid #999;padding:2px 6px}</style></head><body>"
        "<p>Revised quote as discussed, valid for 30 days:</p>"
        "<table><tr><td>Toner cartridges</td><td>40</td><td>1.250,00 €</td></tr>"
        "<tr><td>Office paper A4</td><td>200</td><td>980,00 €</td></tr></table>"
        f"<p>Best,<br>{sender[0]}</p></body></html>"
    )
    message = _outlook(
        "FW: Revised quote",
        (sender, to, cc),
        rng,
        compressed_rtf=compressed_rtf.compress(encapsulated_rtf(html)),
    )
    return _padded_msg(message, size)


def _attachment_msg(size: int, rng: random.Random) -> bytes:
    sender, to, cc = _people(rng)
    request = _outlook(
        "Contract for signature", (to, sender, cc), rng, text_body="Please sign the attached contract and send it back."
    )
    message = _outlook(
        "Signed contract",
        (sender, to, cc),
        rng,
        text_body=f"Hello,\n\nplease find the signed contract attached.\n\nRegards,\n{sender[0]}",
        attachments=(
            MsgAttachment(
                "Contract_signed.pdf", tiny_pdf("Supply contract - signed by both parties"), "application/pdf"
            ),
            MsgAttachment("Contract for signature.msg", request),
        ),
    )
    return _padded_msg(message, size)


def encapsulated_rtf(html: str) -> bytes:
    """RTF that carries `html` the way Outlook does (`\\fromhtml1`: tags in `\\*\\htmltag` groups, text as is)."""
    parts = ["{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\n"]
    for piece in re.split(r"(<[^>]+>)", html):
        if piece.startswith("<"):
            parts.append("{\\*\\htmltag64 " + _rtf_text(piece) + "}")
        elif piece:
            parts.append(_rtf_text(piece))
    parts.append("}")
    return "".join(parts).encode("ascii")


def _rtf_text(text: str) -> str:
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\par\n")
        elif ord(char) < 128:
            out.append(char)
        else:  # \uN takes a signed 16-bit number; "?" is the fallback for readers without Unicode
            code = ord(char)
            out.append(f"\\u{code - 65536 if code > 32767 else code}?")
    return "".join(out)


# -- .eml ----------------------------------------------------------------------------------------------------------
def _eml_base(rng: random.Random, subject: str) -> tuple[EmailMessage, str]:
    sender, to, cc = _people(rng)
    message = EmailMessage()
    # "From" first: the file starts the way saved e-mails usually do.
    message["From"] = f"{sender[0]} <{sender[1]}>"
    message["To"] = f"{to[0]} <{to[1]}>"
    message["Cc"] = f"{cc[0]} <{cc[1]}>"
    message["Subject"] = subject
    message["Date"] = format_datetime(_sent(rng))
    message["Message-ID"] = f"<{rng.getrandbits(64):016x}@demo.example>"
    return message, sender[0]


def _plain_eml(size: int, rng: random.Random) -> bytes:
    message, sender = _eml_base(rng, "Delivery confirmation")
    message.set_content(
        f"Hello,\n\nthe goods of this order were delivered today and signed for at the site.\n\nRegards,\n{sender}\n"
    )
    return bytes(message)


def _related_eml(size: int, rng: random.Random) -> bytes:
    message, sender = _eml_base(rng, "Invoice query")
    message.set_content("Please see the invoice attached; the total differs from the PO.")
    message.add_alternative(
        "<html><body><p>Please see the invoice attached: the <b>total differs</b> from the PO.</p>"
        f'<p>{sender}<br><img src="cid:banner@demo" alt="Banner"></p></body></html>',
        subtype="html",
    )
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    html_part.add_related(logo_png(), "image", "png", cid="<banner@demo>")
    message.add_attachment(tiny_pdf("Invoice INV-2024-118"), "application", "pdf", filename="Invoice INV-2024-118.pdf")
    for index, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"==demo-{index}-{rng.getrandbits(48):012x}")  # the library would pick random ones
    data = bytes(message)
    # The MIME epilogue (after the closing boundary) is never shown: room for the requested size.
    return data + b"\r\n" + b"=" * max(0, size - len(data) - 2) if len(data) + 2 < size else data


EMAIL_BUILDERS: dict[str, Callable[[int, random.Random], bytes]] = {
    HTML_MSG: _html_msg,
    RTF_MSG: _rtf_msg,
    ATTACHMENT_MSG: _attachment_msg,
    RELATED_EML: _related_eml,
    PLAIN_EML: _plain_eml,
}

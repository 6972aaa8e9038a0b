"""Read a saved e-mail (`.msg` with extract-msg, `.eml` with the standard library) into one plain `Email`.

Both formats end up the same shape, so rendering and extraction (`core.po.emails`) never care where a message came
from: the headers it has, its body as the sender wrote it (HTML, the HTML inside an RTF body, or plain text), its
inline images by Content-ID and its other attachments as bytes. An attached e-mail becomes bytes of its own format
(`.msg` or `.eml`), so it can be saved and read again like any other.
"""

from __future__ import annotations

import email
import logging
import mimetypes
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, MIMEPart
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

EMAIL_EXTENSIONS = (".msg", ".eml")
HEADER_LABELS = ("From", "To", "Cc", "Date", "Subject")
BodyKind = Literal["html", "rtf-html", "text", "none"]
CID_RE = re.compile(r"cid:([^\"'\s)>]+)", re.IGNORECASE)
# An .eml without any of these is not an e-mail: the standard library parses any bytes into *some* message.
EML_MARKERS = ("from", "to", "subject", "date", "message-id", "mime-version", "received", "cc")


class UnreadableEmail(Exception):
    """The file is not an e-mail this app can read; the message says why, in words a user understands."""


@dataclass(frozen=True)
class EmailAttachment:
    name: str  # as the message names it (untrusted: sanitised when saved)
    data: bytes
    mime_type: str = "application/octet-stream"
    content_id: str = ""
    is_email: bool = False  # an attached e-mail: `data` is a whole .msg or .eml


@dataclass(frozen=True)
class Email:
    headers: tuple[tuple[str, str], ...]  # (label, value) in HEADER_LABELS order, only the ones the message has
    body: str  # HTML for "html"/"rtf-html", plain text for "text"
    body_kind: BodyKind
    inline: dict[str, EmailAttachment]  # by Content-ID: images the HTML body shows (embedded, never extracted)
    attachments: tuple[EmailAttachment, ...]  # everything else


def is_email_file(name: str) -> bool:
    return name.lower().endswith(EMAIL_EXTENSIONS)


def read_email(path: Path) -> Email:
    """Read `path` (.msg or .eml). Raises UnreadableEmail when it cannot be read."""
    try:
        if path.suffix.lower() == ".msg":
            return _read_msg(path)
        return _read_eml(path.read_bytes())
    except UnreadableEmail:
        raise
    except Exception as exc:  # the parsers raise many kinds of errors on damaged files; each means "unreadable"
        log.info("E-mail %s could not be read", path, exc_info=True)
        raise UnreadableEmail(f"{type(exc).__name__}: {exc}".strip(": ")) from exc


def _email(headers: tuple[tuple[str, str], ...], body: str, kind: BodyKind, parts: list[EmailAttachment]) -> Email:
    """Attachments the HTML body refers to by `cid:` are inline images; the rest are attachments."""
    wanted = {ref.strip("<>").lower() for ref in CID_RE.findall(body)} if kind in ("html", "rtf-html") else set()
    inline = {p.content_id.lower(): p for p in parts if p.content_id and p.content_id.lower() in wanted}
    attachments = tuple(p for p in parts if not (p.content_id and p.content_id.lower() in inline))
    return Email(headers, body, kind, inline, attachments)


def _headers(values: dict[str, str | None]) -> tuple[tuple[str, str], ...]:
    cleaned = ((label, " ".join(str(values.get(label) or "").split())) for label in HEADER_LABELS)
    return tuple((label, value) for label, value in cleaned if value)


def _fallback_name(mime_type: str, index: int) -> str:
    extension = mimetypes.guess_extension(mime_type or "") or ".bin"
    return f"attachment_{index}{extension}"


# -- .msg (Outlook) ------------------------------------------------------------------------------------------------
def _read_msg(path: Path) -> Email:
    import extract_msg
    from extract_msg.enums import ErrorBehavior
    from extract_msg.msg_classes import MessageBase

    try:
        msg = extract_msg.openMsg(str(path), errorBehavior=ErrorBehavior.RTFDE | ErrorBehavior.ATTACH_NOT_IMPLEMENTED)
    except Exception as exc:
        raise UnreadableEmail(f"not an Outlook message ({_first_line(exc)})") from exc
    try:
        if not isinstance(msg, MessageBase):
            raise UnreadableEmail(f"an Outlook item that is not an e-mail ({msg.classType or 'unknown'})")
        return _msg_email(msg)
    finally:
        msg.close()


def _msg_email(msg: Any) -> Email:
    date = msg.date
    headers = _headers(
        {
            "From": msg.sender,
            "To": msg.to,
            "Cc": msg.cc,
            "Date": date.strftime("%a, %d %b %Y %H:%M %z").strip() if date else None,
            "Subject": msg.subject,
        }
    )
    body, kind = _msg_body(msg)
    parts = [part for index, att in enumerate(msg.attachments, start=1) if (part := _msg_part(att, index))]
    return _email(headers, body, kind, parts)


def _msg_body(msg: Any) -> tuple[str, BodyKind]:
    html = msg.getStream("__substg1.0_10130102")
    if html:
        return _decode_html(html), "html"
    if msg.rtfBody:
        rtf = msg.deencapsulatedRtf
        if rtf is not None and rtf.content_type == "html":
            return _decode_html(rtf.html if isinstance(rtf.html, bytes) else str(rtf.html).encode()), "rtf-html"
    text = msg.body
    return (str(text), "text") if text and str(text).strip() else ("", "none")


def _msg_part(att: Any, index: int) -> EmailAttachment | None:
    from extract_msg.msg_classes import MSGFile

    data = att.data
    name = att.longFilename or att.shortFilename or att.displayName or ""
    if isinstance(data, MSGFile):
        subject = getattr(data, "subject", "") or "Attached message"
        return EmailAttachment(name or f"{subject}.msg", data.exportBytes(), "application/vnd.ms-outlook", "", True)
    if not isinstance(data, bytes):
        return None  # a link to a cloud file or an attachment type without data: nothing to save
    mime = att.mimetype or mimetypes.guess_type(name)[0] or "application/octet-stream"
    is_email = name.lower().endswith(EMAIL_EXTENSIONS)
    return EmailAttachment(name or _fallback_name(mime, index), data, mime, (att.contentId or "").strip("<>"), is_email)


# -- .eml (internet mail) ----------------------------------------------------------------------------------------
def _read_eml(data: bytes) -> Email:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    if not data.strip() or not any(key.lower() in EML_MARKERS for key in message):
        raise UnreadableEmail("no e-mail headers found")
    headers = _headers({label: str(message.get(label, "") or "") for label in HEADER_LABELS})
    body_part = message.get_body(preferencelist=("html", "plain"))
    body = ""
    kind: BodyKind = "none"
    if body_part is not None:
        content = body_part.get_content()
        text = content if isinstance(content, str) else content.decode("utf-8", "replace")
        if body_part.get_content_subtype() == "html":
            body, kind = text, "html"
        elif text.strip():
            body, kind = text, "text"
    parts = [_eml_part(part, index) for index, part in enumerate(_eml_parts(message, body_part), start=1)]
    return _email(headers, body, kind, parts)


def _eml_parts(message: EmailMessage, body_part: MIMEPart | None) -> list[MIMEPart]:
    """Every leaf part that is not the body itself, and every attached message (whole, not walked into)."""
    found: list[MIMEPart] = []

    def visit(part: MIMEPart) -> None:
        if part is body_part:
            return
        if part.get_content_type() == "message/rfc822" or not part.is_multipart():
            if part is not message and (part.get_content_maintype() != "text" or part.get_filename()):
                found.append(part)
            return
        for child in part.iter_parts():
            visit(child)

    visit(message)
    return found


def _eml_part(part: MIMEPart, index: int) -> EmailAttachment:
    mime = part.get_content_type()
    name = part.get_filename() or ""
    if mime == "message/rfc822":
        inner = part.get_content()
        subject = str(inner.get("Subject", "") or "Attached message")
        return EmailAttachment(name or f"{subject}.eml", inner.as_bytes(policy=policy.default), mime, "", True)
    data = part.get_payload(decode=True)
    payload = data if isinstance(data, bytes) else b""
    content_id = str(part.get("Content-ID", "") or "").strip().strip("<>")
    is_email = name.lower().endswith(EMAIL_EXTENSIONS)
    return EmailAttachment(name or _fallback_name(mime, index), payload, mime, content_id, is_email)


# -- helpers -------------------------------------------------------------------------------------------------------
CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


def _decode_html(data: bytes) -> str:
    """HTML bytes to text: the charset the HTML declares, else UTF-8, else Windows-1252 (Outlook's usual)."""
    declared = CHARSET_RE.search(data[:4096])
    for charset in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8"]:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__

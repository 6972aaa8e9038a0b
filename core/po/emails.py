"""Make saved e-mails readable (PRODUCT.md step 7): a PDF beside each `.msg`/`.eml`, its attachments extracted.

The PDF is printed by the worker's own browser from an HTML page built here: the headers the message has, the body
as the sender wrote it (inline images embedded as `data:` URIs) and the list of its attachments. The page carries a
Content-Security-Policy that forbids every load but `data:`, and the browser blocks the network while it prints, so
an e-mail can never fetch remote content (tracking pixels, scripts). The original is always kept; a message that
cannot be read is reported, never fatal.
"""

from __future__ import annotations

import base64
import html
import logging
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from core.errors import BrowserCrashed
from core.po.email_reading import (
    CID_RE,
    EMAIL_EXTENSIONS,
    Email,
    EmailAttachment,
    UnreadableEmail,
    is_email_file,
    read_email,
)
from core.po.folders import UniqueNames, safe_filename, safe_folder_name
from core.po.path_budget import PART_SUFFIX

log = logging.getLogger(__name__)

ATTACHMENTS_SUFFIX = "_attachments"
# The PDF and the extracted files are a convenience: they never take the last free space, which the portal's files
# and the run's journal need. An e-mail is converted only when this much stays free after three times its size.
DISK_RESERVE = 32 * 1024 * 1024
MAX_NESTING = 3  # an e-mail attached to an e-mail attached to an e-mail is converted; deeper ones are only saved

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
PAGE_HEAD = (
    f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    '<meta http-equiv="x-dns-prefetch-control" content="off"><meta name="referrer" content="no-referrer">'
    "<style>.cd-mail-head{font:13px/1.45 Arial,Helvetica,sans-serif;color:#111;border-bottom:2px solid #1f4e78;"
    "margin:0 0 14px;padding:0 0 8px}.cd-mail-head th{text-align:left;vertical-align:top;padding:1px 10px 1px 0;"
    "white-space:nowrap}.cd-mail-head td{padding:1px 0;word-break:break-word}.cd-mail-subject{font-size:17px;"
    "font-weight:bold}.cd-mail-text{font:13px/1.45 Arial,Helvetica,sans-serif;white-space:pre-wrap;"
    "word-wrap:break-word}.cd-mail-empty{font:italic 13px Arial,Helvetica,sans-serif;color:#666}</style>"
)
HEAD_OPEN_RE = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
HTML_OPEN_RE = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
DOCTYPE_RE = re.compile(r"^\s*<!doctype[^>]*>", re.IGNORECASE)
BODY_OPEN_RE = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
# A refresh or a <base> could point the page elsewhere; the network is blocked anyway, but the print must be this page.
NAVIGATING_RE = re.compile(r"<meta\b[^>]*http-equiv\s*=\s*[\"']?refresh[^>]*>|<base\b[^>]*>", re.IGNORECASE)


class PdfPrinter(Protocol):
    def print_to_pdf(self, html: str) -> bytes: ...


@dataclass(frozen=True)
class EmailOutcome:
    """One e-mail handled: its PDF (empty when not converted), the files extracted from it, or why it failed."""

    name: str  # the e-mail's path inside the PO folder
    pdf: str = ""
    extracted: int = 0
    error: str = ""


@dataclass
class EmailsConverted:
    """All e-mails of one PO folder (attached e-mails included)."""

    converted: int = 0
    extracted: int = 0
    errors: list[str] = field(default_factory=list)


def products_of(folder: Path, email_names: Iterable[str]) -> list[str]:
    """The PDFs and attachment folders that the conversion of these e-mails left in `folder`: they belong with their
    e-mail wherever the PO's files go (a retry gives them the PO's new status folder too)."""
    stems = {Path(name).stem for name in email_names if is_email_file(name)}
    if not stems or not folder.is_dir():
        return []
    return [item.name for item in folder.iterdir() if is_email_product(item) and _product_stems(item) & stems]


def _product_stems(item: Path) -> set[str]:
    """The e-mail stems a conversion product may come from: `X_attachments` -> X; `X.pdf` or `X_2.pdf` -> X."""
    if item.is_dir():
        return {item.name.removesuffix(ATTACHMENTS_SUFFIX)}
    return {item.stem, re.sub(r"_\d+$", "", item.stem)}


def is_email_product(path: Path) -> bool:
    """Did the conversion make this? A PDF beside the e-mail it was printed from (`X.pdf`, or `X_2.pdf` when the
    name was taken), or the folder of files extracted from that e-mail (`X_attachments`). Judged by names alone, so a
    PDF the portal itself served next to an e-mail of the same name counts too: for tools and tests that compare a
    folder with what the portal served."""
    made = path.name.endswith(ATTACHMENTS_SUFFIX) if path.is_dir() else path.suffix.lower() == ".pdf"
    stems = _product_stems(path)
    return made and any(path.with_name(stem + ext).is_file() for stem in stems for ext in EMAIL_EXTENSIONS)


def convert_emails(
    folder: Path,
    file_names: Iterable[str],
    *,
    extract: bool,
    printer: PdfPrinter,
    names: UniqueNames,
    on_email: Callable[[EmailOutcome], None] = lambda outcome: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> EmailsConverted:
    """Convert the e-mails among `file_names` (files in `folder`); `extract` also saves their attachments.

    Never raises for a bad message: each problem is one line in `errors`. A browser that dies while printing stops
    the conversion (the worker notices on its next page and is replaced).
    """
    done = EmailsConverted()
    # Only e-mails saved by this attempt: one kept from an earlier attempt has its PDF beside it where it lies.
    emails = [folder / name for name in file_names if is_email_file(name) and (folder / name).is_file()]
    for index, path in enumerate(emails):
        if cancelled():
            left = ", ".join(p.name for p in emails[index:])
            done.errors.append(f"E-mails not converted (the run was cancelled): {left}.")
            break
        free = shutil.disk_usage(folder).free
        if free < DISK_RESERVE + 3 * path.stat().st_size:
            _failed(
                path.name,
                f"{path.name} was not converted: the disk is nearly full ({free >> 20} MB free).",
                done,
                on_email,
            )
            continue
        try:
            _convert(path, folder, extract, printer, names, done, on_email, depth=1)
        except BrowserCrashed as exc:
            done.errors.append(f"E-mails not converted, the browser stopped: {exc}")
            break
        except OSError as exc:  # a full disk, a name taken by a folder: this e-mail stays as it is, the PO goes on
            log.warning("E-mail %s could not be converted", path, exc_info=True)
            _failed(path.name, f"{path.name} could not be converted ({exc}).", done, on_email)
    return done


def _convert(
    path: Path,
    root: Path,
    extract: bool,
    printer: PdfPrinter,
    names: UniqueNames,
    done: EmailsConverted,
    on_email: Callable[[EmailOutcome], None],
    depth: int,
) -> None:
    shown = path.relative_to(root).as_posix()
    try:
        message = read_email(path)
    except UnreadableEmail as exc:
        _failed(shown, f"{shown} could not be read as an e-mail and was kept as it is ({exc}).", done, on_email)
        return
    listed: list[tuple[str, int]] = [(safe_filename(a.name), len(a.data)) for a in message.attachments]
    extracted: list[Path] = []
    if extract and message.attachments:
        folder = path.parent / (safe_folder_name(path.stem, 140) + ATTACHMENTS_SUFFIX)
        folder.mkdir(exist_ok=True)
        extracted = [_save(folder, a.name, a.data, names) for a in message.attachments]
        listed = [(p.name, p.stat().st_size) for p in extracted]
    try:
        pdf = _save(path.parent, f"{path.stem}.pdf", printer.print_to_pdf(email_page(message, listed)), names)
    except BrowserCrashed:
        raise
    except Exception as exc:  # a page the browser cannot print costs this e-mail its PDF, nothing more
        log.warning("E-mail %s could not be printed", path, exc_info=True)
        _failed(shown, f"{shown} could not be converted to PDF ({type(exc).__name__}: {exc}).", done, on_email)
        return
    done.converted += 1
    done.extracted += len(extracted)
    on_email(EmailOutcome(shown, pdf.relative_to(root).as_posix(), len(extracted)))
    for inner, attachment in zip(extracted, message.attachments if extracted else (), strict=True):
        if (attachment.is_email or is_email_file(inner.name)) and depth < MAX_NESTING:
            _convert(inner, root, extract, printer, names, done, on_email, depth + 1)


def _failed(name: str, error: str, done: EmailsConverted, on_email: Callable[[EmailOutcome], None]) -> None:
    done.errors.append(error)
    on_email(EmailOutcome(name, error=error))


def _save(folder: Path, name: str, data: bytes, names: UniqueNames) -> Path:
    """Write `data` under a new unique name in `folder` (atomic: `.part`, then renamed); an identical file that is
    already there (an earlier attempt of the same PO) is kept instead of a copy."""
    same = folder / safe_filename(name)
    if same.is_file() and same.stat().st_size == len(data) and same.read_bytes() == data:
        return same
    target = names.reserve(folder, name)
    part = target.with_name(target.name + PART_SUFFIX)
    try:
        part.write_bytes(data)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
        names.release(target)
    return target


# -- the printed page --------------------------------------------------------------------------------------------
def email_page(message: Email, attachments: list[tuple[str, int]]) -> str:
    """The HTML document printed to PDF: our header block, then the message's own body."""
    header = _header_block(message, attachments)
    if message.body_kind in ("html", "rtf-html"):
        return _wrap_html(_embed_inline(NAVIGATING_RE.sub("", message.body), message.inline), header)
    if message.body_kind == "text":
        body = f'<div class="cd-mail-text">{html.escape(message.body.strip())}</div>'
    else:
        body = '<p class="cd-mail-empty">(This message has no text.)</p>'
    return f'<!DOCTYPE html><html><head><meta charset="utf-8">{PAGE_HEAD}</head><body>{header}{body}</body></html>'


def _header_block(message: Email, attachments: list[tuple[str, int]]) -> str:
    rows = []
    for label, value in message.headers:
        css = ' class="cd-mail-subject"' if label == "Subject" else ""
        rows.append(f"<tr><th>{label}:</th><td{css}>{html.escape(value)}</td></tr>")
    if attachments:
        listed = "<br>".join(f"{html.escape(name)} ({_size(size)})" for name, size in attachments)
        rows.append(f"<tr><th>Attachments:</th><td>{listed}</td></tr>")
    return f'<div class="cd-mail-head"><table>{"".join(rows)}</table></div>'


def _embed_inline(body: str, inline: dict[str, EmailAttachment]) -> str:
    def data_uri(match: re.Match[str]) -> str:
        image = inline.get(match.group(1).strip("<>").lower())
        if image is None:
            return match.group(0)
        return f"data:{image.mime_type};base64,{base64.b64encode(image.data).decode('ascii')}"

    return CID_RE.sub(data_uri, body)


def _wrap_html(body: str, header: str) -> str:
    """The message's own document with our policy first in its head and our header block first in its body."""
    opened = BODY_OPEN_RE.search(body)
    if opened:
        body = body[: opened.end()] + header + body[opened.end() :]
        header = ""
    anchor = HEAD_OPEN_RE.search(body) or HTML_OPEN_RE.search(body) or DOCTYPE_RE.search(body)
    at = anchor.end() if anchor else 0
    return body[:at] + PAGE_HEAD + header + body[at:]


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1048576:.1f} MB"

"""What the browser is showing: a PO page, a requisition, "not found", "no access", or a sign-in detour.

The URL is judged first (see `core.urls.looks_signed_out`), then the page's own headings and messages.
"""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import urlsplit

from core.po.page_doc import Doc, attr, has_phrase, normalize, parse, text_of
from core.urls import looks_signed_out

PO_PATH_RE = re.compile(r"/order_headers/[^/?#]+", re.IGNORECASE)
REQUISITION_PATH_RE = re.compile(r"/requisition_headers/\d+", re.IGNORECASE)
# Error phrases, compared after apostrophes are made ASCII and text is lower-cased.
NOT_FOUND_PHRASES = (
    "we couldn't find what you wanted",
    "couldn't find what you wanted",
    "could not find what you wanted",
    "page not found",
    "não encontramos o que você procurava",
    "nao encontramos o que voce procurava",
    "página não encontrada",
)
NO_ACCESS_PHRASES = (
    "you are not authorized",
    "you're not authorized",
    "not authorized",
    "access denied",
    "not allowed to access",
    "você não tem permissão",
    "acesso negado",
)


class PageKind(StrEnum):
    PO_PAGE = "PO_PAGE"
    REQUISITION_PAGE = "REQUISITION_PAGE"
    NOT_FOUND = "NOT_FOUND"
    NO_ACCESS = "NO_ACCESS"
    SIGNED_OUT = "SIGNED_OUT"
    UNKNOWN = "UNKNOWN"


def _controller(doc: Doc) -> str:
    for tag in (doc.first("html"), doc.first("body")):
        if tag is not None and attr(tag, "data-controller"):
            return attr(tag, "data-controller").lower()
    return ""


def _flash_text(doc: Doc) -> str:
    tags = [doc.by_id("flash_container")]
    for cls in ("flash_error", "flash_notice", "notice", "alert-danger", "alert-error"):
        tags.extend(doc.with_class(cls))
    return " ".join(text_of(t) for t in tags if t is not None)


def _title_and_h1(doc: Doc) -> list[str]:
    return [text_of(doc.first("title"))] + [text_of(h) for h in doc.named("h1")]


def _headings_text(doc: Doc) -> str:
    tags = [*doc.named("h1", "h2"), doc.by_id("error-message"), doc.by_id("error-detail")]
    return " ".join([text_of(doc.first("title")), *(text_of(t) for t in tags if t is not None)])


def _content_kind(doc: Doc, current_url: str) -> PageKind | None:
    """PO_PAGE or REQUISITION_PAGE when the page says so (controller, then heading, then URL), else None."""
    controller = _controller(doc)
    if controller == "order_headers":
        return PageKind.PO_PAGE
    if controller == "requisition_headers":
        return PageKind.REQUISITION_PAGE
    heads = _title_and_h1(doc)
    if any(re.search(r"purchase order\s*#", h, re.IGNORECASE) for h in heads):
        return PageKind.PO_PAGE
    if any(re.search(r"requisition\s*#", h, re.IGNORECASE) for h in heads):
        return PageKind.REQUISITION_PAGE
    # A tenant whose layout lacks both markers: on the PO URL with PO building blocks is still a PO page.
    path = urlsplit(current_url).path
    if PO_PATH_RE.search(path) and doc.has_content_blocks():
        return PageKind.PO_PAGE
    if REQUISITION_PATH_RE.search(path) and doc.first("body") is not None:
        return PageKind.REQUISITION_PAGE
    return None


def classify_page(current_url: str, html: str, base_url: str) -> PageKind:
    """What the browser is showing. The URL is judged first (see `looks_signed_out`), then the content."""
    if looks_signed_out(current_url, base_url):
        return PageKind.SIGNED_OUT
    if not html or not html.strip():
        return PageKind.UNKNOWN
    doc = parse(html)
    content_kind = _content_kind(doc, current_url)
    # Error pages may carry the controller of the URL they replace, so a page counts as real content only when
    # it also has the building blocks of one.
    is_content_page = content_kind is not None and doc.has_content_blocks()

    # A login form means the session is gone whatever else the page says: signing in again and retrying costs
    # little, while calling it "not found" would lose the PO for good.
    has_password = any(attr(t, "type").lower() == "password" for t in doc.named("input"))
    if (doc.by_id("user_login") and doc.by_id("user_password")) or has_password:
        return PageKind.SIGNED_OUT

    error_text = text_of(doc.by_id("error-message"))
    heading_text = _headings_text(doc)
    # On a real PO page a comment may quote anything, so only the page's own headings count there; an
    # unrecognised page is judged by all of its visible text (its main message).
    message_text = heading_text if is_content_page else " ".join(doc.soup.get_text(" ", strip=True).split())

    if error_text and has_phrase(error_text, NO_ACCESS_PHRASES):
        return PageKind.NO_ACCESS
    if error_text and (not is_content_page or "oops" in normalize(error_text)):
        return PageKind.NOT_FOUND
    if has_phrase(heading_text, NOT_FOUND_PHRASES) or has_phrase(message_text, NOT_FOUND_PHRASES):
        return PageKind.NOT_FOUND
    if has_phrase(_flash_text(doc), NO_ACCESS_PHRASES) or has_phrase(message_text, NO_ACCESS_PHRASES):
        return PageKind.NO_ACCESS
    return content_kind or PageKind.UNKNOWN

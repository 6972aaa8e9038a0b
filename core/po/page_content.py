"""What a PO (or requisition) page says: its supplier, its attachments (header, lines, comments), its requisition.

Text attachments are notes and URL attachments point outside Coupa: both are listed, never fetched.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import Tag

from core.models import AttachmentKind, AttachmentLink, AttachmentSource
from core.po.page_doc import Doc, attr, class_names, inside, normalize, parse, text_of
from core.urls import name_from_url

log = logging.getLogger(__name__)

# Download URLs of header, line and comment files. `/attachments/<aid>` (a "show" route that redirects back to
# the page) and `/order_headers/<id>/download_summary` deliberately do not match.
FILE_URL_RE = re.compile(r"(^|/)attachment/attachment_file/", re.IGNORECASE)
SHOW_ROUTE_RE = re.compile(r"/attachments/\d+/?$", re.IGNORECASE)
REQUISITION_PATH_RE = re.compile(r"/requisition_headers/\d+", re.IGNORECASE)
VENDOR_NUMBER_RE = re.compile(r"\s*-\s*\d{5,}\s*$")
SUPPLIER_LINK_TITLE_RE = re.compile(r"^\s*\d+\s*-\s*(.+?)\s*$")
SUPPLIER_LABELS = ("supplier", "fornecedor", "vendor", "proveedor", "fournisseur", "lieferant")
# Comment areas by id or class (`comments`, `s-comment`, `commentAttachments`, `comment-list`), but not a PO
# field such as `order_header_comments` or a page-level `commentable` flag.
COMMENT_AREA_RE = re.compile(r"^(s-|js-)?comments?(?!able)", re.IGNORECASE)
LINE_ID_RE = re.compile(r"(order|requisition)_line", re.IGNORECASE)
ATTACHMENT_KIND_SUFFIXES: tuple[tuple[str, AttachmentKind], ...] = (
    (" file attachment", "file"),
    (" text attachment", "text"),
    (" url attachment", "url"),
)
ELLIPSES = ("…", "...")
ADD_BUTTON_RE = re.compile(r"^(\+\s*)?add( a| new)?( file| text| url)?( attachments?)?$")
URL_ATTRIBUTES = ("data-url", "href", "data-href", "data-download-url")


@dataclass(frozen=True)
class PageContent:
    """What a PO (or requisition) page says about its supplier and attachments."""

    supplier: str
    attachments: tuple[AttachmentLink, ...]
    requisition_url: str | None

    @property
    def files(self) -> tuple[AttachmentLink, ...]:
        return tuple(a for a in self.attachments if a.kind == "file")


# ---------------------------------------------------------------------------------------------- supplier


def clean_supplier(raw: str) -> str:
    """`" Northwind Paper Ltd-0000412233 "` -> `"Northwind Paper Ltd"` (the vendor number is not a name)."""
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    return VENDOR_NUMBER_RE.sub("", text).strip()


def _supplier_from_form(doc: Doc) -> str:
    """The value of a field labelled "Supplier" (tenants without the supplier section)."""
    labels = [t for t in doc.tags if t.name in ("label", "dt", "th") or class_names(t) & {"group_label", "label"}]
    for label in labels:
        if normalize(text_of(label)).rstrip(":").strip() not in SUPPLIER_LABELS:
            continue
        if label.name in ("dt", "th"):
            # Definition lists and tables hold many fields: the value is the very next cell.
            value_cell = label.find_next_sibling(["dd", "td"])
            if isinstance(value_cell, Tag) and text_of(value_cell):
                return _supplier_from_named(value_cell.select_one("a[href*='/suppliers/show/']") or value_cell)
            continue
        field = label.find_parent(class_="form_element") or label.find_parent(["tr", "div"])
        if field is None:
            continue
        named = field.select_one(".supplier-name, a[href*='/suppliers/show/']")
        if named is not None:
            return _supplier_from_named(named)
        value = text_of(field).replace(text_of(label), "", 1)
        if value.strip():
            return clean_supplier(value)
    return ""


def _supplier_from_named(tag: Tag) -> str:
    if tag.name == "a":
        match = SUPPLIER_LINK_TITLE_RE.match(attr(tag, "title"))
        if match:
            return clean_supplier(match.group(1))
    return clean_supplier(text_of(tag)) or clean_supplier(attr(tag, "title"))


def _read_supplier(doc: Doc) -> str:
    section = doc.by_id("supplier")
    named = doc.with_class("supplier-name")
    # The supplier section's name first; another `.supplier-name` (a line's, a widget's) only as a fallback.
    in_section = [t for t in named if section is not None and inside(t, section)]
    for tag in in_section + named:
        if clean_supplier(text_of(tag)):
            return clean_supplier(text_of(tag))
    for link in doc.named("a"):
        if "/suppliers/show/" in attr(link, "href"):
            name = _supplier_from_named(link)
            if name:
                return name
    return _supplier_from_form(doc)


# ------------------------------------------------------------------------------------------- attachments


def _is_item_root(tag: Tag) -> bool:
    """An attachment entry: an item of an attachments list, or an attachment span placed outside one."""
    classes = class_names(tag)
    if tag.name == "li":
        if classes & {"attachment", "s-attachmentfile"}:
            return True
        parent = tag.find_parent(["ul", "ol"])
        if parent is not None and class_names(parent) & {"attachments-list", "s-attachmentlist"}:
            return True
    return bool(classes & {"attachment-file", "attachment-text", "attachment-url"})


def _source_of(tag: Tag) -> AttachmentSource:
    in_line = False
    for ancestor in tag.parents:
        if not isinstance(ancestor, Tag):
            continue
        ident = attr(ancestor, "id").lower()
        classes = class_names(ancestor)
        if COMMENT_AREA_RE.match(ident) or any(COMMENT_AREA_RE.match(c) for c in classes):
            return "comment"
        if LINE_ID_RE.search(ident) or classes & {"order_line", "order-line", "line-item", "line_item"}:
            in_line = True
    return "line" if in_line else "header"


def _own_urls(tag: Tag) -> Iterator[str]:
    for name in URL_ATTRIBUTES:
        value = attr(tag, name)
        if value:
            yield value


def _candidate_urls(root: Tag) -> Iterator[str]:
    """URLs of an entry and everything inside it, outermost first (the li's data-url, then the span's)."""
    for tag in [root, *root.find_all(True)]:
        if isinstance(tag, Tag):
            yield from _own_urls(tag)


def _is_real_url(url: str) -> bool:
    low = url.lower()
    return bool(url) and not low.startswith(("javascript:", "#", "mailto:")) and not SHOW_ROUTE_RE.search(url)


def _absolute(url: str, page_url: str) -> str:
    return urldefrag(urljoin(page_url, url.strip()))[0]


def _aria_kind(root: Tag) -> tuple[AttachmentKind | None, str]:
    """The kind and name an aria-label such as `"Quote.pdf file attachment"` announces."""
    for tag in [root, *root.find_all(True)]:
        if not isinstance(tag, Tag):
            continue
        label = " ".join(attr(tag, "aria-label").split())
        for suffix, kind in ATTACHMENT_KIND_SUFFIXES:
            name = label[: -len(suffix)].strip()
            if label.lower().endswith(suffix) and name.lower() != "add":
                return kind, name
    return None, ""


def _visible_text(root: Tag) -> str:
    """Text of the entry without hidden helpers such as `(→ Supplier)`."""
    parts = []
    for piece in root.find_all(string=True):
        parent = piece.parent
        hidden = False
        while isinstance(parent, Tag) and parent is not root.parent:
            style = attr(parent, "style").replace(" ", "").lower()
            if "display:none" in style or "intent-show" in class_names(parent) or parent.name in ("script", "style"):
                hidden = True
                break
            parent = parent.parent
        if not hidden:
            parts.append(str(piece))
    return " ".join(" ".join(parts).split())


def _display_name(root: Tag, aria_name: str, url: str) -> str:
    button = root if attr(root, "role") == "button" else root.select_one("[role=button]")
    link = root if root.name == "a" else root.select_one("a[title], a[href]")
    candidates = [
        attr(button, "title") if button else "",
        text_of(button) if button else "",
        attr(link, "title") if link else "",
        attr(root, "title"),
        aria_name,
        _visible_text(root),
    ]
    url_name = name_from_url(url) if url else ""
    for candidate in candidates:
        name = " ".join(candidate.split())
        if not name:
            continue
        if name.endswith(ELLIPSES) and url_name:
            return url_name  # Coupa shortens long names on screen; the URL keeps the whole one
        return name
    return url_name


def _kind_of(root: Tag, aria_kind: AttachmentKind | None, urls: list[str]) -> AttachmentKind:
    """The aria-label says it best; then a download URL means a file; then the span's class."""
    if aria_kind is not None:
        return aria_kind
    if any(FILE_URL_RE.search(u) for u in urls):
        return "file"
    classes = class_names(root) | {c for t in root.find_all(True) if isinstance(t, Tag) for c in class_names(t)}
    if "attachment-text" in classes:
        return "text"
    if "attachment-url" in classes:
        return "url"
    return "file"


def _read_item(root: Tag, page_url: str) -> AttachmentLink | None:
    if class_names(root) & {"none"} or (normalize(_visible_text(root)) in ("none", "nenhum") and not attr(root, "id")):
        return None  # the "None" placeholder of an empty list
    aria_kind, aria_name = _aria_kind(root)
    urls = list(_candidate_urls(root))
    kind = _kind_of(root, aria_kind, urls)
    source = _source_of(root)
    if kind == "file":
        file_url = next((u for u in urls if FILE_URL_RE.search(u)), "")
        if not file_url:
            log.debug("Attachment entry without a download URL skipped: %s", _visible_text(root)[:80])
            return None
        url = _absolute(file_url, page_url)
        return AttachmentLink(name=_display_name(root, aria_name, url), url=url, kind="file", source=source)
    if kind == "text":
        name = aria_name or _display_name(root, "", "")
        return AttachmentLink(name=name, url="", kind="text", source=source) if name else None
    real = next((u for u in urls if _is_real_url(u)), "")
    url = _absolute(real, page_url) if real.startswith("/") else real
    name = _display_name(root, aria_name, "") or url
    return AttachmentLink(name=name, url=url, kind="url", source=source) if name else None


def _is_button(tag: Tag) -> bool:
    """ "Add File Attachment" and friends: controls, not attachments (a file named "Add on.pdf" still counts)."""
    if tag.name in ("button", "input"):
        return True
    return bool(ADD_BUTTON_RE.match(normalize(_visible_text(tag)))) and not any(
        FILE_URL_RE.search(u) for u in _candidate_urls(tag)
    )


def attachments_within(container: Tag, page_url: str) -> tuple[AttachmentLink, ...]:
    """The attachments inside one part of a page (a PO line's row, say)."""
    return _read_attachments([container, *container.find_all(True)], page_url)


def _read_attachments(tags: list[Tag], page_url: str) -> tuple[AttachmentLink, ...]:
    """Every attachment among `tags` in page order, de-duplicated by URL (text notes by name)."""
    found: list[AttachmentLink] = []
    seen: set[tuple[str, str]] = set()
    consumed: set[int] = set()

    def add(link: AttachmentLink | None) -> None:
        if link is None:
            return
        key = (link.kind, link.url) if link.url else (link.kind, f"{link.source}:{link.name}")
        if key not in seen:
            seen.add(key)
            found.append(link)

    for tag in tags:
        if id(tag) in consumed:
            continue
        if _is_item_root(tag) and not _is_button(tag):
            consumed.update(id(t) for t in tag.find_all(True))
            add(_read_item(tag, page_url))
            continue
        # A bare link or clickable element carrying a file URL (comment files, tenants without the list markup).
        file_url = next((u for u in _own_urls(tag) if FILE_URL_RE.search(u)), "")
        if file_url:
            consumed.update(id(t) for t in tag.find_all(True))
            url = _absolute(file_url, page_url)
            add(AttachmentLink(name=_display_name(tag, "", url), url=url, kind="file", source=_source_of(tag)))
    return tuple(found)


def _read_requisition_url(doc: Doc, page_url: str) -> str | None:
    link = doc.by_id("order_header_requisition_header")
    if link is not None and REQUISITION_PATH_RE.search(attr(link, "href")):
        return _absolute(attr(link, "href"), page_url)
    top_form = doc.by_id("topForm")
    links = doc.named("a")
    # The general info first; then any requisition link outside the comments (whose timestamps link to one).
    scopes = [[a for a in links if top_form is not None and inside(a, top_form)], links]
    for scope in scopes:
        for candidate in scope:
            href = attr(candidate, "href")
            if not REQUISITION_PATH_RE.search(urlsplit(href).path) or _source_of(candidate) == "comment":
                continue
            url = _absolute(href, page_url)
            if url != _absolute(page_url, page_url):
                return url
    return None


def read_page(html: str, page_url: str) -> PageContent:
    """Supplier, attachments and requisition link of a PO or requisition page."""
    doc = parse(html or "")
    return PageContent(
        supplier=_read_supplier(doc),
        attachments=_read_attachments(doc.tags, page_url),
        requisition_url=_read_requisition_url(doc, page_url),
    )

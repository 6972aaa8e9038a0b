"""Coupa page knowledge: URL building, page classification, supplier and attachment reading.

Pages are read by meaning (ids, classes, roles, aria-labels, URL shapes), never by position: tenants wrap and
reorder fields differently, and the same page must be understood on all of them. Everything here works on plain
HTML strings, so it is testable without a browser.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from core.models import AttachmentKind, AttachmentLink, AttachmentSource

log = logging.getLogger(__name__)

DEFAULT_PO_URL_TEMPLATE = "{base}/order_headers/{po}"

# Download URLs of header, line and comment files. `/attachments/<aid>` (a "show" route that redirects back to
# the page) and `/order_headers/<id>/download_summary` deliberately do not match.
FILE_URL_RE = re.compile(r"(^|/)attachment/attachment_file/", re.IGNORECASE)
SHOW_ROUTE_RE = re.compile(r"/attachments/\d+/?$", re.IGNORECASE)
PO_PATH_RE = re.compile(r"/order_headers/[^/?#]+", re.IGNORECASE)
REQUISITION_PATH_RE = re.compile(r"/requisition_headers/\d+", re.IGNORECASE)
# Paths that are Coupa content even if their query mentions a login word (e.g. `?return_to=...sso...`).
CONTENT_PATH_RE = re.compile(r"/(order_headers|requisition_headers)(/|$)", re.IGNORECASE)
# Words in a URL's path or query that mean "you are being signed in". Matched at the start of a word so that
# e.g. `/assortments` does not look like `sso`.
SIGN_IN_URL_RE = re.compile(
    r"(?<![a-z])(sessions?|login|logon|log_in|signin|sign_in|sign-in|sso|saml|oauth|openid|pingfederate|idp|adfs"
    r"|auth|authorize|okta|wsfed)",
    re.IGNORECASE,
)

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
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})

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


class PageKind(StrEnum):
    PO_PAGE = "PO_PAGE"
    REQUISITION_PAGE = "REQUISITION_PAGE"
    NOT_FOUND = "NOT_FOUND"
    NO_ACCESS = "NO_ACCESS"
    SIGNED_OUT = "SIGNED_OUT"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class PageContent:
    """What a PO (or requisition) page says about its supplier and attachments."""

    supplier: str
    attachments: tuple[AttachmentLink, ...]
    requisition_url: str | None

    @property
    def files(self) -> tuple[AttachmentLink, ...]:
        return tuple(a for a in self.attachments if a.kind == "file")


# ----------------------------------------------------------------------------------------------------- URLs


def po_url(template: str, base_url: str, po_key: str) -> str:
    """The PO page URL: `template` may use `{base}` (no trailing '/') and `{po}` (the PO digits)."""
    return (template or DEFAULT_PO_URL_TEMPLATE).format(base=base_url.rstrip("/"), po=po_key.strip())


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def same_origin(url: str, base_url: str) -> bool:
    """True when `url` has the scheme, host and port of the portal (so its cookies may be sent there)."""
    scheme, host, port = _origin(url)
    return bool(host) and (scheme, host, port) == _origin(base_url)


def looks_signed_out(current_url: str, base_url: str) -> bool:
    """True when the browser was sent away to sign in: another host, or a login/SSO path on the portal.

    Some tenants show the same "Oops" page on an expired session as for a missing PO, so the URL decides first;
    mixing the two up once marked every remaining PO of a run "not found".
    """
    parts = urlsplit(current_url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return False  # about:blank, data:, chrome-error://: not enough to say
    scheme, host, port = _origin(current_url)
    base_scheme, base_host, base_port = _origin(base_url)
    # Another host, or another port of the same host (a local IdP), is the sign-in service. The same host over
    # the other scheme (an http -> https upgrade) is still the portal.
    if host != base_host or (scheme == base_scheme and port != base_port):
        return True
    path = unquote(parts.path)
    if CONTENT_PATH_RE.search(path):
        return False
    return bool(SIGN_IN_URL_RE.search(path) or SIGN_IN_URL_RE.search(unquote(parts.query)))


# ------------------------------------------------------------------------------------------- classification


def _text(tag: Tag | None) -> str:
    if tag is None:
        return ""
    return " ".join(tag.get_text(" ", strip=True).split())


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(APOSTROPHES).lower().split())


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return " ".join(str(v) for v in value).strip()


def _inside(tag: Tag, container: Tag) -> bool:
    # Identity, not `in`: bs4 compares tags by content, so an equal-looking tag elsewhere would match.
    return any(parent is container for parent in tag.parents)


def _classes(tag: Tag) -> set[str]:
    return {c.lower() for c in _attr(tag, "class").split()}


def _has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    normalised = _norm(text)
    return any(p in normalised for p in phrases)


class _Doc:
    """A parsed page with one index of its elements by id, class and tag name.

    Real PO pages hold tens of thousands of elements; CSS selectors over the whole tree cost a full walk each,
    so the walk is done once and every page-wide question is answered from the index.
    """

    def __init__(self, html: str) -> None:
        self.soup = BeautifulSoup(html or "", "html.parser")
        self.tags: list[Tag] = [t for t in self.soup.find_all(True) if isinstance(t, Tag)]
        self._ids: dict[str, Tag] = {}
        self._classes: dict[str, list[Tag]] = {}
        self._names: dict[str, list[Tag]] = {}
        for tag in self.tags:
            ident = _attr(tag, "id")
            if ident:
                self._ids.setdefault(ident, tag)
            for cls in _classes(tag):
                self._classes.setdefault(cls, []).append(tag)
            self._names.setdefault(tag.name, []).append(tag)

    def by_id(self, ident: str) -> Tag | None:
        return self._ids.get(ident)

    def with_class(self, cls: str) -> list[Tag]:
        return self._classes.get(cls.lower(), [])

    def named(self, *names: str) -> list[Tag]:
        if len(names) == 1:
            return self._names.get(names[0], [])
        wanted = set(names)
        return [t for t in self.tags if t.name in wanted]

    def first(self, name: str) -> Tag | None:
        found = self.named(name)
        return found[0] if found else None

    def has_content_blocks(self) -> bool:
        """The building blocks of a PO or requisition page (which error pages lack)."""
        header = self.by_id("pageHeader")
        supplier = self.by_id("supplier")
        return bool(
            self.by_id("topForm")
            or self.by_id("order_header_readable_status")
            or self.with_class("attachments-list")
            or (header is not None and header.name == "h1")
            or (supplier is not None and supplier.name == "section")
        )


@functools.lru_cache(maxsize=2)
def _parse(html: str) -> _Doc:
    # A worker classifies a page and then reads the same HTML: parse it once. Nothing mutates a _Doc.
    return _Doc(html)


def _controller(doc: _Doc) -> str:
    for tag in (doc.first("html"), doc.first("body")):
        if tag is not None and _attr(tag, "data-controller"):
            return _attr(tag, "data-controller").lower()
    return ""


def _flash_text(doc: _Doc) -> str:
    tags = [doc.by_id("flash_container")]
    for cls in ("flash_error", "flash_notice", "notice", "alert-danger", "alert-error"):
        tags.extend(doc.with_class(cls))
    return " ".join(_text(t) for t in tags if t is not None)


def _title_and_h1(doc: _Doc) -> list[str]:
    return [_text(doc.first("title"))] + [_text(h) for h in doc.named("h1")]


def _headings_text(doc: _Doc) -> str:
    tags = [*doc.named("h1", "h2"), doc.by_id("error-message"), doc.by_id("error-detail")]
    return " ".join([_text(doc.first("title")), *(_text(t) for t in tags if t is not None)])


def _content_kind(doc: _Doc, current_url: str) -> PageKind | None:
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
    doc = _parse(html)
    content_kind = _content_kind(doc, current_url)
    # Error pages may carry the controller of the URL they replace, so a page counts as real content only when
    # it also has the building blocks of one.
    is_content_page = content_kind is not None and doc.has_content_blocks()

    # A login form means the session is gone whatever else the page says: signing in again and retrying costs
    # little, while calling it "not found" would lose the PO for good.
    has_password = any(_attr(t, "type").lower() == "password" for t in doc.named("input"))
    if (doc.by_id("user_login") and doc.by_id("user_password")) or has_password:
        return PageKind.SIGNED_OUT

    error_text = _text(doc.by_id("error-message"))
    heading_text = _headings_text(doc)
    # On a real PO page a comment may quote anything, so only the page's own headings count there; an
    # unrecognised page is judged by all of its visible text (its main message).
    message_text = heading_text if is_content_page else " ".join(doc.soup.get_text(" ", strip=True).split())

    if error_text and _has_phrase(error_text, NO_ACCESS_PHRASES):
        return PageKind.NO_ACCESS
    if error_text and (not is_content_page or "oops" in _norm(error_text)):
        return PageKind.NOT_FOUND
    if _has_phrase(heading_text, NOT_FOUND_PHRASES) or _has_phrase(message_text, NOT_FOUND_PHRASES):
        return PageKind.NOT_FOUND
    if _has_phrase(_flash_text(doc), NO_ACCESS_PHRASES) or _has_phrase(message_text, NO_ACCESS_PHRASES):
        return PageKind.NO_ACCESS
    return content_kind or PageKind.UNKNOWN


# ---------------------------------------------------------------------------------------------- supplier


def clean_supplier(raw: str) -> str:
    """`" Northwind Paper Ltd-0000412233 "` -> `"Northwind Paper Ltd"` (the vendor number is not a name)."""
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    return VENDOR_NUMBER_RE.sub("", text).strip()


def _supplier_from_form(doc: _Doc) -> str:
    """The value of a field labelled "Supplier" (tenants without the supplier section)."""
    labels = [t for t in doc.tags if t.name in ("label", "dt", "th") or _classes(t) & {"group_label", "label"}]
    for label in labels:
        if _norm(_text(label)).rstrip(":").strip() not in SUPPLIER_LABELS:
            continue
        if label.name in ("dt", "th"):
            # Definition lists and tables hold many fields: the value is the very next cell.
            value_cell = label.find_next_sibling(["dd", "td"])
            if isinstance(value_cell, Tag) and _text(value_cell):
                return _supplier_from_named(value_cell.select_one("a[href*='/suppliers/show/']") or value_cell)
            continue
        field = label.find_parent(class_="form_element") or label.find_parent(["tr", "div"])
        if field is None:
            continue
        named = field.select_one(".supplier-name, a[href*='/suppliers/show/']")
        if named is not None:
            return _supplier_from_named(named)
        value = _text(field).replace(_text(label), "", 1)
        if value.strip():
            return clean_supplier(value)
    return ""


def _supplier_from_named(tag: Tag) -> str:
    if tag.name == "a":
        match = SUPPLIER_LINK_TITLE_RE.match(_attr(tag, "title"))
        if match:
            return clean_supplier(match.group(1))
    return clean_supplier(_text(tag)) or clean_supplier(_attr(tag, "title"))


def _read_supplier(doc: _Doc) -> str:
    section = doc.by_id("supplier")
    named = doc.with_class("supplier-name")
    # The supplier section's name first; another `.supplier-name` (a line's, a widget's) only as a fallback.
    in_section = [t for t in named if section is not None and _inside(t, section)]
    for tag in in_section + named:
        if clean_supplier(_text(tag)):
            return clean_supplier(_text(tag))
    for link in doc.named("a"):
        if "/suppliers/show/" in _attr(link, "href"):
            name = _supplier_from_named(link)
            if name:
                return name
    return _supplier_from_form(doc)


# ------------------------------------------------------------------------------------------- attachments


def _is_item_root(tag: Tag) -> bool:
    """An attachment entry: an item of an attachments list, or an attachment span placed outside one."""
    classes = _classes(tag)
    if tag.name == "li":
        if classes & {"attachment", "s-attachmentfile"}:
            return True
        parent = tag.find_parent(["ul", "ol"])
        if parent is not None and _classes(parent) & {"attachments-list", "s-attachmentlist"}:
            return True
    return bool(classes & {"attachment-file", "attachment-text", "attachment-url"})


def _source_of(tag: Tag) -> AttachmentSource:
    in_line = False
    for ancestor in tag.parents:
        if not isinstance(ancestor, Tag):
            continue
        ident = _attr(ancestor, "id").lower()
        classes = _classes(ancestor)
        if COMMENT_AREA_RE.match(ident) or any(COMMENT_AREA_RE.match(c) for c in classes):
            return "comment"
        if LINE_ID_RE.search(ident) or classes & {"order_line", "order-line", "line-item", "line_item"}:
            in_line = True
    return "line" if in_line else "header"


def _own_urls(tag: Tag) -> Iterator[str]:
    for name in URL_ATTRIBUTES:
        value = _attr(tag, name)
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


def _name_from_url(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    return unquote(path.rsplit("/", 1)[-1]) if path else ""


def _aria_kind(root: Tag) -> tuple[AttachmentKind | None, str]:
    """The kind and name an aria-label such as `"Quote.pdf file attachment"` announces."""
    for tag in [root, *root.find_all(True)]:
        if not isinstance(tag, Tag):
            continue
        label = " ".join(_attr(tag, "aria-label").split())
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
            style = _attr(parent, "style").replace(" ", "").lower()
            if "display:none" in style or "intent-show" in _classes(parent) or parent.name in ("script", "style"):
                hidden = True
                break
            parent = parent.parent
        if not hidden:
            parts.append(str(piece))
    return " ".join(" ".join(parts).split())


def _display_name(root: Tag, aria_name: str, url: str) -> str:
    button = root if _attr(root, "role") == "button" else root.select_one("[role=button]")
    link = root if root.name == "a" else root.select_one("a[title], a[href]")
    candidates = [
        _attr(button, "title") if button else "",
        _text(button) if button else "",
        _attr(link, "title") if link else "",
        _attr(root, "title"),
        aria_name,
        _visible_text(root),
    ]
    url_name = _name_from_url(url) if url else ""
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
    classes = _classes(root) | {c for t in root.find_all(True) if isinstance(t, Tag) for c in _classes(t)}
    if "attachment-text" in classes:
        return "text"
    if "attachment-url" in classes:
        return "url"
    return "file"


def _read_item(root: Tag, page_url: str) -> AttachmentLink | None:
    if _classes(root) & {"none"} or (_norm(_visible_text(root)) in ("none", "nenhum") and not _attr(root, "id")):
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
    return bool(ADD_BUTTON_RE.match(_norm(_visible_text(tag)))) and not any(
        FILE_URL_RE.search(u) for u in _candidate_urls(tag)
    )


def _read_attachments(doc: _Doc, page_url: str) -> tuple[AttachmentLink, ...]:
    """Every attachment of the page in page order, de-duplicated by URL (text notes by name)."""
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

    for tag in doc.tags:
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


def _read_requisition_url(doc: _Doc, page_url: str) -> str | None:
    link = doc.by_id("order_header_requisition_header")
    if link is not None and REQUISITION_PATH_RE.search(_attr(link, "href")):
        return _absolute(_attr(link, "href"), page_url)
    top_form = doc.by_id("topForm")
    links = doc.named("a")
    # The general info first; then any requisition link outside the comments (whose timestamps link to one).
    scopes = [[a for a in links if top_form is not None and _inside(a, top_form)], links]
    for scope in scopes:
        for candidate in scope:
            href = _attr(candidate, "href")
            if not REQUISITION_PATH_RE.search(urlsplit(href).path) or _source_of(candidate) == "comment":
                continue
            url = _absolute(href, page_url)
            if url != _absolute(page_url, page_url):
                return url
    return None


def read_page(html: str, page_url: str) -> PageContent:
    """Supplier, attachments and requisition link of a PO or requisition page."""
    doc = _parse(html or "")
    return PageContent(
        supplier=_read_supplier(doc),
        attachments=_read_attachments(doc, page_url),
        requisition_url=_read_requisition_url(doc, page_url),
    )

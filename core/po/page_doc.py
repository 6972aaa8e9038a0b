"""A parsed Coupa page and the small text helpers every page reader shares.

Pages are read by meaning (ids, classes, roles, aria-labels, URL shapes), never by position: tenants wrap and
reorder fields differently, and the same page must be understood on all of them. Everything here works on plain
HTML strings, so it is testable without a browser.
"""

from __future__ import annotations

import functools
import unicodedata

from bs4 import BeautifulSoup, Tag

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})


def text_of(tag: Tag | None) -> str:
    if tag is None:
        return ""
    return " ".join(tag.get_text(" ", strip=True).split())


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(APOSTROPHES).lower().split())


def attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return " ".join(str(v) for v in value).strip()


def inside(tag: Tag, container: Tag) -> bool:
    # Identity, not `in`: bs4 compares tags by content, so an equal-looking tag elsewhere would match.
    return any(parent is container for parent in tag.parents)


def class_names(tag: Tag) -> set[str]:
    return {c.lower() for c in attr(tag, "class").split()}


def has_phrase(text: str, phrases: tuple[str, ...]) -> bool:
    normalised = normalize(text)
    return any(p in normalised for p in phrases)


class Doc:
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
            ident = attr(tag, "id")
            if ident:
                self._ids.setdefault(ident, tag)
            for cls in class_names(tag):
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
def parse(html: str) -> Doc:
    # A worker classifies a page and then reads the same HTML: parse it once. Nothing mutates a Doc.
    return Doc(html)

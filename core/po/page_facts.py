"""The PO's own facts: the General Info fields read by their labels, the total, the lines and the stated file count.

Fields are found by label (English and Portuguese), never by position; the value may sit in a `span.data`, be bare
text after the label or be a link, and `<span class="show none">None</span>` means empty. Dates and amounts are
read in the page's own formats (`I18n.dateFormat`, `I18n.locale` in an inline script). A field the page does not
show stays empty: nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from bs4 import Tag
from bs4.element import NavigableString

from core.models import PoFacts, PoLine
from core.po.page_content import attachments_within
from core.po.page_doc import Doc, attr, class_names, inside, normalize, parse, text_of

# Labels as normalised by `_label_key` (lower case, no trailing colon or asterisk).
STATUS_LABELS = ("status", "situação", "situacao", "estado")
ORDER_DATE_LABELS = ("order date", "data do pedido", "data da ordem", "data do pedido de compra")
REQUESTER_LABELS = ("requester", "requested by", "solicitante", "requisitante")
REQUISITION_LABELS = (
    "requisition #",
    "requisition",
    "requisition number",
    "requisição #",
    "requisição",
    "requisição nº",
)
PAYMENT_TERM_LABELS = ("payment term", "payment terms", "condição de pagamento", "condições de pagamento")
LINE_TYPE_LABELS = ("type", "tipo")
LINE_ITEM_LABELS = ("item", "description", "descrição", "descricao")
LINE_QUANTITY_LABELS = ("qty", "quantity", "quantidade", "qtd", "qtde")
LINE_PRICE_LABELS = ("price", "unit price", "preço", "preço unitário", "preco")
LINE_TOTAL_LABELS = ("total", "line total", "valor total")
LINE_ACCOUNT_LABELS = ("account", "conta", "conta contábil")
EMPTY_VALUES = ("none", "nenhum", "nenhuma", "-", "—")

LINE_ROW_ID_RE = re.compile(r"^order_line_row_(\d+)")
DATE_FORMAT_RE = re.compile(r"""dateFormat["']?\s*[:=]\s*["']([^"']+)["']""")
LOCALE_RE = re.compile(r"""I18n\.locale\s*=\s*["']([A-Za-z_-]+)["']|["']locale["']\s*:\s*["']([A-Za-z_-]+)["']""")
STATED_COUNT_RE = re.compile(r"\((\d+)\)")
CURRENCY_RE = re.compile(r"\b([A-Z]{3})\b")
NUMBER_RE = re.compile(r"[-(]?\d[\d.,'\s\u00a0\u202f]*")
# Languages whose number format puts the decimal comma last (`8.338,00`); others use the point (`8,338.00`).
DECIMAL_COMMA_LANGUAGES = frozenset(
    {"pt", "es", "fr", "de", "it", "nl", "da", "sv", "nb", "nn", "no", "fi", "pl", "cs", "sk", "ru", "uk"}
    | {"tr", "id", "ro", "hu", "el", "bg", "hr", "sl", "lt", "lv", "et", "ca", "gl", "vi"}
)
AMOUNT_BASED_PHRASES = ("amount-based", "amount based", "baseado em valor", "baseada em valor", "por valor")


def read_facts(html: str, page_url: str) -> PoFacts:
    """Status, order date, requester, requisition, payment term, total, lines and stated file count of a PO page."""
    doc = parse(html or "")
    formats = _PageFormats.of(doc)
    header = _HeaderFields(doc)
    status = text_of(doc.by_id("order_header_readable_status")) or header.value(STATUS_LABELS)
    requisition_link = doc.by_id("order_header_requisition_header")
    requisition = text_of(requisition_link) or header.value(REQUISITION_LABELS)
    total, currency = _read_total(doc, formats)
    return PoFacts(
        status=_not_empty(status),
        order_date=formats.date(header.value(ORDER_DATE_LABELS)),
        requester=header.value(REQUESTER_LABELS),
        requisition_number=_not_empty(requisition),
        payment_term=header.value(PAYMENT_TERM_LABELS),
        total=total,
        currency=currency,
        lines=tuple(_read_lines(doc, formats, page_url, currency)),
        stated_files=_stated_file_count(doc),
    )


# --------------------------------------------------------------------------------------------- page formats


class _PageFormats:
    """How this page writes dates and numbers (the user's locale settings, set in an inline script)."""

    def __init__(self, date_format: str, locale: str) -> None:
        self.date_format = date_format
        self.decimal_comma: bool | None = None
        if locale:
            self.decimal_comma = locale.replace("_", "-").split("-")[0].lower() in DECIMAL_COMMA_LANGUAGES

    @classmethod
    def of(cls, doc: Doc) -> _PageFormats:
        scripts = " ".join(script.get_text() for script in doc.named("script") if not attr(script, "src"))
        date_match = DATE_FORMAT_RE.search(scripts)
        locale_match = LOCALE_RE.search(scripts)
        locale = next((g for g in locale_match.groups() if g), "") if locale_match else ""
        return cls(date_match.group(1) if date_match else "", locale)

    def date(self, text: str) -> str:
        """ISO `yyyy-mm-dd` of a date written in the page's format; '' when it cannot be read without guessing."""
        numbers = re.findall(r"\d+", text)
        if len(numbers) < 3:
            return ""
        order = self._date_order(numbers)
        if not order:
            return ""
        parts = dict(zip(order, (int(n) for n in numbers[:3]), strict=True))
        year = parts["y"] + 2000 if parts["y"] < 100 else parts["y"]
        try:
            return date(year, parts["m"], parts["d"]).isoformat()
        except ValueError:
            return ""

    def _date_order(self, numbers: list[str]) -> str:
        if self.date_format:
            # jQuery UI tokens as Coupa uses them: d/dd day, m/mm month, y (two digits) / yy (four digits) year.
            letters = "".join(dict.fromkeys(c for c in self.date_format.lower() if c in "dmy"))
            return letters if sorted(letters) == ["d", "m", "y"] else ""
        if len(numbers[0]) == 4:
            return "ymd"  # ISO: unambiguous whatever the locale
        if self.decimal_comma is None:
            return ""
        return "dmy" if self.decimal_comma else "mdy"

    def number(self, text: str) -> float | None:
        """A number written in the page's number format (`8,338.00` or `8.338,00`); None when there is none."""
        match = NUMBER_RE.search(text)
        if match is None:
            return None
        raw = match.group(0).strip()
        negative = raw.startswith(("-", "("))
        digits = re.sub(r"[^\d.,]", "", raw)
        decimal_mark = self._decimal_mark(digits)
        grouping = "," if decimal_mark == "." else "."
        digits = digits.replace(grouping, "").replace(decimal_mark, ".")
        try:
            value = Decimal(digits)
        except InvalidOperation:
            return None
        return float(-value if negative else value)

    def _decimal_mark(self, digits: str) -> str:
        if self.decimal_comma is not None:
            return "," if self.decimal_comma else "."
        # No locale on the page: only what the text itself makes certain.
        if "," in digits and "." in digits:
            return "," if digits.rfind(",") > digits.rfind(".") else "."
        for mark in (",", "."):
            if digits.count(mark) == 1 and len(digits) - digits.rfind(mark) - 1 != 3:
                return mark
        return "."


# ------------------------------------------------------------------------------------------------ labels


def _label_key(label: Tag) -> str:
    return normalize(text_of(label)).rstrip(":*").strip()


def _is_label(tag: Tag) -> bool:
    return tag.name in ("label", "dt") or "group_label" in class_names(tag)


def _not_empty(value: str) -> str:
    return "" if normalize(value) in EMPTY_VALUES else value


def _field_of(label: Tag) -> Tag | None:
    """The element holding the label and its value: its form_element, when that holds no other field."""
    field = label.find_parent(class_="form_element")
    if field is not None and sum(1 for t in field.find_all(True) if _is_label(t)) == 1:
        return field
    sibling = label.find_next_sibling()
    return sibling if isinstance(sibling, Tag) else None


def _value_element(label: Tag) -> Tag | None:
    field = _field_of(label)
    if field is None:
        return None
    for tag in field.find_all(True):
        if tag is label or inside(tag, label):
            continue
        classes = class_names(tag)
        if {"show", "none"} <= classes:
            return None  # Coupa's "None" placeholder
        if "data" in classes or tag.name == "a":
            return tag
    return field


def field_text(label: Tag) -> str:
    """The value beside a label: a `span.data`, a link, or the bare text after the label; '' when empty."""
    value = _value_element(label)
    if value is None:
        return ""
    pieces = [
        str(piece)
        for piece in value.find_all(string=True)
        if isinstance(piece, NavigableString)
        and not any(p is label for p in piece.parents)
        and piece.parent is not None
        and piece.parent.name not in ("script", "style")
        and "display:none" not in attr(piece.parent, "style").replace(" ", "")
    ]
    return _not_empty(" ".join(" ".join(pieces).split()))


class _Fields:
    """The labelled fields of one part of a page, by normalised label."""

    def __init__(self, labels: Iterable[Tag]) -> None:
        self.labels: dict[str, Tag] = {}
        for label in labels:
            self.labels.setdefault(_label_key(label), label)

    def label(self, names: tuple[str, ...]) -> Tag | None:
        return next((self.labels[n] for n in names if n in self.labels), None)

    def value(self, names: tuple[str, ...]) -> str:
        label = self.label(names)
        return field_text(label) if label is not None else ""


class _HeaderFields(_Fields):
    """The General Info fields: labels of the top form (or of the page), never a line's or a comment's."""

    def __init__(self, doc: Doc) -> None:
        outside = [t for t in (doc.by_id("order_line_table_tag"), doc.by_id("comments")) if t is not None]
        top_form = doc.by_id("topForm")
        labels = [
            t
            for t in doc.tags
            if _is_label(t)
            and not any(inside(t, area) for area in outside)
            and (top_form is None or inside(t, top_form))
        ]
        super().__init__(labels)


# ---------------------------------------------------------------------------------------- total and lines


def _currency_of(*texts: str) -> str:
    for text in texts:
        match = CURRENCY_RE.search(text)
        if match:
            return match.group(1)
    return ""


def _read_total(doc: Doc, formats: _PageFormats) -> tuple[float | None, str]:
    amount = doc.by_id("requisition_total_amount")
    if amount is None:
        return None, ""
    row = amount.find_parent(class_="totalRow") or amount.parent
    smaller = row.find(class_="smaller") if isinstance(row, Tag) else None
    currency = _currency_of(attr(amount, "title"), text_of(smaller) if isinstance(smaller, Tag) else "")
    return formats.number(text_of(amount)), currency or _currency_of(text_of(amount))


def _line_rows(doc: Doc) -> list[list[Tag]]:
    """The rows of each line, in page order (a tenant may split one line over several `order_line_row_<id>` rows)."""
    table = doc.by_id("order_line_table_tag")
    if table is None:
        return []
    grouped: dict[str, list[Tag]] = {}
    for row in table.find_all("tr"):
        match = LINE_ROW_ID_RE.match(attr(row, "id"))
        if match:
            grouped.setdefault(match.group(1), []).append(row)
    return list(grouped.values())


def _read_lines(doc: Doc, formats: _PageFormats, page_url: str, po_currency: str) -> Iterable[PoLine]:
    for rows in _line_rows(doc):
        tags = [t for row in rows for t in [row, *row.find_all(True)]]
        fields = _Fields(t for t in tags if _is_label(t))
        number = next((text_of(t) for t in tags if "line_num" in class_names(t)), "")
        type_label = fields.label(LINE_TYPE_LABELS)
        type_field = _field_of(type_label) if type_label is not None else None
        type_text = " ".join(
            [fields.value(LINE_TYPE_LABELS)]
            + [attr(t, "title") for t in (type_field.find_all(True) if type_field else [])]
        )
        amount_based = any(p in normalize(type_text) for p in AMOUNT_BASED_PHRASES)
        price_text = fields.value(LINE_PRICE_LABELS)
        total_text = fields.value(LINE_TOTAL_LABELS)
        files = [a.name for row in rows for a in attachments_within(row, page_url) if a.kind == "file"]
        yield PoLine(
            number=number,
            description=fields.value(LINE_ITEM_LABELS),
            quantity=None if amount_based else formats.number(fields.value(LINE_QUANTITY_LABELS)),
            price=formats.number(price_text),
            total=formats.number(total_text),
            currency=_currency_of(total_text, price_text) or (po_currency if price_text or total_text else ""),
            account=fields.value(LINE_ACCOUNT_LABELS),
            attachments=tuple(files),
        )


def _stated_file_count(doc: Doc) -> int | None:
    """The comments app's own count of files across all comments ("View Attachments (N)")."""
    for button in doc.with_class("s-viewFileAttachment"):
        match = STATED_COUNT_RE.search(text_of(button))
        if match:
            return int(match.group(1))
    return None

"""Reading a PO's own facts by their labels: General Info fields, total, lines, stated file count, on page variants."""

from __future__ import annotations

import json

import pytest

from core.models import PoFacts, PoLine
from core.po.page_facts import read_facts

PO_URL = "https://acme.coupahost.com/order_headers/16928033"


def locale_script(date_format: str | None, locale: str | None) -> str:
    parts = []
    if locale:
        parts.append(f'I18n.locale = "{locale}";')
    if date_format:
        parts.append(f'I18n.dateFormat = "{date_format}";')
    return f"<script>{' '.join(parts)}</script>" if parts else ""


def field(label: str, value_html: str, *, extra: str = "") -> str:
    return (
        f'<div class="form_element wrapper_vertical"{extra}>'
        f'<span class="group_label label_readonly">{label}</span>{value_html}</div>'
    )


def page(fields: list[str], *, script: str = "", total: str = "", lines: str = "", comments: str = "") -> str:
    return (
        f'<html data-controller="order_headers" data-action="show" data-id="16928033"><head>{script}</head><body>'
        '<h1 id="pageHeader">Purchase Order #PO16928033</h1>'
        f'<div id="topForm">{"".join(fields)}</div>{total}{lines}{comments}</body></html>'
    )


def total_row(amount: str, currency: str) -> str:
    return (
        '<div class="totalRow"><span class="total_container">Total '
        f'<span id="requisition_total_amount" title="{currency}">{amount}</span></span>'
        f'<div class="smaller">{currency}</div></div>'
    )


ENGLISH_FIELDS = [
    field(
        "Status",
        '<span class="data s-readable_status" id="order_header_readable_status">Ordered - Sent via Email</span>',
    ),
    field("Order Date", '<span class="data" id="order_header_local_header_created_at">02/13/25</span>'),
    field("Requisition #", '<a id="order_header_requisition_header" href="/requisition_headers/9206233">9206233</a>'),
    field("Requester", " Jane Roe "),
    field("Ship To User", " John Doe "),
    field("Payment Term", '<span class="data">P090</span>', extra=' id="order_header_payment_term"'),
    field("Department", '<span class="show none">None</span>'),
]


def test_english_general_info_by_label_in_span_data_bare_text_and_link() -> None:
    html = page(ENGLISH_FIELDS, script=locale_script("mm/dd/y", "en"), total=total_row("8,338.00", "USD"))
    facts = read_facts(html, PO_URL)
    assert facts == PoFacts(
        status="Ordered - Sent via Email",
        order_date="2025-02-13",
        requester="Jane Roe",
        requisition_number="9206233",
        payment_term="P090",
        total=8338.0,
        currency="USD",
    )


def test_portuguese_labels_day_first_dates_and_decimal_comma() -> None:
    fields = [
        field("Situação", '<span class="data">Emitido</span>'),
        field("Data do pedido", '<span class="data">13/02/2025</span>'),
        field("Solicitante", '<a href="/users/12">Ana Souza</a>'),
        field("Requisição #", " 3100004 "),
        field("Condição de pagamento:", "Líquido 30 dias"),
    ]
    html = page(fields, script=locale_script("dd/mm/yy", "pt-BR"), total=total_row("8.338,00", "BRL"))
    facts = read_facts(html, PO_URL)
    assert (facts.status, facts.order_date, facts.requester) == ("Emitido", "2025-02-13", "Ana Souza")
    assert (facts.requisition_number, facts.payment_term) == ("3100004", "Líquido 30 dias")
    assert (facts.total, facts.currency) == (8338.0, "BRL")


@pytest.mark.parametrize(
    ("date_format", "locale", "written", "iso"),
    [
        ("mm/dd/y", "en", "02/13/25", "2025-02-13"),
        ("dd/mm/yy", "en-GB", "01/02/2025", "2025-02-01"),
        ("mm/dd/yy", "pt-BR", "01/02/2025", "2025-01-02"),  # the stated format wins over the locale
        ("yy-mm-dd", None, "2025-02-13", "2025-02-13"),
        ("dd.mm.yy", "de", "13.02.2025", "2025-02-13"),
        (None, None, "2025-02-13", "2025-02-13"),  # ISO needs no format
        (None, "pt-BR", "01/02/2025", "2025-02-01"),  # no format stated: the locale's order
        (None, None, "01/02/2025", ""),  # neither format nor locale: ambiguous, left empty
        ("mm/dd/y", "en", "13/02/25", ""),  # not a date in the stated format
    ],
)
def test_order_date_in_the_page_format(date_format: str | None, locale: str | None, written: str, iso: str) -> None:
    html = page(
        [field("Order Date", f'<span class="data">{written}</span>')], script=locale_script(date_format, locale)
    )
    assert read_facts(html, PO_URL).order_date == iso


@pytest.mark.parametrize(
    ("locale", "written", "value"),
    [
        ("en", "8,338.00", 8338.0),
        ("en-US", "1,234,567.89", 1234567.89),
        ("pt-BR", "8.338,00", 8338.0),
        ("de", "1.234.567,89", 1234567.89),
        ("pt-BR", "250", 250.0),
        (None, "8.338,00", 8338.0),  # both marks: the last one is the decimal mark
        (None, "8,338.00", 8338.0),
        ("en", "-1,200.50", -1200.5),
    ],
)
def test_total_in_the_page_number_format(locale: str | None, written: str, value: float) -> None:
    html = page([], script=locale_script(None, locale), total=total_row(written, "EUR"))
    facts = read_facts(html, PO_URL)
    assert (facts.total, facts.currency) == (value, "EUR")


def test_fields_the_page_does_not_show_stay_empty() -> None:
    html = page(
        [
            field("Status", '<span class="show none">None</span>'),
            field("Requester", '<span class="show none">None</span>'),
        ]
    )
    assert read_facts(html, PO_URL) == PoFacts()


def test_other_totals_and_line_fields_are_not_the_po_facts() -> None:
    # "Total Paid Amount" is another figure; a line's Status is not the PO's.
    lines = (
        '<table id="order_line_table_tag"><tr id="order_line_row_1"><td><div class="line_num">1</div>'
        + field("Status", '<span class="data">Received</span>')
        + "</td></tr></table>"
    )
    html = page([field("Total Paid Amount", "1,000.00 USD")], lines=lines, script=locale_script(None, "en"))
    facts = read_facts(html, PO_URL)
    assert (facts.status, facts.total, facts.currency) == ("", None, "")


def line_row(row_id: int, number: str, line_fields: list[str]) -> str:
    return f'<tr id="order_line_row_{row_id}"><td><div class="line_num">{number}</div>{"".join(line_fields)}</td></tr>'


def test_lines_quantity_and_amount_based_with_their_files() -> None:
    file_url = "https://acme.coupahost.com/attachment/attachment_file/type/9005/Drawing.pdf?supplier_view_key=ab"
    attachments = (
        '<div class="form_element" role="group"><span class="group_label">Attachments</span>'
        '<ul class="attachments-list"><li class="attachment" id="attachment_9005" data-url="/attachments/9005">'
        f'<span class="attachment-file attachment-list-item" data-url="{file_url}">'
        '<span class="underline" role="button" title="Drawing.pdf" aria-label="Drawing.pdf file attachment">'
        "Drawing.pdf</span></span></li></ul></div>"
    )
    quantity_line = line_row(
        101,
        "1",
        [
            field("Type", '<img src="/q.png" title="Quantity-based line">'),
            field("Item", " Toner cartridge, black "),
            field("Qty", '<span class="data">12</span>'),
            field("UOM", "EA"),
            field("Price", '<span class="data">4,169.00</span> <span class="currency">USD</span>'),
            field("Total", '<span class="data">50,028.00</span> <span class="currency">USD</span>'),
            field("Account", "1000-200-3000"),
            attachments,
        ],
    )
    amount_line = line_row(
        102,
        "2",
        [
            field("Type", '<img src="/a.png" title="Amount-based line">'),
            field("Item", "Consulting services"),
            field("Price", "2,500.00 USD"),
            field("Total", "2,500.00 USD"),
            field("Account", '<span class="show none">None</span>'),
        ],
    )
    lines = f'<table id="order_line_table_tag">{quantity_line}{amount_line}</table>'
    html = page([], script=locale_script(None, "en"), total=total_row("52,528.00", "USD"), lines=lines)
    assert read_facts(html, PO_URL).lines == (
        PoLine("1", "Toner cartridge, black", 12.0, 4169.0, 50028.0, "USD", "1000-200-3000", ("Drawing.pdf",)),
        PoLine("2", "Consulting services", None, 2500.0, 2500.0, "USD", "", ()),
    )


def test_portuguese_line_labels_and_decimal_comma() -> None:
    row = line_row(
        7,
        "1",
        [
            field("Tipo", '<img title="Linha baseada em quantidade">'),
            field("Descrição", "Papel A4"),
            field("Quantidade", "1.500"),
            field("Preço", "0,25 BRL"),
            field("Total", "375,00 BRL"),
            field("Conta", "CC-1001"),
        ],
    )
    html = page([], script=locale_script("dd/mm/yy", "pt-BR"), lines=f'<table id="order_line_table_tag">{row}</table>')
    assert read_facts(html, PO_URL).lines == (PoLine("1", "Papel A4", 1500.0, 0.25, 375.0, "BRL", "CC-1001"),)


def test_stated_comment_file_count() -> None:
    comments = (
        '<section id="comments"><span class="num_comments">3</span>'
        '<button class="s-viewFileAttachment buttonAsLink"><span>View Attachments (2)</span></button></section>'
    )
    assert read_facts(page([], comments=comments), PO_URL).stated_files == 2
    assert read_facts(page([]), PO_URL).stated_files is None


def test_facts_survive_a_json_round_trip() -> None:
    facts = PoFacts("Issued", "2025-02-13", "Jane", "9206233", "Net 30", 10.5, "EUR", (PoLine("1", "x", None),), 2)
    assert PoFacts.from_dict(json.loads(json.dumps(facts.to_dict()))) == facts

"""Building blocks of the demo portal's pages: attachment lists, labelled fields, and a PO's General Info box, total
and lines written in its tenant's language and formats (see COUPA_PAGES.md)."""

from __future__ import annotations

import json
import random
from datetime import date
from html import escape

from core.demo_portal.dataset import DemoFile, DemoPo
from core.demo_portal.files import url_quote_name
from core.demo_portal.po_facts import ENGLISH, DemoFacts, DemoLine

NONE = '<span class="show none">None</span>'
# Labels as each tenant language writes them.
LABELS = {
    ENGLISH: {
        "status": "Status",
        "order_date": "Order Date",
        "requisition": "Requisition #",
        "requester": "Requester",
        "ship_to": "Ship To User",
        "payment_term": "Payment Term",
        "department": "Department",
        "paid": "Total Paid Amount",
        "type": "Type",
        "item": "Item",
        "qty": "Qty",
        "uom": "UOM",
        "price": "Price",
        "total": "Total",
        "account": "Account",
        "quantity_line": "Quantity-based line",
        "amount_line": "Amount-based line",
    },
    "pt-BR": {
        "status": "Situação",
        "order_date": "Data do pedido",
        "requisition": "Requisição #",
        "requester": "Solicitante",
        "ship_to": "Enviar para",
        "payment_term": "Condição de pagamento",
        "department": "Departamento",
        "paid": "Valor total pago",
        "type": "Tipo",
        "item": "Descrição",
        "qty": "Quantidade",
        "uom": "Unidade",
        "price": "Preço",
        "total": "Total",
        "account": "Conta",
        "quantity_line": "Linha baseada em quantidade",
        "amount_line": "Linha baseada em valor",
    },
}
DATE_FORMATS = {ENGLISH: "mm/dd/y", "pt-BR": "dd/mm/yy"}


def file_url(base_url: str, demo_file: DemoFile) -> str:
    """Absolute download URL: `type/` with a view key for header/line/requisition files, `file/` for comments."""
    quoted = url_quote_name(demo_file.name)
    if demo_file.source == "comment":
        return f"{base_url}/attachment/attachment_file/file/{demo_file.aid}/{quoted}"
    return f"{base_url}/attachment/attachment_file/type/{demo_file.aid}/{quoted}?supplier_view_key={demo_file.view_key}"


def wrap(html: str, rng: random.Random) -> str:
    for _ in range(rng.randint(0, 2)):
        html = f'<div class="{rng.choice(["s-wrapper", "panel-body", "row", "col-12"])}">{html}</div>'
    return html


def attachment_item(base_url: str, demo_file: DemoFile) -> str:
    name = escape(demo_file.name)
    if demo_file.kind == "text":
        inner = (
            f'<span class="attachment-text attachment-list-item" data-url="javascript:void(0)">'
            f'<span class="underline" role="button" tabindex="0" title="{name}" '
            f'aria-label="{name} text attachment">{name}</span></span>'
        )
    elif demo_file.kind == "url":
        inner = (
            f'<span class="attachment-url attachment-list-item" target="_blank" data-url="{name}">'
            f'<span class="underline" role="button" tabindex="0" title="{name}" '
            f'aria-label="{name} url attachment">{name}</span></span>'
        )
    else:
        inner = (
            f'<span class="attachment-file attachment-list-item" target="_blank" '
            f'data-url="{escape(file_url(base_url, demo_file))}">'
            f'<span class="underline" role="button" tabindex="0" title="{name}" '
            f'aria-label="{name} file attachment">{name}</span>'
            '<span class="intent-show" style="display:none">(→ Supplier)</span></span>'
        )
    return (
        f'<li class="attachment" id="attachment_{demo_file.aid}" data-url="/attachments/{demo_file.aid}">{inner}</li>'
    )


def attachments_group(base_url: str, files: list[DemoFile], label_id: str) -> str:
    items = "".join(attachment_item(base_url, f) for f in files) if files else '<li class="show none">None</li>'
    return (
        '<div class="form_element attachments-field" role="group" '
        f'aria-labelledby="{label_id}" aria-label="Attachments">'
        f'<span class="group_label" id="{label_id}">Attachments</span>'
        f'<div class="field-value"><ul class="attachments-list">{items}</ul>'
        '<button type="button" class="button s-addAttachment">Add File Attachment</button></div></div>'
    )


def field(label: str, value_html: str, *, ident: str = "") -> str:
    """A Coupa read-only field: the label, then the value as a span.data, a link, bare text or the None placeholder."""
    id_attr = f' id="{ident}"' if ident else ""
    return (
        f'<div class="form_element wrapper_vertical"{id_attr}>'
        f'<span class="group_label label_readonly">{escape(label)}</span>{value_html}</div>'
    )


# ----- a PO's facts, in its tenant's formats ---------------------------------------------------------------------


def locale_script(facts: DemoFacts) -> str:
    settings = f"I18n.locale = {json.dumps(facts.locale)}; I18n.dateFormat = {json.dumps(DATE_FORMATS[facts.locale])};"
    return f"<script>window.I18n = window.I18n || {{}}; {settings}</script>"


def date_text(iso: str, locale: str) -> str:
    day = date.fromisoformat(iso)
    if locale == ENGLISH:
        return f"{day.month:02d}/{day.day:02d}/{day.year % 100:02d}"  # mm/dd/y
    return f"{day.day:02d}/{day.month:02d}/{day.year}"  # dd/mm/yy


def number_text(value: float, locale: str, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}"
    return text if locale == ENGLISH else text.translate(str.maketrans(",.", ".,"))


def general_info_fields(po: DemoPo, rng: random.Random) -> list[str]:
    facts, labels = po.facts, LABELS[po.facts.locale]
    written_date = date_text(facts.order_date, facts.locale)
    if rng.random() < 0.5:
        written_date = f'<span class="data" id="order_header_local_header_created_at">{written_date}</span>'
    requester = NONE
    if facts.requester:
        user = f'<a href="/users/{rng.randint(10, 99)}">{escape(facts.requester)}</a>'
        requester = user if rng.random() < 0.4 else f" {escape(facts.requester)} "
    requisition = NONE
    if po.requisition_id:
        requisition = (
            f'<a id="order_header_requisition_header" href="/requisition_headers/{po.requisition_id}">'
            f"{po.requisition_id}</a>"
        )
    fields = [
        field(
            labels["status"],
            f'<span class="data s-readable_status" id="order_header_readable_status">{escape(facts.status)}</span>',
        ),
        field(labels["order_date"], written_date),
        field(labels["requisition"], requisition),
        field(labels["requester"], requester),
        field(labels["ship_to"], f" {escape(rng.choice(['Mei Lin', 'Jonas Weber']))} "),
        field(labels["department"], NONE),
        field(labels["paid"], f"{number_text(0, facts.locale)} {facts.currency}"),
    ]
    if facts.payment_term:
        term = escape(facts.payment_term)
        value = f'<span class="data">{term}</span>' if rng.random() < 0.6 else f" {term} "
        fields.append(field(labels["payment_term"], value, ident="order_header_payment_term"))
    return fields


def total_row(po: DemoPo) -> str:
    facts = po.facts
    return (
        '<div class="totalRow"><span class="total_container">Total '
        f'<span id="requisition_total_amount" title="{facts.currency}">{number_text(facts.total, facts.locale)}</span>'
        f'</span><div class="smaller">{facts.currency}</div></div>'
    )


def _line_fields(line: DemoLine, facts: DemoFacts) -> list[str]:
    labels, locale, currency = LABELS[facts.locale], facts.locale, facts.currency

    def amount(value: float) -> str:
        return f'<span class="data">{number_text(value, locale)}</span> <span class="currency">{currency}</span>'

    kind = labels["amount_line"] if line.quantity is None else labels["quantity_line"]
    fields = [
        field(labels["type"], f'<img class="line-type" src="data:," alt="" title="{kind}">'),
        field(labels["item"], f" {escape(line.description)} "),
    ]
    if line.quantity is not None:
        fields.append(field(labels["qty"], f'<span class="data">{number_text(line.quantity, locale, 0)}</span>'))
        fields.append(field(labels["uom"], "EA" if locale == ENGLISH else "UN"))
    fields += [
        field(labels["price"], amount(line.price)),
        field(labels["total"], amount(line.total)),
        field(labels["account"], f" {escape(line.account)} " if line.account else NONE),
    ]
    return fields


def lines_table(base_url: str, po: DemoPo, files: list[DemoFile], rng: random.Random) -> str:
    rows = []
    for line in po.facts.lines:
        line_files = [f for f in files if f.source == "line" and f.line == line.number]
        row_id = int(po.po_key) * 10 + line.number
        group = wrap(attachments_group(base_url, line_files, f"line_{row_id}_attachments_label"), rng)
        rows.append(
            f'<tr id="order_line_row_{row_id}" class="order_line"><td><div class="line_num">{line.number}</div></td>'
            f"<td>{''.join(_line_fields(line, po.facts))}{group}</td></tr>"
        )
    return (
        '<section id="lines" aria-label="Lines"><h2>Lines</h2><table id="order_line_table_tag" class="lines">'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )

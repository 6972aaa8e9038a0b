"""The report's `Lines` sheet: one row per PO line, with the PO written as in the input's PO column so the analyst
can look lines up against the main sheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.utils import get_column_letter

from core.models import PoLine, PoResult
from core.workbook.cells import AMOUNT_FORMAT, fit_columns, set_value, style_header
from core.workbook.spreadsheet import InputSheet, RowState

LINES_SHEET = "Lines"
LINES_SHEET_FALLBACK = "Lines (CoupaDownloads)"
LINES_HEADERS = ("PO", "LINE", "DESCRIPTION", "QUANTITY", "PRICE", "LINE_TOTAL", "CURRENCY", "ACCOUNT", "ATTACHMENTS")


def write_lines_sheet(workbook: Any, sheet: InputSheet, results: Mapping[str, PoResult]) -> None:
    name = _sheet_name(workbook)
    if name in workbook.sheetnames:
        del workbook[name]
    ws = workbook.create_sheet(name)
    for column, header in enumerate(LINES_HEADERS, start=1):
        style_header(ws.cell(row=1, column=column, value=header))
    row = 1
    for po_written, line in _lines(sheet, results):
        row += 1
        values: tuple[object, ...] = (
            po_written,
            int(line.number) if line.number.isdigit() else line.number,
            line.description,
            line.quantity,
            line.price,
            line.total,
            line.currency,
            line.account,
            "; ".join(line.attachments),
        )
        for column, value in enumerate(values, start=1):
            set_value(ws.cell(row=row, column=column), value, AMOUNT_FORMAT if column in (5, 6) else "")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(LINES_HEADERS))}{row}"
    fit_columns(ws, range(1, len(LINES_HEADERS) + 1), 1, row)


def _lines(sheet: InputSheet, results: Mapping[str, PoResult]) -> list[tuple[str, PoLine]]:
    """Each processed PO's lines in input order, with the PO as its first row wrote it."""
    written: dict[str, str] = {}
    for input_row in sheet.rows:
        if input_row.po_key is not None and input_row.state is RowState.VALID:
            written.setdefault(input_row.po_key, input_row.raw_po.strip())
    found: list[tuple[str, PoLine]] = []
    for po_key, po_written in written.items():
        result = results.get(po_key)
        if result is not None and result.facts is not None:
            found += [(po_written, line) for line in result.facts.lines]
    return found


def _sheet_name(workbook: Any) -> str:
    if LINES_SHEET not in workbook.sheetnames:
        return LINES_SHEET
    existing = workbook[LINES_SHEET]
    if tuple(c.value for c in existing[1][: len(LINES_HEADERS)]) == LINES_HEADERS:
        return LINES_SHEET  # our own sheet from an earlier report fed back in as input: replace it
    return LINES_SHEET_FALLBACK

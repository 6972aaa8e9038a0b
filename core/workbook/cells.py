"""Cell values and styles every sheet of the report shares: text that stays text, Excel-safe times, header and
status colours."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from core.models import PoStatus

DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"
EXCEL_MAX_CELL_TEXT = 32767
MAX_COLUMN_WIDTH = 60

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill(fill_type="solid", start_color="1F4E78", end_color="1F4E78")
STATUS_FILLS: dict[str, str] = {
    PoStatus.COMPLETED: "C6EFCE",  # green
    PoStatus.PARTIAL: "FFEB9C",  # amber
    PoStatus.FAILED: "FFC7CE",  # red
    PoStatus.NO_ATTACHMENTS: "D9D9D9",  # grey
    PoStatus.PO_NOT_FOUND: "F8CBAD",  # orange
    PoStatus.NO_ACCESS: "E6B8DC",  # magenta: an access request to make
    PoStatus.INVALID: "E4DFEC",  # purple-ish
    PoStatus.CANCELLED: "DDEBF7",  # blue
}


def text(value: object) -> str:
    return "" if value is None else str(value)


def set_text(cell: Any, value: str) -> None:
    """Store text as text: control characters Excel rejects are dropped, and '=...' never becomes a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_CELL_TEXT]
    cell.data_type = "s"


def set_value(cell: Any, value: object, number_format: str = "") -> None:
    """Any report value: text as text, times and dates with a readable format, numbers as numbers."""
    if isinstance(value, str):
        set_text(cell, value)
        return
    cell.value = value
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif number_format and value is not None:
        cell.number_format = number_format


def excel_datetime(value: datetime) -> datetime:
    """Excel has no time zones: convert aware times to local wall-clock time."""
    if value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def status_fill(status: str) -> PatternFill | None:
    colour = STATUS_FILLS.get(status.strip().upper())
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour) if colour else None


def style_header(cell: Any) -> None:
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL


def column_width(ws: Any, column: int, first_row: int, last_row: int) -> float:
    longest = 0
    for row in range(first_row, last_row + 1):
        value = ws.cell(row=row, column=column).value
        shown = "2000-01-01 00:00:00" if isinstance(value, datetime) else text(value)
        longest = max(longest, len(shown))
    return float(min(max(longest + 2, 10), MAX_COLUMN_WIDTH))


def fit_columns(ws: Any, columns: range, first_row: int, last_row: int) -> None:
    for column in columns:
        ws.column_dimensions[get_column_letter(column)].width = column_width(ws, column, first_row, last_row)

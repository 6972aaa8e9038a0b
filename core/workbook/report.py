"""Write the run report: the input rows as they were, plus one block of result columns and a Summary sheet.

For .xlsx input the original workbook is loaded (formatting, formulas, widths and other sheets survive) and saved
under the run folder; the input file itself is never written. The save is atomic (temp file + os.replace).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.atomic import write_atomically
from core.errors import CoupaDownloadsError, InputError
from core.models import PoResult, PoStatus, SavedFile
from core.workbook.cells import (
    AMOUNT_FORMAT,
    column_width,
    excel_datetime,
    set_text,
    set_value,
    status_fill,
    style_header,
    text,
)
from core.workbook.input_file import find_column
from core.workbook.lines_sheet import write_lines_sheet
from core.workbook.spreadsheet import (
    LEGACY_COLUMN_NAMES,
    RESULT_COLUMN_NAMES,
    InputSheet,
    RowState,
)
from core.workbook.summary import RunSummary, write_summary

log = logging.getLogger(__name__)

REPORT_NAME = "CoupaDownloads_Report.xlsx"
RESULT_COLUMNS = RESULT_COLUMN_NAMES  # defined next to the reader, which must not treat them as folder levels
CSV_SHEET_NAME = "PO_Data"
NUMBER_FORMATS = {"PO_TOTAL": AMOUNT_FORMAT}


def write_report(
    sheet: InputSheet,
    results: Mapping[str, PoResult],
    path: Path,
    summary: RunSummary,
    files: Mapping[str, Sequence[SavedFile]] | None = None,
) -> Path:
    """Write the report to `path` atomically and return the path actually written; `files` are the saved files of
    each PO (for the Summary's files by type).

    When `path` is locked (the previous report is open in Excel) the report is written next to it under a
    timestamped name instead, and that path is returned.
    """
    path = Path(path)
    if path.resolve() in (Path(sheet.path).resolve(), sheet.shown_path.resolve()):
        raise InputError("The report cannot be written over the input file; choose another output folder.")
    csv_input = sheet.sheet_name is None
    workbook, ws = _csv_workbook(sheet) if csv_input else _xlsx_workbook(sheet)
    columns, added = _result_columns(ws, sheet)
    _write_rows(ws, sheet, results, summary, columns)
    _style_sheet(ws, sheet, columns, added, csv_input=csv_input)
    write_summary(workbook, sheet, results, summary, files or {})
    write_lines_sheet(workbook, sheet, results)
    return _save_atomically(workbook, path)


# --- building the workbook ---------------------------------------------------------------------------------------


def _xlsx_workbook(sheet: InputSheet) -> tuple[Any, Any]:
    import openpyxl

    try:
        # Not read-only and not data_only: formulas, styles, widths and the other sheets must survive the save. From
        # the bytes read at start, not the file: it may have changed (or gone) since.
        workbook = openpyxl.load_workbook(io.BytesIO(sheet.content.data))
    except Exception as exc:
        raise InputError(f"{sheet.shown_path.name} could not be opened to write the report: {exc}.") from exc
    if sheet.sheet_name not in workbook.sheetnames:
        raise InputError(f"Sheet '{sheet.sheet_name}' is no longer in {sheet.shown_path.name}.")
    return workbook, workbook[sheet.sheet_name]


def _csv_workbook(sheet: InputSheet) -> tuple[Any, Any]:
    workbook = Workbook()
    ws = workbook.active
    ws.title = CSV_SHEET_NAME
    for row_number, record in enumerate(sheet.content.records, start=1):
        for column, value in enumerate(record, start=1):
            if value != "":
                set_text(ws.cell(row=row_number, column=column), str(value))
    return workbook, ws


def _result_columns(ws: Any, sheet: InputSheet) -> tuple[dict[str, int], set[int]]:
    """1-based column of each result column (an existing, tolerantly matched one, else a new one after the last
    used column) and the set of columns that were added."""
    header_row = sheet.header_row
    last = max(_last_used_column(ws), len(sheet.headers))
    headers = [text(ws.cell(row=header_row, column=c).value) for c in range(1, last + 1)]
    columns: dict[str, int] = {}
    added: set[int] = set()
    for name in RESULT_COLUMNS:
        index = find_column(headers, name, *LEGACY_COLUMN_NAMES.get(name, ()))
        if index is None:
            last += 1
            ws.cell(row=header_row, column=last).value = name
            columns[name] = last
            added.add(last)
        else:
            columns[name] = index + 1
    return columns, added


def _last_used_column(ws: Any) -> int:
    """Rightmost column holding a value (ws.max_column also counts cells that only carry formatting)."""
    last = 0
    for row in ws.iter_rows(values_only=True):
        for index in range(len(row), last, -1):
            if row[index - 1] is not None:
                last = index
                break
    return last


def _write_rows(
    ws: Any, sheet: InputSheet, results: Mapping[str, PoResult], summary: RunSummary, columns: dict[str, int]
) -> None:
    run_finished = excel_datetime(summary.finished_at)
    for row in sheet.rows:
        values: dict[str, object] | None = None
        if row.state is RowState.INVALID:
            values = {"STATUS": PoStatus.INVALID.value, "ERROR_MESSAGE": row.message, "LAST_PROCESSED": run_finished}
        elif row.state in (RowState.VALID, RowState.DUPLICATE) and row.po_key is not None:
            result = results.get(row.po_key)
            if result is not None:
                values = _result_values(result, run_finished)
            elif summary.cancelled:
                values = {
                    "STATUS": PoStatus.CANCELLED.value,
                    "ERROR_MESSAGE": "The run was cancelled before this PO was finished.",
                    "LAST_PROCESSED": run_finished,
                }
        if values is None:
            continue  # COMPLETED-skipped and EMPTY rows keep what they had; unprocessed POs get nothing
        for name in RESULT_COLUMNS:
            set_value(ws.cell(row=row.row_number, column=columns[name]), values.get(name), NUMBER_FORMATS.get(name, ""))


def _result_values(result: PoResult, run_finished: datetime) -> dict[str, object]:
    finished = run_finished
    if result.finished_at:
        try:
            finished = excel_datetime(datetime.fromisoformat(result.finished_at))
        except ValueError:
            log.warning("PO %s: unreadable finished_at %r", result.po_key, result.finished_at)
    facts = result.facts
    return {
        "STATUS": PoStatus(result.status).value,
        "SUPPLIER": result.supplier,
        "ATTACHMENTS_FOUND": result.attachments_found,
        "ATTACHMENTS_DOWNLOADED": result.attachments_downloaded,
        "ATTACHMENT_NAMES": "; ".join(result.attachment_names),
        "SOURCE_URL": result.source_url,
        "DOWNLOAD_FOLDER": result.folder,
        "ERROR_MESSAGE": result.error_message,
        "LAST_PROCESSED": finished,
        "PO_STATUS": facts.status if facts else None,
        "ORDER_DATE": date.fromisoformat(facts.order_date) if facts and facts.order_date else None,
        "REQUESTER": facts.requester if facts else None,
        "REQUISITION_NUMBER": facts.requisition_number if facts else None,
        "PAYMENT_TERM": facts.payment_term if facts else None,
        "PO_TOTAL": facts.total if facts else None,
        "CURRENCY": facts.currency if facts else None,
        "ATTACHMENT_COUNT_CHECK": result.count_check or None,
    }


def _style_sheet(ws: Any, sheet: InputSheet, columns: dict[str, int], added: set[int], *, csv_input: bool) -> None:
    header_row = sheet.header_row
    last_column = max(ws.max_column, *columns.values())
    last_row = max(ws.max_row, header_row)
    for column in range(1, last_column + 1):
        cell = ws.cell(row=header_row, column=column)
        if cell.value is None and column not in added:
            continue
        # The user's own header styling wins; plain headers and the new result columns get the report style.
        if column in added or csv_input or (not cell.font.bold and cell.fill.fill_type is None):
            style_header(cell)
    status_column = columns["STATUS"]
    for row in range(header_row + 1, last_row + 1):
        cell = ws.cell(row=row, column=status_column)
        fill = status_fill(text(cell.value))
        if fill is not None:
            cell.fill = fill
    if ws.tables:
        # An Excel table carries its own filter; a sheet filter overlapping it makes Excel "repair" the file.
        log.info("sheet %s has tables; not adding a sheet filter", ws.title)
    else:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(last_column)}{last_row}"
    ws.freeze_panes = f"A{header_row + 1}"
    # Widths the user chose for existing columns are kept; only columns we created (all of them for csv) are sized.
    for column in set(range(1, last_column + 1)) if csv_input else added:
        ws.column_dimensions[get_column_letter(column)].width = column_width(ws, column, header_row, last_row)


# --- saving ------------------------------------------------------------------------------------------------------


def _save_atomically(workbook: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _save_replace(workbook, path)
        return path
    except PermissionError:
        # Typically the previous report is open in Excel (Windows locks it): keep the results anyway.
        alternative = path.with_name(f"{path.stem}_{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
        log.warning("%s is locked (open in Excel?); writing %s instead", path, alternative)
        try:
            _save_replace(workbook, alternative)
        except OSError as exc:
            raise CoupaDownloadsError(f"The report could not be written to {path.parent}: {exc}.") from exc
        return alternative
    except OSError as exc:
        raise CoupaDownloadsError(f"The report could not be written to {path}: {exc}.") from exc


def _save_replace(workbook: Any, path: Path) -> None:
    write_atomically(path, workbook.save)

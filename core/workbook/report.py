"""Write the run report: the input rows as they were, plus one block of result columns and a Summary sheet.

For .xlsx input the original workbook is loaded (formatting, formulas, widths and other sheets survive) and saved
under the run folder; the input file itself is never written. The save is atomic (temp file + os.replace).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from core.atomic import write_atomically
from core.errors import CoupaDownloadsError, InputError
from core.models import PoResult, PoStatus
from core.workbook.spreadsheet import (
    LEGACY_COLUMN_NAMES,
    RESULT_COLUMN_NAMES,
    InputSheet,
    RowState,
    csv_records,
    find_column,
    read_input_bytes,
)

log = logging.getLogger(__name__)

REPORT_NAME = "CoupaDownloads_Report.xlsx"
RESULT_COLUMNS = RESULT_COLUMN_NAMES  # defined next to the reader, which must not treat them as folder levels
SUMMARY_SHEET = "Summary"
SUMMARY_SHEET_FALLBACK = "Summary (CoupaDownloads)"
SUMMARY_TITLE = "CoupaDownloads run summary"  # A1 of our Summary sheet: lets a later run recognise and replace it
CSV_SHEET_NAME = "PO_Data"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
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
    PoStatus.INVALID: "E4DFEC",  # purple-ish
    PoStatus.CANCELLED: "DDEBF7",  # blue
}
NOT_PROCESSED = "NOT_PROCESSED"  # summary bucket: a PO of the run that has no result and the run was not cancelled


@dataclass
class RunSummary:
    started_at: datetime
    finished_at: datetime
    workers: int
    cancelled: bool = False


def write_report(sheet: InputSheet, results: Mapping[str, PoResult], path: Path, summary: RunSummary) -> Path:
    """Write the report to `path` atomically and return the path actually written.

    When `path` is locked (the previous report is open in Excel) the report is written next to it under a
    timestamped name instead, and that path is returned.
    """
    path = Path(path)
    if path.resolve() in (Path(sheet.path).resolve(), sheet.shown_path.resolve()):
        raise InputError("The report cannot be written over the input file; choose another output folder.")
    data = read_input_bytes(sheet.path)
    csv_input = sheet.sheet_name is None
    workbook, ws = _csv_workbook(sheet, data) if csv_input else _xlsx_workbook(sheet, data)
    columns, added = _result_columns(ws, sheet)
    _write_rows(ws, sheet, results, summary, columns)
    _style_sheet(ws, sheet, columns, added, csv_input=csv_input)
    _write_summary(workbook, sheet, results, summary)
    return _save_atomically(workbook, path)


# --- building the workbook ---------------------------------------------------------------------------------------


def _xlsx_workbook(sheet: InputSheet, data: bytes) -> tuple[Any, Any]:
    import openpyxl

    try:
        # Not read-only and not data_only: formulas, styles, widths and the other sheets must survive the save.
        workbook = openpyxl.load_workbook(io.BytesIO(data))
    except Exception as exc:
        raise InputError(f"{sheet.shown_path.name} could not be opened to write the report: {exc}.") from exc
    if sheet.sheet_name not in workbook.sheetnames:
        raise InputError(f"Sheet '{sheet.sheet_name}' is no longer in {sheet.shown_path.name}.")
    return workbook, workbook[sheet.sheet_name]


def _csv_workbook(sheet: InputSheet, data: bytes) -> tuple[Any, Any]:
    records = csv_records(data, sheet.csv_encoding or "utf-8", sheet.csv_delimiter or ",")
    workbook = Workbook()
    ws = workbook.active
    ws.title = CSV_SHEET_NAME
    for row_number, record in enumerate(records, start=1):
        for column, value in enumerate(record, start=1):
            if value != "":
                _set_text(ws.cell(row=row_number, column=column), value)
    return workbook, ws


def _result_columns(ws: Any, sheet: InputSheet) -> tuple[dict[str, int], set[int]]:
    """1-based column of each result column (an existing, tolerantly matched one, else a new one after the last
    used column) and the set of columns that were added."""
    header_row = sheet.header_row
    last = max(_last_used_column(ws), len(sheet.headers))
    headers = [_text(ws.cell(row=header_row, column=c).value) for c in range(1, last + 1)]
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
    run_finished = _excel_datetime(summary.finished_at)
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
            cell = ws.cell(row=row.row_number, column=columns[name])
            value = values.get(name)
            if isinstance(value, str):
                _set_text(cell, value)
            else:
                cell.value = value
            if isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT


def _result_values(result: PoResult, run_finished: datetime) -> dict[str, object]:
    finished = run_finished
    if result.finished_at:
        try:
            finished = _excel_datetime(datetime.fromisoformat(result.finished_at))
        except ValueError:
            log.warning("PO %s: unreadable finished_at %r", result.po_key, result.finished_at)
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
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
    status_column = columns["STATUS"]
    for row in range(header_row + 1, last_row + 1):
        cell = ws.cell(row=row, column=status_column)
        colour = STATUS_FILLS.get(_text(cell.value).strip().upper())
        if colour:
            cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    if ws.tables:
        # An Excel table carries its own filter; a sheet filter overlapping it makes Excel "repair" the file.
        log.info("sheet %s has tables; not adding a sheet filter", ws.title)
    else:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(last_column)}{last_row}"
    ws.freeze_panes = f"A{header_row + 1}"
    # Widths the user chose for existing columns are kept; only columns we created (all of them for csv) are sized.
    for column in set(range(1, last_column + 1)) if csv_input else added:
        ws.column_dimensions[get_column_letter(column)].width = _column_width(ws, column, header_row, last_row)


def _column_width(ws: Any, column: int, header_row: int, last_row: int) -> float:
    longest = 0
    for row in range(header_row, last_row + 1):
        value = ws.cell(row=row, column=column).value
        text = "2000-01-01 00:00:00" if isinstance(value, datetime) else _text(value)
        longest = max(longest, len(text))
    return float(min(max(longest + 2, 10), MAX_COLUMN_WIDTH))


# --- summary sheet -----------------------------------------------------------------------------------------------


def summary_rows(sheet: InputSheet, results: Mapping[str, PoResult], summary: RunSummary) -> list[tuple[str, object]]:
    """The Summary sheet's label/value pairs (also useful to print at the end of a CLI run)."""
    status_counts: dict[str, int] = {status.value: 0 for status in PoStatus}
    status_counts[NOT_PROCESSED] = 0
    files = 0
    size = 0
    processed = 0
    tasks = sheet.tasks()
    for task in tasks:
        result = results.get(task.po_key)
        if result is None:
            status_counts[PoStatus.CANCELLED.value if summary.cancelled else NOT_PROCESSED] += 1
            continue
        processed += 1
        status_counts[PoStatus(result.status).value] += 1
        files += result.attachments_downloaded
        size += result.bytes_downloaded
    row_counts = sheet.counts()
    status_counts[PoStatus.INVALID.value] += row_counts["invalid"]
    seconds = max((summary.finished_at - summary.started_at).total_seconds(), 0.0)
    per_minute = round(processed / (seconds / 60), 2) if seconds > 0 else 0.0
    rows: list[tuple[str, object]] = [
        ("Input file", str(sheet.shown_path)),
        ("Sheet", sheet.sheet_name or "(csv)"),
        ("POs total", len(tasks) + row_counts["invalid"]),
    ]
    rows += [(status, count) for status, count in status_counts.items() if status != NOT_PROCESSED or count]
    rows += [
        ("Duplicate rows (processed once)", row_counts["duplicate"]),
        ("Rows skipped (already COMPLETED)", row_counts["completed"]),
        ("Empty rows", row_counts["empty"]),
        ("Files downloaded", files),
        ("Bytes downloaded", size),
        ("MB downloaded", round(size / 1_048_576, 2)),
        ("Duration (seconds)", round(seconds, 1)),
        ("Duration", _hms(seconds)),
        ("POs per minute", per_minute),
        ("Workers", summary.workers),
        ("Started", _excel_datetime(summary.started_at)),
        ("Finished", _excel_datetime(summary.finished_at)),
        ("Cancelled", "yes" if summary.cancelled else "no"),
    ]
    return rows


def _write_summary(workbook: Any, sheet: InputSheet, results: Mapping[str, PoResult], summary: RunSummary) -> None:
    name = _summary_sheet_name(workbook)
    if name in workbook.sheetnames:
        del workbook[name]
    ws = workbook.create_sheet(name)
    ws["A1"] = SUMMARY_TITLE
    ws["A1"].font = Font(bold=True, size=14)
    for offset, (label, value) in enumerate(summary_rows(sheet, results, summary)):
        row = offset + 3
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = ws.cell(row=row, column=2)
        if isinstance(value, str):
            _set_text(cell, value)
        else:
            cell.value = value
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        colour = STATUS_FILLS.get(label)
        if colour:
            ws.cell(row=row, column=1).fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 40


def _summary_sheet_name(workbook: Any) -> str:
    if SUMMARY_SHEET not in workbook.sheetnames:
        return SUMMARY_SHEET
    if workbook[SUMMARY_SHEET]["A1"].value == SUMMARY_TITLE:
        return SUMMARY_SHEET  # our own Summary from an earlier report fed back in as input: replace it
    return SUMMARY_SHEET_FALLBACK


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


# --- small helpers -----------------------------------------------------------------------------------------------


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _set_text(cell: Any, value: str) -> None:
    """Store text as text: control characters Excel rejects are dropped, and '=...' never becomes a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_MAX_CELL_TEXT]
    cell.data_type = "s"


def _excel_datetime(value: datetime) -> datetime:
    """Excel has no time zones: convert aware times to local wall-clock time."""
    if value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def _hms(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"

"""The report's Summary sheet: run numbers, POs per status for each supplier (or first folder level), files by
type, and native Excel charts of them (openpyxl's chart module, which Excel and LibreOffice both open)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.series import DataPoint
from openpyxl.styles import Font

from core.models import PoResult, PoStatus, SavedFile
from core.workbook.cells import STATUS_FILLS, excel_datetime, set_value, status_fill, style_header
from core.workbook.spreadsheet import InputSheet

SUMMARY_SHEET = "Summary"
SUMMARY_SHEET_FALLBACK = "Summary (CoupaDownloads)"
SUMMARY_TITLE = "CoupaDownloads run summary"  # A1 of our Summary sheet: lets a later run recognise and replace it
NOT_PROCESSED = "NOT_PROCESSED"  # summary bucket: a PO of the run that has no result and the run was not cancelled
EMAILS_CONVERTED_LABEL = "E-mails converted to PDF"
FILES_EXTRACTED_LABEL = "Files extracted from e-mails"
NO_EXTENSION = "(no extension)"
UNKNOWN_GROUP = "Unknown"  # a PO without supplier or first level, named as its folder is
TABLE_COLUMN = 4  # the per-group and per-type tables start in column D, beside the run numbers
CHART_WIDTH_CM = 16.0
CHART_HEIGHT_CM = 7.5
CHART_ROWS = 16  # rows a chart of CHART_HEIGHT_CM covers, with a gap


@dataclass
class RunSummary:
    started_at: datetime
    finished_at: datetime
    workers: int
    cancelled: bool = False


def summary_rows(sheet: InputSheet, results: Mapping[str, PoResult], summary: RunSummary) -> list[tuple[str, object]]:
    """The Summary sheet's label/value pairs (also useful to print at the end of a CLI run)."""
    status_counts: dict[str, int] = {status.value: 0 for status in PoStatus}
    status_counts[NOT_PROCESSED] = 0
    files = 0
    size = 0
    processed = 0
    emails = 0
    extracted = 0
    tasks = sheet.tasks()
    for task in tasks:
        result = results.get(task.po_key)
        status_counts[_status_of(result, summary)] += 1
        if result is None:
            continue
        processed += 1
        files += result.attachments_downloaded
        size += result.bytes_downloaded
        emails += result.emails_converted
        extracted += result.files_extracted
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
        (EMAILS_CONVERTED_LABEL, emails),
        (FILES_EXTRACTED_LABEL, extracted),
        ("Duration (seconds)", round(seconds, 1)),
        ("Duration", _hms(seconds)),
        ("POs per minute", per_minute),
        ("Workers", summary.workers),
        ("Started", excel_datetime(summary.started_at)),
        ("Finished", excel_datetime(summary.finished_at)),
        ("Cancelled", "yes" if summary.cancelled else "no"),
    ]
    return rows


def statuses_by_group(
    sheet: InputSheet, results: Mapping[str, PoResult], summary: RunSummary
) -> dict[str, Counter[str]]:
    """POs per status for each supplier, or for each value of the first folder level when the input has levels."""
    groups: dict[str, Counter[str]] = {}
    for task in sheet.tasks():
        result = results.get(task.po_key)
        if sheet.hierarchy_columns:
            group = task.levels[0] if task.levels else ""
        else:
            group = result.supplier if result is not None else ""
        groups.setdefault(group.strip() or UNKNOWN_GROUP, Counter())[_status_of(result, summary)] += 1
    return dict(sorted(groups.items(), key=lambda item: item[0].casefold()))


def files_by_type(files: Mapping[str, Sequence[SavedFile]]) -> dict[str, tuple[int, int]]:
    """Saved files and bytes per file type (the lower-case extension), most files first."""
    counts: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    for saved in files.values():
        for item in saved:
            kind = PurePath(item.name).suffix.lower() or NO_EXTENSION
            counts[kind] += 1
            sizes[kind] += item.size
    return {kind: (count, sizes[kind]) for kind, count in counts.most_common()}


def write_summary(
    workbook: Any,
    sheet: InputSheet,
    results: Mapping[str, PoResult],
    summary: RunSummary,
    files: Mapping[str, Sequence[SavedFile]],
) -> None:
    name = _summary_sheet_name(workbook)
    if name in workbook.sheetnames:
        del workbook[name]
    ws = workbook.create_sheet(name)
    ws["A1"] = SUMMARY_TITLE
    ws["A1"].font = Font(bold=True, size=14)
    status_rows: list[int] = []
    rows = summary_rows(sheet, results, summary)
    for offset, (label, value) in enumerate(rows):
        row = offset + 3
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        set_value(ws.cell(row=row, column=2), value)
        if label in STATUS_FILLS or label == NOT_PROCESSED:
            status_rows.append(row)
            fill = status_fill(label)
            if fill is not None:
                ws.cell(row=row, column=1).fill = fill
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 40
    next_row = _write_group_table(ws, statuses_by_group(sheet, results, summary), 3, "Supplier (or first folder level)")
    types_row = next_row + 2
    types = files_by_type(files)
    next_row = _write_types_table(ws, types, types_row)
    charts_row = max(next_row, len(rows) + 2) + 2  # below the run numbers and the tables, covering none of them
    _add_status_charts(ws, status_rows, charts_row)
    if types:
        _add_types_chart(ws, types_row, len(types), charts_row + CHART_ROWS)


def _write_group_table(ws: Any, groups: dict[str, Counter[str]], top: int, title: str) -> int:
    """The POs-per-status table; returns its last row."""
    present = {status for counts in groups.values() for status in counts}
    statuses = [s for s in [*STATUS_FILLS, NOT_PROCESSED] if s in present]
    headers = [title, *statuses, "Total"]
    for offset, header in enumerate(headers):
        cell = ws.cell(row=top, column=TABLE_COLUMN + offset, value=header)
        style_header(cell)
        fill = status_fill(header) if header in statuses else None
        if fill is not None:
            cell.fill = fill
            cell.font = Font(bold=True)
    row = top
    for group, counts in groups.items():
        row += 1
        set_value(ws.cell(row=row, column=TABLE_COLUMN), group)
        for offset, status in enumerate(statuses, start=1):
            ws.cell(row=row, column=TABLE_COLUMN + offset, value=counts.get(status, 0))
        ws.cell(row=row, column=TABLE_COLUMN + len(statuses) + 1, value=sum(counts.values()))
    ws.column_dimensions["D"].width = max(len(title), *(len(g) for g in groups), 10) + 2
    return row


def _write_types_table(ws: Any, types: dict[str, tuple[int, int]], top: int) -> int:
    for offset, header in enumerate(("File type", "Files", "Bytes")):
        style_header(ws.cell(row=top, column=TABLE_COLUMN + offset, value=header))
    row = top
    for kind, (count, size) in types.items():
        row += 1
        set_value(ws.cell(row=row, column=TABLE_COLUMN), kind)
        ws.cell(row=row, column=TABLE_COLUMN + 1, value=count)
        ws.cell(row=row, column=TABLE_COLUMN + 2, value=size)
    return row


def _add_status_charts(ws: Any, status_rows: list[int], anchor_row: int) -> None:
    if not status_rows:
        return
    labels = Reference(ws, min_col=1, min_row=status_rows[0], max_row=status_rows[-1])
    values = Reference(ws, min_col=2, min_row=status_rows[0], max_row=status_rows[-1])
    colours = [STATUS_FILLS.get(str(ws.cell(row=r, column=1).value), "A6A6A6") for r in status_rows]
    bar = BarChart()
    bar.type = "col"
    bar.title = "POs per status"
    bar.legend = None
    pie = PieChart()
    pie.title = "Share of POs per status"
    for chart in (bar, pie):
        chart.add_data(values, titles_from_data=False)
        chart.set_categories(labels)
        chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
        series = chart.series[0]
        for index, colour in enumerate(colours):
            point = DataPoint(idx=index)
            point.graphicalProperties.solidFill = colour
            series.dPt.append(point)
    ws.add_chart(bar, f"A{anchor_row}")
    ws.add_chart(pie, f"H{anchor_row}")


def _add_types_chart(ws: Any, top: int, count: int, anchor_row: int) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Files by type"
    chart.legend = None
    chart.add_data(
        Reference(ws, min_col=TABLE_COLUMN + 1, min_row=top + 1, max_row=top + count), titles_from_data=False
    )
    chart.set_categories(Reference(ws, min_col=TABLE_COLUMN, min_row=top + 1, max_row=top + count))
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    ws.add_chart(chart, f"A{anchor_row}")


def _status_of(result: PoResult | None, summary: RunSummary) -> str:
    if result is None:
        return PoStatus.CANCELLED.value if summary.cancelled else NOT_PROCESSED
    return PoStatus(result.status).value


def _summary_sheet_name(workbook: Any) -> str:
    if SUMMARY_SHEET not in workbook.sheetnames:
        return SUMMARY_SHEET
    if workbook[SUMMARY_SHEET]["A1"].value == SUMMARY_TITLE:
        return SUMMARY_SHEET  # our own Summary from an earlier report fed back in as input: replace it
    return SUMMARY_SHEET_FALLBACK


def _hms(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"

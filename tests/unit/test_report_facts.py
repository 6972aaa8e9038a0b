"""The PO's facts in the report: fact columns, the Lines sheet, the per-supplier table, charts; and the journal
that carries them (an old journal opened by this version gains the new columns)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from core.models import PoFacts, PoLine, PoResult, PoStatus, SavedFile
from core.run.journal import Journal
from core.workbook.report import REPORT_NAME, write_report
from core.workbook.spreadsheet import read_input
from core.workbook.summary import RunSummary

STARTED = datetime(2025, 3, 1, 9, 0, 0)
SUMMARY = RunSummary(started_at=STARTED, finished_at=STARTED + timedelta(minutes=1), workers=2)
FACTS = PoFacts(
    status="Issued",
    order_date="2025-02-13",
    requester="Ana Souza",
    requisition_number="0031000",
    payment_term="Net 30",
    total=8338.0,
    currency="BRL",
    lines=(
        PoLine("1", "Papel A4", 1500.0, 0.25, 375.0, "BRL", "CC-1001", ("Drawing.pdf", "Spec.docx")),
        PoLine("2", "Consulting", None, 7963.0, 7963.0, "BRL", ""),
    ),
    stated_files=2,
)


def write_input(tmp_path: Path, rows: list[list[Any]], headers: list[str] | None = None) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "PO_Data"
    ws.append(headers or ["PO_NUMBER"])
    for row in rows:
        ws.append(row)
    path = tmp_path / "input.xlsx"
    workbook.save(path)
    return path


def row_dict(ws: Any, row: int) -> dict[str, Any]:
    return {ws.cell(row=1, column=c).value: ws.cell(row=row, column=c).value for c in range(1, ws.max_column + 1)}


@pytest.fixture
def report(tmp_path: Path) -> Any:
    path = write_input(tmp_path, [[" po 111111 "], ["PO222222"], ["PO333333"], ["PO444444"], ["PO555555"]])
    results = {
        "111111": PoResult(
            "111111", PoStatus.COMPLETED, supplier="Acme", facts=FACTS, count_check="stated by the page (2)"
        ),
        "222222": PoResult("222222", PoStatus.NO_ACCESS, error_message="Coupa says you are not authorized"),
        "333333": PoResult("333333", PoStatus.PARTIAL, supplier="Acme", facts=PoFacts(), count_check="not stated"),
        "444444": PoResult("444444", PoStatus.NO_ACCESS),
        "555555": PoResult("555555", PoStatus.COMPLETED, supplier="Beta", facts=PoFacts(status="Closed")),
    }
    files = {
        "111111": [SavedFile("Drawing.pdf", 100, "a"), SavedFile("Spec.docx", 50, "b")],
        "555555": [SavedFile("Quote.PDF", 10, "c"), SavedFile("README", 5, "d")],
    }
    out = write_report(read_input(path), results, tmp_path / "run" / REPORT_NAME, SUMMARY, files)
    return openpyxl.load_workbook(out)


def test_fact_columns_are_typed_cells(report: Any) -> None:
    ws = report["PO_Data"]
    first = row_dict(ws, 2)
    assert first["PO_STATUS"] == "Issued"
    assert first["ORDER_DATE"] == datetime(2025, 2, 13)
    assert ws.cell(row=2, column=list(first).index("ORDER_DATE") + 1).is_date
    assert (first["REQUESTER"], first["PAYMENT_TERM"], first["CURRENCY"]) == ("Ana Souza", "Net 30", "BRL")
    number_cell = ws.cell(row=2, column=list(first).index("REQUISITION_NUMBER") + 1)
    assert (number_cell.value, number_cell.data_type) == ("0031000", "s")  # text: the leading zero stays
    assert first["PO_TOTAL"] == 8338.0
    assert first["ATTACHMENT_COUNT_CHECK"] == "stated by the page (2)"
    assert row_dict(ws, 4)["ATTACHMENT_COUNT_CHECK"] == "not stated"
    no_access = row_dict(ws, 3)
    assert no_access["STATUS"] == "NO_ACCESS"
    assert no_access["PO_STATUS"] is None and no_access["ORDER_DATE"] is None and no_access["PO_TOTAL"] is None
    status_cell = ws.cell(row=3, column=list(first).index("STATUS") + 1)
    assert status_cell.fill.start_color.rgb.endswith("E6B8DC")


def test_lines_sheet_has_one_row_per_line_with_the_po_as_written(report: Any) -> None:
    rows = list(report["Lines"].iter_rows(values_only=True))
    assert rows == [
        ("PO", "LINE", "DESCRIPTION", "QUANTITY", "PRICE", "LINE_TOTAL", "CURRENCY", "ACCOUNT", "ATTACHMENTS"),
        ("po 111111", 1, "Papel A4", 1500, 0.25, 375, "BRL", "CC-1001", "Drawing.pdf; Spec.docx"),
        ("po 111111", 2, "Consulting", None, 7963, 7963, "BRL", None, None),
    ]


def test_summary_counts_statuses_per_supplier_and_files_by_type(report: Any) -> None:
    ws = report["Summary"]
    cells = {(r, c): ws.cell(row=r, column=c).value for r in range(1, ws.max_row + 1) for c in range(4, 12)}
    header_row = next(r for (r, c), v in cells.items() if v == "Supplier (or first folder level)")
    header = [ws.cell(row=header_row, column=c).value for c in range(4, 9)]
    assert header == ["Supplier (or first folder level)", "COMPLETED", "PARTIAL", "NO_ACCESS", "Total"]
    table = [[ws.cell(row=header_row + i, column=c).value for c in range(4, 9)] for i in (1, 2, 3)]
    # POs the user may not see have no supplier on record: they are grouped as "Unknown".
    assert table == [["Acme", 1, 1, 0, 2], ["Beta", 1, 0, 0, 1], ["Unknown", 0, 0, 2, 2]]
    types_row = next(r for (r, c), v in cells.items() if v == "File type")
    types = [[ws.cell(row=types_row + i, column=c).value for c in range(4, 7)] for i in range(1, 5)]
    assert types == [[".pdf", 2, 110], [".docx", 1, 50], ["(no extension)", 1, 5], [None, None, None]]


def test_summary_carries_native_charts(report: Any) -> None:
    charts = report["Summary"]._charts
    assert [type(c).__name__ for c in charts] == ["BarChart", "PieChart", "BarChart"]
    titles = ["".join(r.t for p in c.title.tx.rich.p for r in (p.r or [])) for c in charts]
    assert titles == ["POs per status", "Share of POs per status", "Files by type"]
    # Below the run numbers and the tables: a chart never hides a value.
    ws = report["Summary"]
    last_value_row = max(r for r in range(1, ws.max_row + 1) for c in range(1, 12) if ws.cell(r, c).value is not None)
    assert min(chart.anchor._from.row + 1 for chart in charts) > last_value_row


def test_per_group_table_uses_the_first_folder_level(tmp_path: Path) -> None:
    path = write_input(tmp_path, [["PO111111", None, "Company A"], ["PO222222", None, ""]], ["PO_NUMBER", "<|>", "Co"])
    results = {
        "111111": PoResult("111111", PoStatus.NO_ACCESS),
        "222222": PoResult("222222", PoStatus.COMPLETED, supplier="Acme"),
    }
    out = write_report(read_input(path), results, tmp_path / "run" / REPORT_NAME, SUMMARY)
    ws = openpyxl.load_workbook(out)["Summary"]
    rows = [[ws.cell(row=r, column=c).value for c in range(4, 8)] for r in range(3, 6)]
    assert rows == [
        ["Supplier (or first folder level)", "COMPLETED", "NO_ACCESS", "Total"],
        ["Company A", 0, 1, 1],
        ["Unknown", 1, 0, 1],
    ]


OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE po (po_key TEXT PRIMARY KEY, status TEXT NOT NULL, supplier TEXT NOT NULL,
    attachments_found INTEGER NOT NULL, attachments_downloaded INTEGER NOT NULL, attachment_names TEXT NOT NULL,
    source_url TEXT NOT NULL, folder TEXT NOT NULL, error_message TEXT NOT NULL, bytes_downloaded INTEGER NOT NULL,
    seconds REAL NOT NULL, attempts INTEGER NOT NULL, finished_at TEXT NOT NULL, files TEXT NOT NULL);
CREATE TABLE file (po_key TEXT NOT NULL, url TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
    sha256 TEXT NOT NULL, PRIMARY KEY (po_key, url));
INSERT INTO po VALUES ('111111', 'COMPLETED', 'Acme', 1, 1, '["a.pdf"]', 'u', 'f', '', 10, 1.5, 1, 't', '[]');
"""


def test_an_old_journal_gains_the_new_columns_and_keeps_its_results(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
    with Journal(path) as journal:
        old = journal.results()["111111"]
        assert (old.status, old.supplier, old.attachment_names, old.facts, old.count_check) == (
            PoStatus.COMPLETED,
            "Acme",
            ["a.pdf"],
            None,
            "",
        )
        journal.record(PoResult("222222", PoStatus.COMPLETED, facts=FACTS, count_check="stated by the page (2)"))
        journal.record(PoResult("333333", PoStatus.NO_ACCESS))
    with Journal(path) as journal:
        results = journal.results()
        assert results["222222"].facts == FACTS
        assert results["222222"].count_check == "stated by the page (2)"
        assert journal.done_keys() == {"111111", "222222", "333333"}  # NO_ACCESS is a final answer


def test_a_users_own_lines_sheet_is_kept_and_ours_replaced_on_the_next_run(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "PO_Data"
    workbook.active.append(["PO_NUMBER"])
    workbook.active.append(["PO111111"])
    workbook.create_sheet("Lines")["A1"] = "my own notes"
    path = tmp_path / "input.xlsx"
    workbook.save(path)
    results = {"111111": PoResult("111111", PoStatus.COMPLETED, facts=FACTS)}
    first = write_report(read_input(path), results, tmp_path / "a" / REPORT_NAME, SUMMARY)
    book = openpyxl.load_workbook(first)
    assert book["Lines"]["A1"].value == "my own notes"
    assert book["Lines (CoupaDownloads)"].max_row == 3
    # The report fed back in as input: our own Lines sheet is recognised and replaced, not duplicated.
    second = write_report(read_input(first), results, tmp_path / "b" / REPORT_NAME, SUMMARY)
    book = openpyxl.load_workbook(second)
    assert book.sheetnames.count("Lines (CoupaDownloads)") == 1 and book["Lines"]["A1"].value == "my own notes"

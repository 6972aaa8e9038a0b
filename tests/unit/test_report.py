"""The run report: input kept as it was, result columns added or updated, styled, with a Summary sheet."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from core import atomic
from core.errors import InputError
from core.models import PoFacts, PoResult, PoStatus
from core.workbook.report import REPORT_NAME, RESULT_COLUMNS, write_report
from core.workbook.spreadsheet import read_input
from core.workbook.summary import RunSummary

STARTED = datetime(2025, 3, 1, 9, 0, 0)
FINISHED = STARTED + timedelta(minutes=2)


def summary(*, cancelled: bool = False, workers: int = 3) -> RunSummary:
    return RunSummary(started_at=STARTED, finished_at=FINISHED, workers=workers, cancelled=cancelled)


def result(po: str, status: PoStatus, **kw: Any) -> PoResult:
    return PoResult(po_key=po, status=status, **kw)


def headers(ws: Any, row: int = 1) -> list[Any]:
    return [c.value for c in ws[row]]


def column_values(ws: Any, name: str, header_row: int = 1) -> dict[int, Any]:
    index = headers(ws, header_row).index(name) + 1
    return {r: ws.cell(row=r, column=index).value for r in range(header_row + 1, ws.max_row + 1)}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def styled_input(tmp_path: Path) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "PO_Data"
    ws.append(["PO_NUMBER", "Amount", "Double"])
    ws.append(["PO111111", 10, "=B2*2"])
    ws.append(["N/A", 20, "=B3*2"])
    ws.append(["po 111111", 30, None])
    ws.append(["PO222222", 40, None])
    ws.append(["PO333333", 50, None])
    ws["A2"].font = Font(bold=True)
    ws["B2"].fill = PatternFill(fill_type="solid", start_color="FFFF00", end_color="FFFF00")
    ws["B2"].number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 33
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "keep me"
    path = tmp_path / "input.xlsx"
    workbook.save(path)
    return path


def test_xlsx_report_keeps_input_and_adds_results(styled_input: Path, tmp_path: Path) -> None:
    before = digest(styled_input)
    sheet = read_input(styled_input)
    results = {
        "111111": result(
            "111111",
            PoStatus.COMPLETED,
            supplier="Acme",
            attachments_found=2,
            attachments_downloaded=2,
            attachment_names=["a.pdf", "=evil.xlsx"],
            source_url="https://x.coupahost.com/order_headers/111111",
            folder="/run/Acme/PO111111_COMPLETED",
            bytes_downloaded=3 * 1_048_576,
            finished_at="2025-03-01T09:01:30",
        ),
        "222222": result("222222", PoStatus.PO_NOT_FOUND, error_message="Coupa says the PO does not exist"),
    }
    out = write_report(sheet, results, tmp_path / "run" / REPORT_NAME, summary())
    assert out == tmp_path / "run" / REPORT_NAME
    assert digest(styled_input) == before

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["PO_Data", "Notes", "Summary", "Lines"]
    assert wb["Notes"]["A1"].value == "keep me"
    ws = wb["PO_Data"]
    assert headers(ws) == ["PO_NUMBER", "Amount", "Double", *RESULT_COLUMNS]
    # The user's formatting, formula and width survive.
    assert ws["A2"].font.bold
    assert ws["B2"].fill.start_color.rgb.endswith("FFFF00")
    assert ws["B2"].number_format == "#,##0.00"
    assert ws["C2"].value == "=B2*2"
    assert ws["C2"].data_type == "f"
    assert ws.column_dimensions["A"].width == 33

    status = column_values(ws, "STATUS")
    assert status == {2: "COMPLETED", 3: "INVALID", 4: "COMPLETED", 5: "PO_NOT_FOUND", 6: None}
    assert column_values(ws, "ERROR_MESSAGE")[3] == "'N/A' has no digits; expected a PO number such as PO16928033"
    assert column_values(ws, "ERROR_MESSAGE")[5] == "Coupa says the PO does not exist"
    names = column_values(ws, "ATTACHMENT_NAMES")
    assert names[2] == "a.pdf; =evil.xlsx"
    # A file name starting with '=' is text, never a formula.
    assert ws.cell(row=2, column=headers(ws).index("ATTACHMENT_NAMES") + 1).data_type == "s"
    assert column_values(ws, "SUPPLIER")[4] == "Acme"  # duplicate row gets its PO's result
    assert column_values(ws, "ATTACHMENTS_FOUND")[2] == 2
    assert column_values(ws, "ATTACHMENTS_DOWNLOADED")[2] == 2
    assert column_values(ws, "SOURCE_URL")[2] == "https://x.coupahost.com/order_headers/111111"
    assert column_values(ws, "DOWNLOAD_FOLDER")[2] == "/run/Acme/PO111111_COMPLETED"
    last = column_values(ws, "LAST_PROCESSED")
    assert last[2] == datetime(2025, 3, 1, 9, 1, 30)
    assert last[3] == FINISHED
    assert last[6] is None  # a PO without a result gets nothing in a run that was not cancelled

    # Styling: header, colours, filter, frozen header, widths of the new columns.
    status_col = headers(ws).index("STATUS") + 1
    header_cell = ws.cell(row=1, column=status_col)
    assert header_cell.font.bold
    assert header_cell.font.color.rgb.endswith("FFFFFF")
    assert header_cell.fill.fill_type == "solid"
    assert ws.cell(row=2, column=status_col).fill.start_color.rgb.endswith("C6EFCE")
    assert ws.cell(row=3, column=status_col).fill.start_color.rgb.endswith("E4DFEC")
    assert ws.cell(row=5, column=status_col).fill.start_color.rgb.endswith("F8CBAD")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(3 + len(RESULT_COLUMNS))}6"
    assert ws.column_dimensions["I"].width >= len("https://x.coupahost.com/order_headers/111111")
    assert 10 <= ws.column_dimensions["D"].width <= 60


def test_summary_numbers(styled_input: Path, tmp_path: Path) -> None:
    sheet = read_input(styled_input)
    results = {
        "111111": result("111111", PoStatus.COMPLETED, attachments_downloaded=2, bytes_downloaded=3 * 1_048_576),
        "222222": result("222222", PoStatus.PARTIAL, attachments_downloaded=1, bytes_downloaded=1000),
        "333333": result("333333", PoStatus.FAILED),
    }
    out = write_report(sheet, results, tmp_path / REPORT_NAME, summary(workers=4))
    ws = openpyxl.load_workbook(out)["Summary"]
    values = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}
    assert values["POs total"] == 4  # three unique POs plus one invalid row
    assert (values["COMPLETED"], values["PARTIAL"], values["FAILED"], values["INVALID"]) == (1, 1, 1, 1)
    assert values["CANCELLED"] == 0
    assert values["Duplicate rows (processed once)"] == 1
    assert values["Files downloaded"] == 3
    assert values["Bytes downloaded"] == 3 * 1_048_576 + 1000
    assert values["MB downloaded"] == 3.0
    assert values["Duration (seconds)"] == 120
    assert values["Duration"] == "0:02:00"
    assert values["POs per minute"] == 1.5
    assert values["Workers"] == 4
    assert values["Started"] == STARTED
    assert values["Finished"] == FINISHED
    assert values["Cancelled"] == "no"


def test_cancelled_run_marks_unfinished_pos(styled_input: Path, tmp_path: Path) -> None:
    sheet = read_input(styled_input)
    results = {"111111": result("111111", PoStatus.COMPLETED)}
    out = write_report(sheet, results, tmp_path / REPORT_NAME, summary(cancelled=True))
    wb = openpyxl.load_workbook(out)
    assert column_values(wb["PO_Data"], "STATUS") == {
        2: "COMPLETED",
        3: "INVALID",
        4: "COMPLETED",
        5: "CANCELLED",
        6: "CANCELLED",
    }
    values = {r[0].value: r[1].value for r in wb["Summary"].iter_rows(min_row=3)}
    assert values["CANCELLED"] == 2
    assert values["Cancelled"] == "yes"


def test_existing_and_legacy_columns_are_updated_in_place(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "PO_Data"
    ws.append(["po number", "Status", "AttachmentName", "COUPA_URL", "Comment", "Order Date", "PO Total"])
    ws.append(["PO111111", "FAILED", "old.pdf", "http://old", "keep", "13/02/2025", "8.338,00"])
    ws.append(["PO222222", "COMPLETED", "done.pdf", "http://done", "keep too", "old date", 5])
    ws.column_dimensions["C"].width = 21
    path = tmp_path / "previous.xlsx"
    workbook.save(path)
    before = digest(path)

    sheet = read_input(path)
    facts = PoFacts(order_date="2025-02-13", total=8338.0, currency="BRL")
    results = {
        "111111": result(
            "111111",
            PoStatus.COMPLETED,
            attachment_names=["new.pdf"],
            source_url="https://h/order_headers/111111",
            facts=facts,
        )
    }
    out = write_report(sheet, results, tmp_path / "out" / REPORT_NAME, summary())
    assert digest(path) == before
    ws = openpyxl.load_workbook(out)["PO_Data"]
    assert headers(ws) == [
        "po number",
        "Status",
        "AttachmentName",
        "COUPA_URL",
        "Comment",
        "Order Date",
        "PO Total",
        "SUPPLIER",
        "ATTACHMENTS_FOUND",
        "ATTACHMENTS_DOWNLOADED",
        "DOWNLOAD_FOLDER",
        "ERROR_MESSAGE",
        "LAST_PROCESSED",
        "PO_STATUS",
        "REQUESTER",
        "REQUISITION_NUMBER",
        "PAYMENT_TERM",
        "CURRENCY",
        "ATTACHMENT_COUNT_CHECK",
    ]
    assert [c.value for c in ws[2]][:7] == [
        "PO111111",
        "COMPLETED",
        "new.pdf",
        "https://h/order_headers/111111",
        "keep",
        datetime(2025, 2, 13),  # the old text became a real date (openpyxl reads date cells back as datetimes)
        8338.0,
    ]
    assert ws.cell(row=2, column=6).is_date
    # The row skipped as already COMPLETED keeps every value it had.
    assert [c.value for c in ws[3]] == [
        "PO222222",
        "COMPLETED",
        "done.pdf",
        "http://done",
        "keep too",
        "old date",
        5,
    ] + [None] * 12
    assert ws.column_dimensions["C"].width == 21
    assert ws.auto_filter.ref == "A1:S3"


def test_report_header_below_title_rows(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.cell(row=4, column=1, value="PO_NUMBER")
    ws.cell(row=5, column=1, value="PO111111")
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    sheet = read_input(path)
    assert sheet.header_row == 4
    out = write_report(sheet, {"111111": result("111111", PoStatus.NO_ATTACHMENTS)}, tmp_path / REPORT_NAME, summary())
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(row=4, column=2).value == "STATUS"
    assert ws.cell(row=5, column=2).value == "NO_ATTACHMENTS"
    assert ws.cell(row=5, column=2).fill.start_color.rgb.endswith("D9D9D9")
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == f"A4:{get_column_letter(1 + len(RESULT_COLUMNS))}5"


def test_csv_report(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes("Nom;PO_NUMBER;Montant\nCafé;PO111111;0012\nX;12345;=1+1\n".encode("cp1252"))
    before = digest(path)
    sheet = read_input(path)
    out = write_report(sheet, {"111111": result("111111", PoStatus.COMPLETED)}, tmp_path / REPORT_NAME, summary())
    assert digest(path) == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["PO_Data", "Summary", "Lines"]
    ws = wb["PO_Data"]
    assert headers(ws) == ["Nom", "PO_NUMBER", "Montant", *RESULT_COLUMNS]
    assert [c.value for c in ws[2]][:4] == ["Café", "PO111111", "0012", "COMPLETED"]  # text kept as read
    assert ws["C3"].value == "=1+1" and ws["C3"].data_type == "s"
    assert ws["D3"].value == "INVALID"
    assert "6 digits" in ws["K3"].value
    assert all(ws.cell(row=1, column=c).font.bold for c in range(1, 13))
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(3 + len(RESULT_COLUMNS))}3"


def test_summary_sheet_name_does_not_clobber_users_summary(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "PO_Data"
    ws.append(["PO_NUMBER"])
    ws.append(["PO111111"])
    workbook.create_sheet("Summary")["A1"] = "the user's own summary"
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    first = write_report(read_input(path), {}, tmp_path / "a" / REPORT_NAME, summary())
    wb = openpyxl.load_workbook(first)
    assert wb.sheetnames == ["PO_Data", "Summary", "Summary (CoupaDownloads)", "Lines"]
    assert wb["Summary"]["A1"].value == "the user's own summary"
    # Feeding that report back in replaces our summary instead of piling up new ones.
    second = write_report(read_input(first), {}, tmp_path / "b" / REPORT_NAME, summary())
    assert openpyxl.load_workbook(second).sheetnames == ["PO_Data", "Summary", "Summary (CoupaDownloads)", "Lines"]


def test_previous_report_as_input_replaces_its_summary(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("PO_NUMBER\nPO111111\n", encoding="utf-8")
    first = write_report(read_input(path), {}, tmp_path / "a" / REPORT_NAME, summary())
    second = write_report(read_input(first), {}, tmp_path / "b" / REPORT_NAME, summary())
    wb = openpyxl.load_workbook(second)
    assert wb.sheetnames == ["PO_Data", "Summary", "Lines"]
    assert headers(wb["PO_Data"]) == ["PO_NUMBER", *RESULT_COLUMNS]


def test_atomic_write_leaves_no_temp_file_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("PO_NUMBER\nPO111111\n", encoding="utf-8")
    sheet = read_input(path)
    target = tmp_path / "run" / REPORT_NAME
    target.parent.mkdir()
    target.write_bytes(b"old report")
    write_report(sheet, {"111111": result("111111", PoStatus.FAILED)}, target, summary())
    assert sorted(p.name for p in target.parent.iterdir()) == [REPORT_NAME]
    assert openpyxl.load_workbook(target)["PO_Data"]["B2"].value == "FAILED"


def test_failed_save_keeps_old_report_and_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "in.csv"
    path.write_text("PO_NUMBER\nPO111111\n", encoding="utf-8")
    sheet = read_input(path)
    target = tmp_path / "run" / REPORT_NAME
    target.parent.mkdir()
    target.write_bytes(b"old report")

    def boom(self: Any, target: BinaryIO) -> None:
        target.write(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_report(sheet, {}, target, summary())
    assert sorted(p.name for p in target.parent.iterdir()) == [REPORT_NAME]
    assert target.read_bytes() == b"old report"


def test_locked_report_is_written_under_another_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "in.csv"
    path.write_text("PO_NUMBER\nPO111111\n", encoding="utf-8")
    target = tmp_path / REPORT_NAME
    real_replace = atomic.os.replace

    def replace(src: str, dst: Path) -> None:
        if Path(dst) == target:
            raise PermissionError(13, "open in Excel")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    out = write_report(read_input(path), {}, target, summary())
    assert out != target and out.name.startswith("CoupaDownloads_Report_") and out.suffix == ".xlsx"
    assert openpyxl.load_workbook(out).sheetnames == ["PO_Data", "Summary", "Lines"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.csv", out.name])


def test_report_never_overwrites_the_input(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["PO_NUMBER"])
    workbook.save(path)
    before = digest(path)
    with pytest.raises(InputError, match="over the input file"):
        write_report(read_input(path), {}, path, summary())
    assert digest(path) == before


def test_report_is_built_from_the_input_as_read_at_start(styled_input: Path, tmp_path: Path) -> None:
    sheet = read_input(styled_input)
    styled_input.unlink()  # gone (or changed) during the run: the report still has every input row
    written = write_report(sheet, {"111111": result("111111", PoStatus.COMPLETED)}, tmp_path / REPORT_NAME, summary())
    ws = openpyxl.load_workbook(written)["PO_Data"]
    assert [ws.cell(row=r, column=1).value for r in range(2, 7)] == [
        "PO111111",
        "N/A",
        "po 111111",
        "PO222222",
        "PO333333",
    ]
    assert column_values(ws, "STATUS")[2] == "COMPLETED"


def test_csv_report_is_built_from_the_records_as_read_at_start(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("PO_NUMBER;Note\nPO111111;é\n", encoding="cp1252")
    sheet = read_input(source)
    source.write_text("something else entirely\n", encoding="utf-8")
    written = write_report(sheet, {"111111": result("111111", PoStatus.COMPLETED)}, tmp_path / REPORT_NAME, summary())
    ws = openpyxl.load_workbook(written)["PO_Data"]
    assert headers(ws)[:3] == ["PO_NUMBER", "Note", "STATUS"]
    assert [ws.cell(row=2, column=c).value for c in (1, 2, 3)] == ["PO111111", "é", "COMPLETED"]

"""Reading the PO spreadsheet: every input form a user may hand us, and every way it can be unusable."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core.errors import InputError
from core.models import PoTask
from core.workbook.input_file import list_sheets
from core.workbook.spreadsheet import (
    RowState,
    list_columns,
    parse_po_number,
    read_input,
)


def make_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(row)
    workbook.save(path)
    return path


def make_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- PO values ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PO16928033", ("16928033", "PO16928033")),
        ("PM16928033", ("16928033", "PM16928033")),
        ("pm16928033", ("16928033", "PM16928033")),
        ("16928033", ("16928033", "PO16928033")),
        (" po 16928033 ", ("16928033", "PO16928033")),
        ("PO-16928033", ("16928033", "PO16928033")),
        ("PO#16928033", ("16928033", "PO16928033")),
        ("PO_16928033", ("16928033", "PO16928033")),
        (16928033, ("16928033", "PO16928033")),
        (16928033.0, ("16928033", "PO16928033")),
        ("123456", ("123456", "PO123456")),
    ],
)
def test_parse_po_number_accepts_every_written_form(raw: object, expected: tuple[str, str]) -> None:
    assert parse_po_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("N/A", "no digits"),
        ("12345", "at least 6 digits"),
        ("PO12345", "at least 6 digits"),
        ("PX123456", "only PO and PM"),
        ("PO 12 34 56", "not a PO number"),
        (1234.5, "decimal"),
        (-123456, "negative"),
        ("PO１６９２８００８", "other than 0-9"),
        ("１６９２８００８", "other than 0-9"),
        ("PO16928\u0663\u0664\u0665", "other than 0-9"),  # Arabic-Indic digits
        (2.0**53 + 2, "too large for Excel"),
        (1.2345678901234567e19, "too large for Excel"),
    ],
)
def test_parse_po_number_rejects_with_a_reason(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_po_number(raw)


# --- xlsx sheets ------------------------------------------------------------------------------------------------


def test_po_data_sheet_is_preferred_even_when_not_first(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "in.xlsx",
        {"Notes": [["PO_NUMBER"], ["PO111111"]], "PO_Data": [["PO_NUMBER"], ["PO222222"]]},
    )
    sheet = read_input(path)
    assert sheet.sheet_name == "PO_Data"
    assert sheet.sheet_names == ["Notes", "PO_Data"]
    assert [t.po_key for t in sheet.tasks()] == ["222222"]
    assert list_sheets(path) == ["Notes", "PO_Data"]


def test_first_sheet_is_used_without_po_data(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "in.xlsx", {"Orders": [["PO_NUMBER"], ["PO111111"]], "Other": [["X"], ["y"]]})
    sheet = read_input(path)
    assert sheet.sheet_name == "Orders"
    assert [t.po_key for t in sheet.tasks()] == ["111111"]


def test_explicit_sheet_and_missing_sheet(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "in.xlsx",
        {"PO_Data": [["PO_NUMBER"], ["PO111111"]], "Second": [["PO_NUMBER"], ["PO333333"]]},
    )
    assert [t.po_key for t in read_input(path, sheet="Second").tasks()] == ["333333"]
    with pytest.raises(InputError, match=r"Sheet 'Nope' was not found.*PO_Data, Second"):
        read_input(path, sheet="Nope")


def test_header_is_first_non_empty_row_and_numbers_are_read(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "in.xlsx",
        {"PO_Data": [[None, None], [None, None], ["PO_NUMBER", "Amount"], [16928033, 5], [16928034.0, 6]]},
    )
    sheet = read_input(path)
    assert sheet.header_row == 3
    assert sheet.headers == ["PO_NUMBER", "Amount"]
    assert [(r.row_number, r.raw_po, r.po_key, r.folder_name) for r in sheet.rows] == [
        (4, "16928033", "16928033", "PO16928033"),
        (5, "16928034", "16928034", "PO16928034"),
    ]


# --- csv ----------------------------------------------------------------------------------------------------------


def test_csv_utf8_without_bom(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "in.csv", "PO_NUMBER,Supplier\nPO111111,Café Ltd\n")
    sheet = read_input(path)
    assert (sheet.csv_encoding, sheet.csv_delimiter, sheet.sheet_name) == ("utf-8", ",", None)
    assert sheet.rows[0].row_number == 2
    assert list_sheets(path) == []
    assert list_columns(path) == ["PO_NUMBER", "Supplier"]


def test_csv_utf8_with_bom_keeps_header_clean(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "in.csv", "PO_NUMBER,Supplier\r\nPO111111,Café\r\n", "utf-8-sig")
    sheet = read_input(path)
    assert sheet.csv_encoding == "utf-8-sig"
    assert sheet.headers[0] == "PO_NUMBER"
    assert sheet.po_column == "PO_NUMBER"


def test_csv_cp1252_with_accents_and_semicolons(tmp_path: Path) -> None:
    path = make_csv(
        tmp_path / "in.csv", "Numéro;PO_NUMBER;<|>;Région\nx;PO111111;;Île-de-France\ny;PO222222;;Zürich\n", "cp1252"
    )
    sheet = read_input(path)
    assert sheet.csv_encoding == "cp1252"
    assert sheet.csv_delimiter == ";"
    assert sheet.headers == ["Numéro", "PO_NUMBER", "<|>", "Région"]
    assert [t.levels for t in sheet.tasks()] == [("Île-de-France",), ("Zürich",)]


def test_csv_semicolon_with_quoted_commas(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "in.csv", 'PO;Note\nPO111111;"a, b, c"\n')
    sheet = read_input(path)
    assert sheet.csv_delimiter == ";"
    assert sheet.tasks()[0].po_key == "111111"


def test_csv_latin1_fallback(tmp_path: Path) -> None:
    # 0x81 is undefined in cp1252, so only latin-1 can decode this file.
    path = tmp_path / "in.csv"
    path.write_bytes(b"PO_NUMBER,Note\nPO111111,\x81\xe9\n")
    sheet = read_input(path)
    assert sheet.csv_encoding == "latin-1"
    assert sheet.counts()["valid"] == 1


# --- columns -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["PO_NUMBER", "po number", " Po_Number ", "PO", "PO Number", "Purchase Order", "order_number"]
)
def test_po_column_aliases_and_tolerant_match(tmp_path: Path, header: str) -> None:
    path = make_csv(tmp_path / "in.csv", f"Other,{header}\nx,PO111111\n")
    sheet = read_input(path)
    assert sheet.po_column == header.strip()
    assert [t.po_key for t in sheet.tasks()] == ["111111"]


def test_po_number_is_preferred_over_aliases(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "in.csv", "PO,PO_NUMBER\nPO999999,PO111111\n")
    assert read_input(path).tasks()[0].po_key == "111111"


def test_explicit_po_column_is_matched_tolerantly(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "in.csv", "PO_NUMBER,Legacy Ref\nPO111111,PO222222\n")
    sheet = read_input(path, po_column="legacy_ref")
    assert sheet.po_column == "Legacy Ref"
    assert [t.po_key for t in sheet.tasks()] == ["222222"]


def test_missing_po_column_lists_the_columns_that_exist(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "in.csv", "Supplier,Amount\nAcme,5\n")
    with pytest.raises(InputError, match=r"'Supplier', 'Amount'"):
        read_input(path)
    with pytest.raises(InputError, match=r"no PO column 'Order Ref'.*'Supplier', 'Amount'"):
        read_input(path, po_column="Order Ref")


# --- row classification --------------------------------------------------------------------------------------


def test_rows_are_classified_valid_invalid_duplicate_empty(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "in.xlsx",
        {
            "PO_Data": [
                ["PO_NUMBER", "Note"],
                ["PO111111", "a"],  # 2
                ["N/A", "b"],  # 3
                [" po 111111 ", "c"],  # 4 duplicate of 2
                [None, "no po"],  # 5
                [None, None],  # 6
                ["12345", "d"],  # 7
                ["PX123456", "e"],  # 8
                ["PO 12 34 56", "f"],  # 9
                ["PM222222", "g"],  # 10
                ["222222", "h"],  # 11 duplicate of 10
            ]
        },
    )
    sheet = read_input(path)
    states = {r.row_number: r.state for r in sheet.rows}
    assert states == {
        2: RowState.VALID,
        3: RowState.INVALID,
        4: RowState.DUPLICATE,
        5: RowState.EMPTY,
        6: RowState.EMPTY,
        7: RowState.INVALID,
        8: RowState.INVALID,
        9: RowState.INVALID,
        10: RowState.VALID,
        11: RowState.DUPLICATE,
    }
    by_row = {r.row_number: r for r in sheet.rows}
    assert by_row[4].message == "duplicate of row 2"
    assert by_row[3].po_key is None and "no digits" in by_row[3].message
    assert "6 digits" in by_row[7].message
    assert sheet.tasks() == [
        PoTask("111111", "PO111111", (), (2, 4)),
        PoTask("222222", "PM222222", (), (10, 11)),
    ]
    assert sheet.counts() == {"valid": 2, "invalid": 4, "duplicate": 2, "completed": 0, "empty": 2, "total": 10}


def test_trailing_blank_rows_are_dropped(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "in.csv", "PO_NUMBER\nPO111111\n\n,\n\n")
    assert read_input(path).counts()["total"] == 1


def test_completed_rows_are_skipped_unless_redo(tmp_path: Path) -> None:
    path = make_csv(
        tmp_path / "in.csv", "PO_NUMBER,status\nPO111111,COMPLETED\nPO222222,FAILED\nPO333333, completed \n"
    )
    sheet = read_input(path)
    assert [r.state for r in sheet.rows] == [RowState.COMPLETED, RowState.VALID, RowState.COMPLETED]
    assert sheet.rows[0].message == "already COMPLETED"
    assert [t.po_key for t in sheet.tasks()] == ["222222"]
    redo = read_input(path, redo_completed=True)
    assert [t.po_key for t in redo.tasks()] == ["111111", "222222", "333333"]


def test_hierarchy_columns_right_of_separator(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "in.xlsx",
        {
            "PO_Data": [
                ["PO_NUMBER", "Supplier", "<|>", "Region", "Year", "STATUS"],
                ["PO111111", "Acme", None, "EMEA", 2024, None],
                ["PO222222", "Beta", None, None, " 2025 ", None],
            ]
        },
    )
    sheet = read_input(path)
    # STATUS is a report column (a previous report fed back in), never a folder level.
    assert sheet.hierarchy_columns == ["Region", "Year"]
    assert [t.levels for t in sheet.tasks()] == [("EMEA", "2024"), ("", "2025")]


def test_no_separator_means_no_levels(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "in.csv", "PO_NUMBER,Region\nPO111111,EMEA\n")
    sheet = read_input(path)
    assert sheet.hierarchy_columns == []
    assert sheet.tasks()[0].levels == ()


# --- unusable files -----------------------------------------------------------------------------------------------


def test_unusable_files_raise_input_error(tmp_path: Path) -> None:
    pdf = tmp_path / "renamed.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%binary\n")
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    empty_csv = tmp_path / "empty.csv"
    empty_csv.write_bytes(b"")
    blank_csv = tmp_path / "blank.csv"
    blank_csv.write_bytes(b"\n ,, \n")
    binary_csv = tmp_path / "bin.csv"
    binary_csv.write_bytes(b"PO\x00\x01\x02")
    empty_xlsx = make_xlsx(tmp_path / "empty.xlsx", {"PO_Data": []})
    other = tmp_path / "list.pdf"
    other.write_bytes(b"%PDF")
    cases = {
        pdf: "not a valid Excel workbook",
        xls: "save it as .xlsx",
        empty_csv: "is empty",
        blank_csv: "is empty",
        binary_csv: "not a text CSV",
        empty_xlsx: "is empty",
        other: "unsupported file type",
        tmp_path / "missing.xlsx": "does not exist",
        tmp_path: "is a folder",
    }
    for path, message in cases.items():
        with pytest.raises(InputError, match=message):
            read_input(path)


def test_damaged_zip_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(InputError, match="could not be opened as an Excel workbook"):
        read_input(path)


def test_locked_file_is_read_through_a_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_csv(tmp_path / "in.csv", "PO_NUMBER\nPO111111\n")
    original = Path.read_bytes

    def locked(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "locked by Excel")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", locked)
    assert [t.po_key for t in read_input(path).tasks()] == ["111111"]


def test_unreadable_file_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_csv(tmp_path / "in.csv", "PO_NUMBER\nPO111111\n")

    def locked(self: Path) -> bytes:
        raise PermissionError(13, "denied")

    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(InputError, match="Close it in Excel"):
        read_input(path)


def test_reading_never_changes_the_input(tmp_path: Path) -> None:
    xlsx = make_xlsx(tmp_path / "in.xlsx", {"PO_Data": [["PO_NUMBER"], ["PO111111"]]})
    csv_path = make_csv(tmp_path / "in.csv", "PO_NUMBER\r\nPO111111\r\n", "utf-8-sig")
    before = {p: (digest(p), p.stat().st_mtime_ns) for p in (xlsx, csv_path)}
    for p in (xlsx, csv_path):
        read_input(p)
        list_columns(p)
        list_sheets(p)
    assert {p: (digest(p), p.stat().st_mtime_ns) for p in (xlsx, csv_path)} == before


def test_wrong_stored_dimension_does_not_hide_rows(tmp_path: Path) -> None:
    good = make_xlsx(tmp_path / "good.xlsx", {"PO_Data": [["PO_NUMBER", "Note"], ["PO111111", "a"], ["PO222222", "b"]]})
    bad = tmp_path / "bad.xlsx"
    # Some exporters write a <dimension> that covers only A1; the rows below must still be read.
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
                assert b'<dimension ref="A1"' in data
            target.writestr(item, data)
    sheet = read_input(bad)
    assert [t.po_key for t in sheet.tasks()] == ["111111", "222222"]
    assert sheet.headers == ["PO_NUMBER", "Note"]


def test_full_width_digits_and_huge_excel_numbers_are_invalid_rows_not_changed_pos(tmp_path: Path) -> None:
    rows: list[list[object]] = [["PO_NUMBER"], ["PO１６９２８００８"], [1.2345678901234567e19], [2**53 + 2], [2.0**53]]
    path = make_xlsx(tmp_path / "in.xlsx", {"PO_Data": [*rows, ["PO16928008"]]})
    sheet = read_input(path)
    states = [(row.state.value, row.message) for row in sheet.rows]
    assert states[0][0] == "INVALID" and "0-9" in states[0][1]
    assert states[1][0] == "INVALID" and "too large" in states[1][1]
    assert states[2][0] == "INVALID" and "too large" in states[2][1]
    assert states[3][0] == "VALID"  # 2**53 itself is still exact
    assert [t.po_key for t in sheet.tasks()] == [str(2**53), "16928008"]

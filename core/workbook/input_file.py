"""The input file, read once: its bytes (even while Excel holds it open), its kind, a workbook's sheets, and the
records of one sheet or of a CSV file (encoding and delimiter sniffed). What the records mean (POs, rows, levels)
is `core.workbook.spreadsheet`'s business.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from core.errors import InputError

log = logging.getLogger(__name__)

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
DEFAULT_SHEET = "PO_Data"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other Office 97-2003 files)


@dataclass(frozen=True)
class SheetRecords:
    """One sheet of the input as read at the start of a run."""

    data: bytes  # the file's bytes: the report is built from them, whatever happens to the file later
    sheet_name: str | None  # None for csv
    sheet_names: list[str]
    records: list[list[object]]  # every record, blank ones included, so index + 1 is the sheet row / record number
    csv_encoding: str | None = None
    csv_delimiter: str | None = None


def read_sheet(path: Path, sheet: str | None) -> SheetRecords:
    """The chosen (or default) sheet of a workbook, or the records of a CSV file; InputError when unreadable."""
    path = Path(path)
    data = read_input_bytes(path)
    if _file_kind(path, data) == "xlsx":
        chosen, names, records = _xlsx_records(path, data, sheet)
        return SheetRecords(data, chosen, names, records)
    encoding = detect_encoding(data)
    delimiter = detect_delimiter(data.decode(encoding))
    try:
        rows: list[list[object]] = [list(r) for r in csv_records(data, encoding, delimiter)]
    except csv.Error as exc:
        raise InputError(f"{path.name} is not a readable CSV file: {exc}.") from exc
    return SheetRecords(data, None, [], rows, encoding, delimiter)


def list_sheets(path: Path) -> list[str]:
    """Worksheet names of a workbook ([] for csv)."""
    path = Path(path)
    data = read_input_bytes(path)
    if _file_kind(path, data) != "xlsx":
        return []
    workbook = _open_workbook(path, data, read_only=True)
    try:
        return _worksheet_names(workbook)
    finally:
        workbook.close()


def normalize_header(name: object) -> str:
    """Header identity for tolerant matching: case, spaces, underscores and hyphens do not count."""
    return re.sub(r"[\s_\-]+", "", str(name or "")).casefold()


def find_column(headers: Sequence[str], *names: str) -> int | None:
    """Index of the first header matching any of `names` (tried in order), tolerantly; None if absent."""
    normalized = [normalize_header(h) for h in headers]
    for name in names:
        wanted = normalize_header(name)
        if wanted and wanted in normalized:
            return normalized.index(wanted)
    return None


def cell_text(value: object) -> str:
    """A cell's value as the user sees it: integral floats without '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def is_empty(values: Iterable[object]) -> bool:
    return all(cell_text(v).strip() == "" for v in values)


def read_input_bytes(path: Path) -> bytes:
    """The file's bytes, read even when another program (Excel) holds it open; InputError when impossible."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"The input file {path} does not exist.")
    if path.is_dir():
        raise InputError(f"{path} is a folder; choose a .xlsx or .csv file.")
    try:
        return path.read_bytes()
    except PermissionError:
        log.info("input %s is locked; reading a copy", path)
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    # Excel on Windows may refuse a plain open; copying through the OS copy routine often still works.
    try:
        with tempfile.TemporaryDirectory(prefix="coupadownloads-input-") as tmp:
            copy = Path(tmp) / path.name
            shutil.copyfile(path, copy)
            return copy.read_bytes()
    except OSError as exc:
        raise InputError(
            f"Cannot read {path}: another program is holding it or you lack permission. "
            "Close it in Excel (or copy it elsewhere) and try again."
        ) from exc


def _file_kind(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if not data.strip():
        raise InputError(f"{path.name} is empty.")
    if suffix == ".xls" or data.startswith(_OLE_MAGIC):
        raise InputError(
            f"{path.name} is an old Excel 97-2003 (.xls) file or is protected with a password. "
            "Open it in Excel and save it as .xlsx (Excel Workbook) without a password."
        )
    if suffix in XLSX_SUFFIXES:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise InputError(f"{path.name} is not a valid Excel workbook (the file is damaged or of another type).")
        return "xlsx"
    if suffix in CSV_SUFFIXES:
        if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError(f"{path.name} is not a text CSV file (it contains binary data).")
        return "csv"
    raise InputError(f"{path.name}: unsupported file type '{path.suffix}'. Use an .xlsx or .csv file.")


def _open_workbook(path: Path, data: bytes, *, read_only: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=read_only, data_only=read_only)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, BadZipFile, XML errors) for broken files
        raise InputError(f"{path.name} could not be opened as an Excel workbook: {exc}.") from exc


def _worksheet_names(workbook: Any) -> list[str]:
    return [str(ws.title) for ws in workbook.worksheets]


def _choose_sheet(path: Path, names: list[str], sheet: str | None) -> str:
    if not names:
        raise InputError(f"{path.name} has no worksheets.")
    if sheet is None:
        for name in names:
            if name == DEFAULT_SHEET:
                return name
        tolerant = [n for n in names if normalize_header(n) == normalize_header(DEFAULT_SHEET)]
        return tolerant[0] if tolerant else names[0]
    if sheet in names:
        return sheet
    tolerant = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
    if tolerant:
        return tolerant[0]
    raise InputError(f"Sheet '{sheet}' was not found in {path.name}. Sheets: {', '.join(names)}.")


def _xlsx_records(path: Path, data: bytes, sheet: str | None) -> tuple[str, list[str], list[list[object]]]:
    workbook = _open_workbook(path, data, read_only=True)
    try:
        names = _worksheet_names(workbook)
        chosen = _choose_sheet(path, names, sheet)
        ws = workbook[chosen]
        # Some writers store a wrong <dimension>; forgetting it makes openpyxl read every row that is really there.
        ws.reset_dimensions()
        records = [list(row) for row in ws.iter_rows(values_only=True)]
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path.name} could not be read: {exc}.") from exc
    finally:
        workbook.close()
    return chosen, names, records


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with/without BOM), UTF-16 with BOM, else cp1252, else latin-1 (which decodes anything)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def detect_delimiter(text: str) -> str:
    """`;` or `,`: whichever appears more often outside quotes on the first non-empty line (the header)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    return ";" if unquoted.count(";") > unquoted.count(",") else ","


def csv_records(data: bytes, encoding: str, delimiter: str) -> list[list[str]]:
    """Every CSV record (blank lines included as []), so index + 1 is the record number."""
    text = data.decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))

"""Read the user's PO spreadsheet (.xlsx/.xlsm/.csv) into rows and unique PO tasks: PO numbers normalised, every row
classified (valid, duplicate, invalid, already completed, empty), folder levels taken from the hierarchy columns.

The input file is never modified and never held open: `core.workbook.input_file` reads its bytes once and the sheet
keeps what was read (`InputSheet.content`), so the report is built from it without reading the file again.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path

from core.errors import InputError
from core.models import PoTask
from core.workbook.input_file import SheetRecords, cell_text, find_column, is_empty, normalize_header, read_sheet

log = logging.getLogger(__name__)

DEFAULT_PO_COLUMN = "PO_NUMBER"
PO_COLUMN_ALIASES = ("PO_NUMBER", "PO", "PO Number", "Purchase Order", "Order Number")
STATUS_COLUMN = "STATUS"
HIERARCHY_SEPARATOR = "<|>"
MIN_PO_DIGITS = 6
# Columns the report adds (and the older tool's names for two of them). They are never hierarchy levels, so a
# previous report can be fed back in as input.
RESULT_COLUMN_NAMES = (
    "STATUS",
    "SUPPLIER",
    "ATTACHMENTS_FOUND",
    "ATTACHMENTS_DOWNLOADED",
    "ATTACHMENT_NAMES",
    "SOURCE_URL",
    "DOWNLOAD_FOLDER",
    "ERROR_MESSAGE",
    "LAST_PROCESSED",
    "PO_STATUS",
    "ORDER_DATE",
    "REQUESTER",
    "REQUISITION_NUMBER",
    "PAYMENT_TERM",
    "PO_TOTAL",
    "CURRENCY",
    "ATTACHMENT_COUNT_CHECK",
)
LEGACY_COLUMN_NAMES = {"ATTACHMENT_NAMES": ("AttachmentName",), "SOURCE_URL": ("COUPA_URL",)}

# Only the digits 0-9 make a PO number (`\d` would also take full-width and other scripts' digits).
_PO_RE = re.compile(r"^(?:(P[OM])[\s\-#_]*)?([0-9]+)(?:\.0+)?$", re.IGNORECASE)
# Excel keeps numbers as doubles: above 2**53 not every whole number exists, so the digits may already have changed
# (whether the file stores the cell as 1.7E+16 or as digits).
MAX_EXACT_FLOAT = 2.0**53
_OTHER_PREFIX_RE = re.compile(r"^([A-Za-z]+)[\s\-#_]*\d+$")


class RowState(StrEnum):
    VALID = "VALID"
    INVALID = "INVALID"
    DUPLICATE = "DUPLICATE"
    COMPLETED = "COMPLETED"
    EMPTY = "EMPTY"


@dataclass(frozen=True)
class InputRow:
    row_number: int  # 1-based sheet row (xlsx) / record number (csv, header record = 1)
    raw_po: str  # the cell as written ('' for empty)
    po_key: str | None  # digits; None when invalid/empty
    folder_name: str | None  # "PO16928033" / "PM16928033"
    levels: tuple[str, ...]  # hierarchy values right of `<|>`; '' kept as ''
    state: RowState
    message: str  # why invalid / "duplicate of row 5" / "already COMPLETED"


@dataclass
class InputSheet:
    path: Path
    sheet_name: str | None  # None for csv
    sheet_names: list[str]
    headers: list[str]
    po_column: str
    hierarchy_columns: list[str]
    rows: list[InputRow]
    csv_encoding: str | None
    csv_delimiter: str | None
    header_row: int  # sheet row (xlsx) / record number (csv) of the header
    # The file as read at start (its bytes and the sheet's records): the report is built from this, not read again.
    content: SheetRecords
    source: Path | None = None  # the user's file, when `path` is the run's snapshot of it

    @property
    def shown_path(self) -> Path:
        """The file the user chose (for messages and the Summary), even when the run reads its snapshot."""
        return self.source or self.path

    def tasks(self) -> list[PoTask]:
        """Unique VALID POs in input order; each lists every row (valid or duplicate) naming it."""
        first: dict[str, InputRow] = {}
        row_numbers: dict[str, list[int]] = {}
        for row in self.rows:
            if row.po_key is None or row.state not in (RowState.VALID, RowState.DUPLICATE):
                continue
            if row.state is RowState.VALID:
                first.setdefault(row.po_key, row)
            row_numbers.setdefault(row.po_key, []).append(row.row_number)
        return [
            PoTask(
                po_key=key,
                folder_name=row.folder_name or f"PO{key}",
                levels=row.levels,
                row_numbers=tuple(row_numbers[key]),
            )
            for key, row in first.items()
        ]

    def counts(self) -> dict[str, int]:
        result = {state.value.lower(): 0 for state in RowState}
        for row in self.rows:
            result[row.state.value.lower()] += 1
        result["total"] = len(self.rows)
        return result


def parse_po_number(raw: object) -> tuple[str, str]:
    """(po_key digits, folder_name) for a PO cell; ValueError with a user-facing reason when it is not a PO."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError(f"'{cell_text(raw)}' is not a PO number")
    if isinstance(raw, datetime | date | time):
        raise ValueError(f"'{cell_text(raw)}' is a date, not a PO number (format the column as text)")
    if isinstance(raw, float) and not raw.is_integer():
        raise ValueError(f"'{raw}' is a decimal number, not a PO number")
    if isinstance(raw, int | float) and raw < 0:
        raise ValueError(f"'{cell_text(raw)}' is negative, not a PO number")
    if isinstance(raw, int | float) and raw > MAX_EXACT_FLOAT:
        raise ValueError(
            f"'{cell_text(raw)}' is a number too large for Excel to keep exactly (its last digits may have changed); "
            "format the PO column as text and type the PO number again"
        )
    text = cell_text(raw).strip()
    if not text:
        raise ValueError("the PO cell is empty")
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        raise ValueError(f"'{text}' has digits other than 0-9 (full-width or another script); type it with 0-9")
    match = _PO_RE.match(text)
    if match is None:
        other = _OTHER_PREFIX_RE.match(text)
        if other is not None:
            raise ValueError(f"'{text}' has the prefix '{other.group(1)}'; only PO and PM are recognised")
        if not any(ch.isdigit() for ch in text):
            raise ValueError(f"'{text}' has no digits; expected a PO number such as PO16928033")
        raise ValueError(f"'{text}' is not a PO number; expected PO or PM followed by digits, e.g. PO16928033")
    prefix, digits = match.group(1), match.group(2)
    if len(digits) < MIN_PO_DIGITS:
        raise ValueError(f"'{text}' is too short: a PO number has at least {MIN_PO_DIGITS} digits")
    return digits, f"{(prefix or 'PO').upper()}{digits}"


def _header_index(records: list[list[object]]) -> int:
    for index, record in enumerate(records):
        if not is_empty(record):
            return index
    raise InputError("The sheet has no header row (it is empty).")


def list_columns(path: Path, sheet: str | None = None) -> list[str]:
    """Non-empty header names of the chosen (or default) sheet, for a column picker."""
    records = read_sheet(path, sheet).records
    if is_empty(v for r in records for v in r):
        raise InputError(f"{Path(path).name} is empty.")
    header = records[_header_index(records)]
    return [text for text in (cell_text(v).strip() for v in header) if text]


def _find_po_column(path: Path, headers: list[str], po_column: str | None) -> int:
    names = (po_column,) if po_column else PO_COLUMN_ALIASES
    index = find_column(headers, *names)
    if index is None:
        existing = ", ".join(f"'{h}'" for h in headers if h) or "(none)"
        wanted = f"'{po_column}'" if po_column else f"'{DEFAULT_PO_COLUMN}' (or PO, PO Number, Purchase Order, ...)"
        raise InputError(f"{path.name} has no PO column {wanted}. Columns found: {existing}.")
    return index


def _hierarchy_indexes(headers: list[str]) -> list[int]:
    try:
        separator = [h.strip() for h in headers].index(HIERARCHY_SEPARATOR)
    except ValueError:
        return []
    report_columns = {normalize_header(n) for n in RESULT_COLUMN_NAMES}
    report_columns |= {normalize_header(n) for names in LEGACY_COLUMN_NAMES.values() for n in names}
    return [
        i
        for i in range(separator + 1, len(headers))
        if headers[i].strip() and normalize_header(headers[i]) not in report_columns
    ]


def _value(record: list[object], index: int | None) -> object:
    if index is None or index >= len(record):
        return None
    return record[index]


def read_input(
    path: Path, *, sheet: str | None = None, po_column: str | None = None, redo_completed: bool = False
) -> InputSheet:
    """Read the spreadsheet and classify every row; raises InputError with an actionable message."""
    path = Path(path)
    content = read_sheet(path, sheet)
    chosen, records = content.sheet_name, content.records
    if is_empty(v for r in records for v in r):
        where = f"sheet '{chosen}' of {path.name}" if chosen else path.name
        raise InputError(f"{where} is empty: it needs a header row with a PO_NUMBER column and one PO per row.")
    header_index = _header_index(records)
    headers = [cell_text(v).strip() for v in records[header_index]]
    po_index = _find_po_column(path, headers, po_column)
    status_index = find_column(headers, STATUS_COLUMN)
    level_indexes = _hierarchy_indexes(headers)

    # Trailing blank rows (formatting left down to row 10000, say) are noise, not input.
    last = len(records)
    while last > header_index + 1 and is_empty(records[last - 1]):
        last -= 1

    rows: list[InputRow] = []
    first_row_of: dict[str, int] = {}
    for index in range(header_index + 1, last):
        record = records[index]
        row_number = index + 1
        raw = _value(record, po_index)
        raw_text = cell_text(raw)
        levels = tuple(cell_text(_value(record, i)).strip() for i in level_indexes)
        po_key: str | None = None
        folder_name: str | None = None
        if not raw_text.strip():
            state, message = RowState.EMPTY, "empty row" if is_empty(record) else "no PO number"
        else:
            try:
                po_key, folder_name = parse_po_number(raw)
                parse_error = ""
            except ValueError as exc:
                parse_error = str(exc)
            if not redo_completed and cell_text(_value(record, status_index)).strip().upper() == "COMPLETED":
                state, message = RowState.COMPLETED, "already COMPLETED"
            elif po_key is None:
                state, message = RowState.INVALID, parse_error
            elif po_key in first_row_of:
                state, message = RowState.DUPLICATE, f"duplicate of row {first_row_of[po_key]}"
            else:
                first_row_of[po_key] = row_number
                state, message = RowState.VALID, ""
        rows.append(InputRow(row_number, raw_text, po_key, folder_name, levels, state, message))

    log.info("read %s (%s): %d rows", path.name, chosen or "csv", len(rows))
    return InputSheet(
        path=path,
        sheet_name=chosen,
        sheet_names=content.sheet_names,
        headers=headers,
        po_column=headers[po_index],
        hierarchy_columns=[headers[i] for i in level_indexes],
        rows=rows,
        csv_encoding=content.csv_encoding,
        csv_delimiter=content.csv_delimiter,
        header_row=header_index + 1,
        content=content,
    )

"""The top of the window: the drop zone and the file row (sheet, PO column, counts, invalid rows), read off-thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import InputError
from core.workbook.input_file import list_sheets
from core.workbook.spreadsheet import InputSheet, RowState, list_columns, read_input
from gui.jobs import JobPool
from gui.settings import GuiSettings
from gui.widgets import DropZone, keep_place


@dataclass
class LoadedInput:
    sheet: InputSheet
    sheets: list[str]
    columns: list[str]


@dataclass
class ColumnsOnly:
    """A file whose PO column was not recognised: its columns, so the person can pick the right one."""

    sheets: list[str]
    columns: list[str]
    message: str


def load_input(path: Path, sheet: str | None, po_column: str | None, redo_completed: bool) -> LoadedInput | ColumnsOnly:
    """Everything the file row shows, read in one go (called on a background thread)."""
    sheets = list_sheets(path)
    columns = list_columns(path, sheet)
    if po_column not in columns:
        po_column = None  # a remembered choice this file (or sheet) no longer has: recognise the column again
    try:
        data = read_input(path, sheet=sheet, po_column=po_column, redo_completed=redo_completed)
    except InputError as exc:
        if po_column is not None or not any(columns):
            raise
        return ColumnsOnly(sheets, columns, f"{exc} Choose the PO column above.")
    return LoadedInput(data, sheets, columns)


def column_key(path: Path) -> str:
    """The settings key that remembers the PO column chosen for files of this name."""
    return f"po_column/{path.name}"


def counts_text(sheet: InputSheet) -> str:
    counts = sheet.counts()
    pos, duplicates = len(sheet.tasks()), counts["duplicate"]
    pos_text = (
        QCoreApplication.translate("InputArea", "1 PO")
        if pos == 1
        else QCoreApplication.translate("InputArea", "{n} POs").format(n=f"{pos:,}")
    )
    duplicates_text = (
        QCoreApplication.translate("InputArea", "1 duplicate")
        if duplicates == 1
        else QCoreApplication.translate("InputArea", "{n} duplicates").format(n=f"{duplicates:,}")
    )
    text = QCoreApplication.translate(
        "InputArea", "{pos} ({invalid} invalid, {duplicates}, {completed} already completed)"
    )
    return text.format(
        pos=pos_text, invalid=f"{counts['invalid']:,}", duplicates=duplicates_text, completed=f"{counts['completed']:,}"
    )


class InputArea(QWidget):
    """Owns the loaded spreadsheet (`input`, `input_path`); tells the window through signals, never reaches into it."""

    changed = Signal()  # `input` changed: loading started, finished or failed
    message = Signal(str, bool)  # text for the message line (its cause is the input), is_error
    logged = Signal(str)

    def __init__(
        self, jobs: JobPool, settings: GuiSettings, redo_completed: Callable[[], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._settings = settings
        self._redo_completed = redo_completed
        self.input_path: Path | None = None
        self.input: LoadedInput | None = None
        self._load_serial = 0
        self.loading = False
        self.problem = ""  # why the file can't be used as it is ("" when it can, or nothing is loaded)

        self.drop_zone = DropZone()
        self.drop_zone.file_chosen.connect(self.load_file)
        self.drop_zone.browse_requested.connect(self.browse)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheet_combo")
        self.sheet_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sheet_combo.setToolTip(self.tr("The worksheet that holds the POs"))
        self.sheet_combo.activated.connect(lambda _i: self.reload(sheet_changed=True))
        self.column_combo = QComboBox()
        self.column_combo.setObjectName("column_combo")
        self.column_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.column_combo.setToolTip(
            self.tr("The column with the PO numbers (chosen automatically; change it if wrong)")
        )
        self.column_combo.activated.connect(self._column_chosen)
        self.sheet_label = QLabel(self.tr("Shee&t:"))
        self.sheet_label.setBuddy(self.sheet_combo)
        column_label = QLabel(self.tr("P&O column:"))
        column_label.setBuddy(self.column_combo)
        # The counts are shown here only (the drop zone names the file): they follow the sheet and column choice.
        self.counts_label = QLabel("")
        self.counts_label.setObjectName("counts_label")
        self.counts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.invalid_button = QPushButton(self.tr("Show invalid rows…"))
        self.invalid_button.setObjectName("invalid_button")
        self.invalid_button.setToolTip(self.tr("List the rows that are not PO numbers, and why"))
        self.invalid_button.clicked.connect(self.show_invalid_rows)
        self.invalid_button.setEnabled(False)

        # Shown once there is something to pick (empty pickers before any file only look broken).
        self.file_row = QWidget()
        keep_place(self.file_row)  # its room is kept before a file is loaded: the rows below never move
        file_row = QHBoxLayout(self.file_row)
        file_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.sheet_label, self.sheet_combo, column_label, self.column_combo):
            file_row.addWidget(widget)
        file_row.addWidget(self.counts_label, 1)
        file_row.addWidget(self.invalid_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.drop_zone)
        layout.addWidget(self.file_row)
        self._show_file_row()

    def set_locked(self, locked: bool) -> None:
        """While a run is busy the file can't change; the invalid-rows list stays readable."""
        for widget in (self.drop_zone, self.sheet_combo, self.column_combo):
            widget.setEnabled(not locked)

    def _show_file_row(self) -> None:
        self.file_row.setVisible(self.sheet_combo.count() > 0 or self.column_combo.count() > 0)

    def browse(self) -> None:
        start = self._settings.text("last_input_folder", str(Path.home()))
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a PO spreadsheet"), start, self.tr("Spreadsheets (*.xlsx *.xlsm *.csv)")
        )
        if chosen:
            self.load_file(Path(chosen))

    def load_file(self, path: Path) -> None:
        """Read the file in the background; the sheet and column pickers are reset to their defaults."""
        self.input_path = Path(path)
        self.sheet_combo.clear()
        self.column_combo.clear()
        self._show_file_row()
        self._start_load(None, None)

    def reload(self, *, sheet_changed: bool = False) -> None:
        if self.input_path is None:
            return
        sheet = self.sheet_combo.currentText() or None
        column = None if sheet_changed else (self.column_combo.currentText() or None)
        self._start_load(sheet, column)

    def _start_load(self, sheet: str | None, column: str | None) -> None:
        path = self.input_path
        assert path is not None
        self._load_serial += 1
        serial = self._load_serial
        redo = self._redo_completed()
        self.input = None
        self.loading, self.problem = True, ""
        self.drop_zone.set_file(path, self.tr("reading…"))
        self.counts_label.setText("")
        self.invalid_button.setEnabled(False)
        self.message.emit("", False)
        self.changed.emit()
        column = column or self._settings.text(column_key(path)) or None
        self._jobs.run(
            "load",
            lambda _cancelled: load_input(path, sheet, column, redo),
            lambda loaded: self._loaded(serial, loaded),
            lambda message: self._load_failed(serial, message),
        )

    def _column_chosen(self, _index: int) -> None:
        if self.input_path is not None:
            # Remembered per file name: next month's export of the same report opens with the same column.
            self._settings.set(column_key(self.input_path), self.column_combo.currentText())
        self.reload()

    def _fill_pickers(self, sheets: list[str], sheet_name: str, columns: list[str], column: str) -> None:
        self.sheet_combo.clear()
        self.sheet_combo.addItems(sheets)
        if sheet_name:
            self.sheet_combo.setCurrentText(sheet_name)
        is_workbook = bool(sheets)
        self.sheet_combo.setVisible(is_workbook)
        self.sheet_label.setVisible(is_workbook)
        self.column_combo.clear()
        self.column_combo.addItems([name for name in columns if name])
        self.column_combo.setCurrentIndex(self.column_combo.findText(column))  # -1 (blank) when none was recognised
        self._show_file_row()

    def _loaded(self, serial: int, loaded: LoadedInput | ColumnsOnly) -> None:
        if serial != self._load_serial:
            return  # a newer load (another file or sheet) superseded this one
        self.loading = False
        if isinstance(loaded, ColumnsOnly):
            self._fill_pickers(loaded.sheets, self.sheet_combo.currentText(), loaded.columns, "")
            self.drop_zone.set_file(self.input_path, self.tr("choose the PO column"))
            self.problem = self.tr("Choose the spreadsheet's PO column first.")
            self.message.emit(loaded.message, True)
            self.changed.emit()
            return
        self.input = loaded
        sheet = loaded.sheet
        self._fill_pickers(loaded.sheets, sheet.sheet_name or "", loaded.columns, sheet.po_column)
        text = counts_text(sheet)
        self.counts_label.setText(text)
        self.drop_zone.set_file(sheet.path)
        self.invalid_button.setEnabled(sheet.counts()["invalid"] > 0)
        self.logged.emit(self.tr("Loaded {name}: {counts}").format(name=sheet.path.name, counts=text))
        self.changed.emit()

    def _load_failed(self, serial: int, message: str) -> None:
        if serial != self._load_serial:
            return
        self.loading = False
        self.problem = self.tr("The spreadsheet could not be read: see the message above the settings.")
        self.input = None
        self.drop_zone.set_file(self.input_path, self.tr("could not be read"))
        self.message.emit(message, True)
        self.changed.emit()

    def blocker(self) -> str:
        """Why the loaded file can't be run yet ("" when it can)."""
        if self.loading:
            return self.tr("The spreadsheet is being read.")
        if self.problem:
            return self.problem
        if self.input is None:
            return self.tr("Load a PO spreadsheet first: drop it on the window or press Browse…")
        return ""

    def pos_as_written(self) -> dict[str, str]:
        """{po_key: the PO as its first row writes it}, so the results show what the person's file says."""
        written: dict[str, str] = {}
        for row in self.input.sheet.rows if self.input is not None else []:
            if row.po_key:
                written.setdefault(row.po_key, row.raw_po.strip() or row.po_key)
        return written

    def invalid_rows_text(self) -> str:
        if self.input is None:
            return ""
        rows = [r for r in self.input.sheet.rows if r.state is RowState.INVALID]
        line = self.tr("Row {number}: {po} — {why}")
        return "\n".join(line.format(number=r.row_number, po=repr(r.raw_po), why=r.message) for r in rows)

    def show_invalid_rows(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Invalid rows"))
        layout = QVBoxLayout(dialog)
        text = QPlainTextEdit(self.invalid_rows_text())
        text.setReadOnly(True)
        layout.addWidget(QLabel(self.tr("These rows are reported as INVALID and not processed:")))
        layout.addWidget(text)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(dialog.reject)
        layout.addWidget(box)
        dialog.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 20)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

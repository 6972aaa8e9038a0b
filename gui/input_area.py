"""The top of the window: the drop zone and the file row (sheet, PO column, counts, invalid rows), read off-thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
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

from core.workbook.input_file import list_sheets
from core.workbook.spreadsheet import InputSheet, RowState, list_columns, read_input
from gui.jobs import JobPool
from gui.settings import GuiSettings
from gui.widgets import DropZone


@dataclass
class LoadedInput:
    sheet: InputSheet
    sheets: list[str]
    columns: list[str]


def load_input(path: Path, sheet: str | None, po_column: str | None, redo_completed: bool) -> LoadedInput:
    """Everything the file row shows, read in one go (called on a background thread)."""
    sheets = list_sheets(path)
    columns = list_columns(path, sheet)
    data = read_input(path, sheet=sheet, po_column=po_column, redo_completed=redo_completed)
    return LoadedInput(data, sheets, columns)


def counts_text(sheet: InputSheet) -> str:
    counts = sheet.counts()
    pos, duplicates = len(sheet.tasks()), counts["duplicate"]
    return (
        f"{pos:,} PO{'' if pos == 1 else 's'} ({counts['invalid']:,} invalid, "
        f"{duplicates:,} duplicate{'' if duplicates == 1 else 's'}, {counts['completed']:,} already completed)"
    )


class InputArea(QWidget):
    """Owns the loaded spreadsheet (`input`, `input_path`); tells the window through signals, never reaches into it."""

    changed = Signal()  # `input` changed: loading started, finished or failed
    message = Signal(str, bool)  # text for the message line, is_error
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

        self.drop_zone = DropZone()
        self.drop_zone.file_chosen.connect(self.load_file)
        self.drop_zone.browse_requested.connect(self.browse)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sheet_combo.setToolTip("The worksheet that holds the POs")
        self.sheet_combo.activated.connect(lambda _i: self.reload(sheet_changed=True))
        self.column_combo = QComboBox()
        self.column_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.column_combo.setToolTip("The column with the PO numbers (chosen automatically; change it if wrong)")
        self.column_combo.activated.connect(lambda _i: self.reload())
        self.sheet_label = QLabel("S&heet:")
        self.sheet_label.setBuddy(self.sheet_combo)
        column_label = QLabel("PO &column:")
        column_label.setBuddy(self.column_combo)
        # The counts are shown here only (the drop zone names the file): they follow the sheet and column choice.
        self.counts_label = QLabel("")
        self.counts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.invalid_button = QPushButton("Show invalid rows…")
        self.invalid_button.clicked.connect(self.show_invalid_rows)
        self.invalid_button.setEnabled(False)

        # Shown once there is something to pick (empty pickers before any file only look broken).
        self.file_row = QWidget()
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
            self, "Choose a PO spreadsheet", start, "Spreadsheets (*.xlsx *.xlsm *.csv)"
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
        self.drop_zone.set_file(path, "reading…")
        self.counts_label.setText("")
        self.invalid_button.setEnabled(False)
        self.message.emit("", False)
        self.changed.emit()
        self._jobs.run(
            "load",
            lambda _cancelled: load_input(path, sheet, column, redo),
            lambda loaded: self._loaded(serial, loaded),
            lambda message: self._load_failed(serial, message),
        )

    def _loaded(self, serial: int, loaded: LoadedInput) -> None:
        if serial != self._load_serial:
            return  # a newer load (another file or sheet) superseded this one
        self.input = loaded
        sheet = loaded.sheet
        self.sheet_combo.clear()
        self.sheet_combo.addItems(loaded.sheets)
        if sheet.sheet_name:
            self.sheet_combo.setCurrentText(sheet.sheet_name)
        is_workbook = bool(loaded.sheets)
        self.sheet_combo.setVisible(is_workbook)
        self.sheet_label.setVisible(is_workbook)
        self.column_combo.clear()
        self.column_combo.addItems(loaded.columns)
        self.column_combo.setCurrentText(sheet.po_column)
        self._show_file_row()
        text = counts_text(sheet)
        self.counts_label.setText(text)
        self.drop_zone.set_file(sheet.path)
        self.invalid_button.setEnabled(sheet.counts()["invalid"] > 0)
        self.logged.emit(f"Loaded {sheet.path.name}: {text}")
        self.changed.emit()

    def _load_failed(self, serial: int, message: str) -> None:
        if serial != self._load_serial:
            return
        self.input = None
        self.drop_zone.set_file(self.input_path, "could not be read")
        self.message.emit(message, True)
        self.changed.emit()

    def invalid_rows_text(self) -> str:
        if self.input is None:
            return ""
        rows = [r for r in self.input.sheet.rows if r.state is RowState.INVALID]
        return "\n".join(f"Row {r.row_number}: {r.raw_po!r} — {r.message}" for r in rows)

    def show_invalid_rows(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Invalid rows")
        layout = QVBoxLayout(dialog)
        text = QPlainTextEdit(self.invalid_rows_text())
        text.setReadOnly(True)
        layout.addWidget(QLabel("These rows are reported as INVALID and not processed:"))
        layout.addWidget(text)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(dialog.reject)
        layout.addWidget(box)
        dialog.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 20)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

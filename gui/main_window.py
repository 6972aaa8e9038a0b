"""The main window: pick a spreadsheet, set up the run, Start, watch every worker, Cancel, open the results.

Thin by design (ARCHITECTURE.md): reading files, checking the session and running the engine all happen off the GUI
thread (BackgroundJob, RunBridge); this class only wires widgets to them and shows what they report.
"""

from __future__ import annotations

import html
import logging
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.config import RunConfig
from core.errors import CoupaDownloadsError
from core.events import (
    Event,
    PoFinished,
    PoRequeued,
    RunFinished,
    RunStarted,
    WorkerError,
    WorkerRestarted,
    WorkerSigningIn,
)
from core.journal import JOURNAL_NAME, unfinished_run
from core.models import PoResult, PoStatus
from core.report import REPORT_NAME
from core.session import check_signed_in, sign_in_interactively
from core.spreadsheet import InputSheet, RowState, list_columns, list_sheets, read_input
from core.supervisor import EXIT_OK, RunOutcome
from gui.bridge import BackgroundJob, RunBridge, RunStats, format_duration
from gui.delegates import ProgressDelegate
from gui.models import FOLDER_ROLE, STATUS_COLORS, ResultsFilter, ResultsModel, WorkersModel
from gui.panels import SettingsPanel, default_destination
from gui.settings import GuiSettings
from gui.widgets import Collapsible, DropZone, StatusChip

log = logging.getLogger(__name__)

APP_TITLE = "CoupaDownloads"
EXIT_SIGN_IN = 3
ERROR_COLOR = STATUS_COLORS[PoStatus.FAILED]


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


def memory_text() -> str:
    """This app's memory: the window, the workers and their browsers (all are our child processes)."""
    try:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue
        system = psutil.virtual_memory().percent
    except psutil.Error:
        return ""
    return f"Memory: {total / 1024**3:.2f} GB (system {system:.0f}% used)"


def counts_text(sheet: InputSheet) -> str:
    counts = sheet.counts()
    return (
        f"{len(sheet.tasks()):,} POs ({counts['invalid']:,} invalid, {counts['duplicate']:,} duplicates, "
        f"{counts['completed']:,} already completed)"
    )


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.settings = GuiSettings()
        self._saved_run = self.settings.load_run()
        self.bridge = RunBridge(self)
        self.stats = RunStats()
        self.input_path: Path | None = None
        self.input: LoadedInput | None = None
        self._load_serial = 0
        self._jobs: set[BackgroundJob] = set()
        self._check_job: BackgroundJob | None = None
        self._outcome: RunOutcome | None = None
        self._run_config: RunConfig | None = None
        self._close_when_stopped = False
        self._demo_portal: object | None = None  # core.demo_portal.DemoPortal, imported only when used
        self._demo_url = ""
        self._memory_job: BackgroundJob | None = None
        self._resume_job: BackgroundJob | None = None
        self._build()
        self._restore()
        self.bridge.batch.connect(self._on_batch)
        self.bridge.finished.connect(self._on_run_finished)
        self.bridge.failed.connect(self._on_run_failed)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._refresh_overall)
        self._memory_timer = QTimer(self)
        self._memory_timer.setInterval(2000)
        self._memory_timer.timeout.connect(self._refresh_memory)
        self._set_busy(False)

    # -- layout -------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget()
        root = QVBoxLayout(central)

        self.drop_zone = DropZone()
        self.drop_zone.file_chosen.connect(self.load_file)
        self.drop_zone.browse_requested.connect(self._browse_input)
        root.addWidget(self.drop_zone)

        file_row = QHBoxLayout()
        self.sheet_combo = QComboBox()
        self.sheet_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sheet_combo.setToolTip("The worksheet that holds the POs")
        self.sheet_combo.activated.connect(lambda _i: self._reload(sheet_changed=True))
        self.column_combo = QComboBox()
        self.column_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.column_combo.setToolTip("The column with the PO numbers (chosen automatically; change it if wrong)")
        self.column_combo.activated.connect(lambda _i: self._reload())
        self.sheet_label = QLabel("S&heet:")
        self.sheet_label.setBuddy(self.sheet_combo)
        column_label = QLabel("PO &column:")
        column_label.setBuddy(self.column_combo)
        self.counts_label = QLabel("")
        self.invalid_button = QPushButton("Show invalid rows…")
        self.invalid_button.clicked.connect(self.show_invalid_rows)
        self.invalid_button.setEnabled(False)
        for widget in (self.sheet_label, self.sheet_combo, column_label, self.column_combo):
            file_row.addWidget(widget)
        file_row.addWidget(self.counts_label, 1)
        file_row.addWidget(self.invalid_button)
        root.addLayout(file_row)

        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setVisible(False)
        root.addWidget(self.message_label)

        self.settings_panel = SettingsPanel()
        self.settings_panel.destination_changed.connect(self._check_resume_offer)
        self.settings_panel.redo_completed_changed.connect(lambda _on: self._reload())
        root.addWidget(self.settings_panel)

        buttons = QHBoxLayout()
        self.demo_button = QPushButton("Try with &demo data")
        self.demo_button.setToolTip("Start a built-in Coupa-like portal and load its sample spreadsheet")
        self.demo_button.clicked.connect(lambda: self.use_demo_portal())
        self.sign_in_button = QPushButton("Sign &in…")
        self.sign_in_button.setToolTip("Open a visible browser on the portal to complete single sign-on once")
        self.sign_in_button.clicked.connect(self.sign_in)
        self.resume_button = QPushButton("&Resume")
        self.resume_button.setToolTip("Continue the unfinished run in the destination (finished POs are skipped)")
        self.resume_button.clicked.connect(lambda: self.start(resume=True))
        self.start_button = QPushButton("&Start")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(lambda: self.start())
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.open_folder_button = QPushButton("Open &folder")
        self.open_folder_button.clicked.connect(self._open_destination)
        self.open_report_button = QPushButton("Open re&port")
        self.open_report_button.clicked.connect(self._open_report)
        for widget in (self.demo_button, self.sign_in_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        for widget in (
            self.resume_button,
            self.start_button,
            self.cancel_button,
            self.open_folder_button,
            self.open_report_button,
        ):
            buttons.addWidget(widget)
        root.addLayout(buttons)

        overall = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setFormat("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        overall.addWidget(self.progress, 2)
        self.chips = {status.value: StatusChip(status.value, color) for status, color in STATUS_COLORS.items()}
        for chip in self.chips.values():
            overall.addWidget(chip)
        self.rate_label = QLabel("")
        overall.addWidget(self.rate_label, 1, Qt.AlignmentFlag.AlignRight)
        root.addLayout(overall)

        self.workers_model = WorkersModel(self)
        self.workers_view = QTableView()
        self.workers_view.setModel(self.workers_model)
        self.workers_view.setItemDelegateForColumn(WorkersModel.COL_FILES, ProgressDelegate(self.workers_view))
        _tidy_table(
            self.workers_view, {WorkersModel.COL_STATE: 12, WorkersModel.COL_PO: 17, WorkersModel.COL_SUPPLIER: 22}
        )
        self.workers_view.horizontalHeader().setSectionResizeMode(
            WorkersModel.COL_ERROR, QHeaderView.ResizeMode.Stretch
        )

        self.results_model = ResultsModel(self)
        self.results_proxy = ResultsFilter(self)
        self.results_proxy.setSourceModel(self.results_model)
        self.results_view = QTableView()
        self.results_view.setModel(self.results_proxy)
        self.results_view.setSortingEnabled(True)
        self.results_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.results_view.doubleClicked.connect(self._open_result_folder)
        _tidy_table(
            self.results_view,
            {
                ResultsModel.COL_PO: 13,
                ResultsModel.COL_STATUS: 19,
                ResultsModel.COL_SUPPLIER: 24,
                ResultsModel.COL_FOLDER: 24,
            },
        )
        self.results_view.horizontalHeader().setSectionResizeMode(
            ResultsModel.COL_MESSAGE, QHeaderView.ResizeMode.Stretch
        )
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", "")
        for status in PoStatus:
            self.status_filter.addItem(status.value.replace("_", " ").title(), status.value)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.results_proxy.set_status(str(self.status_filter.currentData() or ""))
        )
        results_box = QWidget()
        results_layout = QVBoxLayout(results_box)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_header = QHBoxLayout()
        results_title = QLabel("<b>Results</b> (double-click a row to open its folder)")
        filter_label = QLabel("Sho&w:")
        filter_label.setBuddy(self.status_filter)
        results_header.addWidget(results_title, 1)
        results_header.addWidget(filter_label)
        results_header.addWidget(self.status_filter)
        results_layout.addLayout(results_header)
        results_layout.addWidget(self.results_view)

        workers_box = QWidget()
        workers_layout = QVBoxLayout(workers_box)
        workers_layout.setContentsMargins(0, 0, 0, 0)
        workers_layout.addWidget(QLabel("<b>Workers</b>"))
        workers_layout.addWidget(self.workers_view)

        self.log_view = QPlainTextEdit()
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(5000)
        self.copy_button = QPushButton("Copy &diagnostics")
        self.copy_button.setToolTip("Copy the log and this setup to the clipboard, to paste into a support request")
        self.copy_button.clicked.connect(self.copy_diagnostics)
        log_box = QWidget()
        log_layout = QVBoxLayout(log_box)
        log_layout.setContentsMargins(0, 0, 0, 0)
        log_layout.addWidget(self.log_view)
        log_layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)
        self.log_section = Collapsible("Log", log_box)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(workers_box)
        self.splitter.addWidget(results_box)
        self.splitter.addWidget(self.log_section)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 1)
        root.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.memory_label = QLabel("")
        self.statusBar().addPermanentWidget(self.memory_label)
        QShortcut(QKeySequence.StandardKey.Open, self, activated=self._browse_input)

    def _restore(self) -> None:
        self.settings_panel.apply(self._saved_run)
        self.settings_panel.redo_completed.setChecked(self.settings.flag("redo_completed"))
        self.settings_panel.limit.setValue(self.settings.number("limit", 0))
        self.settings_panel.set_destination(default_destination(), is_default=True)
        self.log_section.set_expanded(self.settings.flag("log_expanded", False))
        for key, restore in (
            ("geometry", self.restoreGeometry),
            ("splitter", self.splitter.restoreState),
            ("workers_header", self.workers_view.horizontalHeader().restoreState),
            ("results_header", self.results_view.horizontalHeader().restoreState),
        ):
            blob = self.settings.blob(key)
            if blob is not None:
                restore(blob)
        if self.settings.blob("geometry") is None:
            self.resize(self.fontMetrics().averageCharWidth() * 150, self.fontMetrics().height() * 48)

    def save_settings(self) -> None:
        values = self.settings_panel.values(self._saved_run)
        if self._demo_url and values.base_url == self._demo_url:
            # The demo portal lives only as long as this window: never make it the CLI's default portal.
            values.base_url = self._saved_run.base_url
        self.settings.save_run(values)
        self._saved_run = values
        self.settings.set("redo_completed", self.settings_panel.redo_completed.isChecked())
        self.settings.set("limit", self.settings_panel.limit.value())
        self.settings.set("log_expanded", self.log_section.is_expanded())
        self.settings.set("geometry", self.saveGeometry())
        self.settings.set("splitter", self.splitter.saveState())
        self.settings.set("workers_header", self.workers_view.horizontalHeader().saveState())
        self.settings.set("results_header", self.results_view.horizontalHeader().saveState())
        if self.input_path is not None:
            self.settings.set("last_input_folder", str(self.input_path.parent))
        self.settings.sync()

    # -- messages and log ---------------------------------------------------------------------------------------
    def show_message(self, text: str, *, error: bool = False) -> None:
        """A non-modal line under the file row: errors in red, never a traceback."""
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: 600;" if error else "")
        self.message_label.setVisible(bool(text))
        if text:
            self.log(text, error=error)

    def log(self, text: str, *, error: bool = False) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        line = html.escape(f"{stamp}  {text}")
        if error:
            line = f'<span style="color:{ERROR_COLOR}; font-weight:600">{line}</span>'
        self.log_view.appendHtml(line)
        (log.warning if error else log.info)("%s", text)

    def copy_diagnostics(self) -> None:
        QGuiApplication.clipboard().setText(self.diagnostics())
        self.statusBar().showMessage("Diagnostics copied to the clipboard.", 4000)

    def diagnostics(self) -> str:
        values = self.settings_panel.values(self._saved_run)
        lines = [
            f"{APP_TITLE} diagnostics {datetime.now().isoformat(timespec='seconds')}",
            f"Python {sys.version.split()[0]}, PySide6 {pyside_version}, {platform.platform()}",
            f"Settings: {values}",
            f"Input: {self.input_path or '-'}; destination: {self.settings_panel.destination_path() or '-'}",
            f"Last outcome: {self._outcome}",
            "",
            "Log:",
            self.log_view.toPlainText(),
        ]
        return "\n".join(lines)

    # -- loading the spreadsheet ---------------------------------------------------------------------------------
    def _browse_input(self) -> None:
        start = self.settings.text("last_input_folder", str(Path.home()))
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
        self._start_load(None, None)

    def _reload(self, *, sheet_changed: bool = False) -> None:
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
        redo = self.settings_panel.redo_completed.isChecked()
        self.input = None
        self.drop_zone.set_file(path, "reading…")
        self.counts_label.setText("")
        self.invalid_button.setEnabled(False)
        self.show_message("")
        self._update_buttons()
        self._run_job(
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
        text = counts_text(sheet)
        self.counts_label.setText(text)
        self.drop_zone.set_file(sheet.path, text)
        self.invalid_button.setEnabled(sheet.counts()["invalid"] > 0)
        self.log(f"Loaded {sheet.path.name}: {text}")
        self._update_buttons()

    def _load_failed(self, serial: int, message: str) -> None:
        if serial != self._load_serial:
            return
        self.input = None
        self.drop_zone.set_file(self.input_path, "could not be read")
        self.show_message(message, error=True)
        self._update_buttons()

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

    # -- demo and sign-in ---------------------------------------------------------------------------------------
    def use_demo_portal(self, portal: object | None = None, sample: Path | None = None) -> None:
        """Start (or adopt) a demo portal in this process, point the portal URL at it and load its sample."""
        from core.demo_portal import DemoPortal, PortalKnobs
        from core.paths import resource_path

        if portal is None:
            if self._demo_portal is None:
                self._demo_portal = DemoPortal(PortalKnobs()).start()
            portal = self._demo_portal
        assert isinstance(portal, DemoPortal)
        self._demo_url = portal.base_url
        self.settings_panel.portal_url.setText(portal.base_url)
        self.log(f"Demo portal running at {portal.base_url}")
        self.load_file(sample or resource_path("sample_pos.xlsx"))

    def sign_in(self, then_start: bool = False) -> None:
        try:
            config = self.build_config(for_sign_in=True)
        except CoupaDownloadsError as exc:
            self.show_message(str(exc), error=True)
            return
        self.show_message("A browser window is opening: sign in there. It closes by itself when you are in.")
        self._check_job = self._run_job(
            "sign-in",
            lambda cancelled: sign_in_interactively(config, cancelled),
            lambda ok: self._signed_in(bool(ok), then_start),
            self._session_failed,
        )
        self._set_busy(True, "Signing in…")

    def _signed_in(self, ok: bool, then_start: bool) -> None:
        self._check_job = None
        self._set_busy(False)
        if ok:
            self.show_message("Signed in. The workers will reuse this session.")
            if then_start:
                self.start()
        else:
            self.show_message("Sign-in was not completed (the browser was closed or it took too long).", error=True)

    def _session_failed(self, message: str) -> None:
        self._check_job = None
        self._set_busy(False)
        self.show_message(message, error=True)

    # -- the run ------------------------------------------------------------------------------------------------
    def build_config(self, *, resume: bool = False, for_sign_in: bool = False) -> RunConfig:
        values = self.settings_panel.values(self._saved_run)
        if not values.base_url:
            raise CoupaDownloadsError("Enter the portal URL (e.g. https://yourcompany.coupahost.com) first.")
        destination = self.settings_panel.destination_path()
        if destination is None and not for_sign_in:
            raise CoupaDownloadsError("Choose a destination folder first.")
        sheet = self.input.sheet if self.input is not None else None
        limit = self.settings_panel.limit.value()
        return RunConfig(
            input_path=sheet.path if sheet is not None else Path(),
            output_dir=destination or Path(),
            base_url=values.base_url,
            workers=values.workers,
            downloads_per_worker=values.downloads_per_worker,
            po_url_template=values.po_url_template,
            sheet=sheet.sheet_name if sheet is not None else None,
            po_column=sheet.po_column if sheet is not None else None,
            browser=values.browser or "chromium",
            browser_binary=values.browser_binary or None,
            driver_path=values.driver_path or None,
            profile_dir=values.profile_dir or None,
            headless=values.headless,
            requisition_fallback=values.requisition_fallback,
            redo_completed=self.settings_panel.redo_completed.isChecked(),
            resume=resume,
            limit=limit or None,
        ).validated()

    def start(self, resume: bool = False) -> None:
        if self.bridge.is_running() or self._check_job is not None:
            return
        if self.input is None:
            self.show_message("Drop a PO spreadsheet on the window (or press Browse…) first.", error=True)
            return
        try:
            config = self.build_config(resume=resume)
        except CoupaDownloadsError as exc:
            self.show_message(str(exc), error=True)
            return
        if not resume and (config.output_dir / ".coupadownloads" / JOURNAL_NAME).exists():
            if unfinished_run(config.output_dir):
                text = "The destination holds an unfinished run: press Resume to continue it, or choose another folder."
            else:
                text = "The destination already holds a finished run: choose another folder."
            self.show_message(text, error=True)
            self._check_resume_offer()
            return
        self.save_settings()
        self.show_message("")
        self.log(f"Checking the session on {config.base_url}…")
        self._check_job = self._run_job(
            "session-check",
            lambda cancelled: check_signed_in(config, cancelled),
            lambda ok: self._session_checked(bool(ok), config),
            self._session_failed,
        )
        self._set_busy(True, "Checking sign-in…")

    def _session_checked(self, ok: bool, config: RunConfig) -> None:
        job, self._check_job = self._check_job, None
        if job is not None and job.cancelled():
            self._set_busy(False)
            self.log("Start cancelled.")
            return
        if not ok:
            self._set_busy(False)
            answer = QMessageBox.question(
                self,
                "Sign in needed",
                "The portal needs you to sign in before the run can start.\n\nOpen a browser to sign in now?",
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.sign_in(then_start=True)
            else:
                self.show_message("Not started: sign in first (Sign in…).", error=True)
            return
        self.start_run(config)

    def start_run(self, config: RunConfig) -> None:
        """Start the engine now (the session was checked)."""
        self._outcome = None
        self._run_config = config
        self.stats = RunStats()
        self.workers_model.clear()
        self.results_model.clear()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        for chip in self.chips.values():
            chip.set_count(0)
        self.resume_button.setVisible(False)
        self.log(f"Run started: {config.output_dir}{' (resumed)' if config.resume else ''}")
        sheet = self.input.sheet if self.input is not None else None
        self.bridge.start(config, sheet)
        self._set_busy(True, "Running…")
        self._clock.start()
        self._memory_timer.start()
        self._refresh_memory()

    def cancel(self) -> None:
        """Never asks and never blocks: the engine stops politely, then forcibly, on its own thread."""
        if self._check_job is not None:
            self._check_job.cancel()
        if self.bridge.is_running():
            self.bridge.cancel()
            self.log("Cancelling: workers finish their current file, then stop.")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Stopping…")

    def is_busy(self) -> bool:
        return self.bridge.is_running() or self._check_job is not None

    def _on_batch(self, events: list[Event]) -> None:
        self.workers_model.apply(events)
        self.stats.apply(events)
        finished = [e.result for e in events if isinstance(e, PoFinished)]
        if finished:
            self.results_model.add_results(finished)
        for event in events:
            self._log_event(event)
        self._refresh_overall()

    def _log_event(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            skipped = f", {event.already_done} already done" if event.already_done else ""
            self.log(f"{event.pending} POs to do with {event.workers} workers{skipped}.")
        elif isinstance(event, PoFinished):
            result = event.result
            detail = f"{result.attachments_downloaded}/{result.attachments_found} files"
            message = f": {result.error_message}" if result.error_message else ""
            bad = result.status in (PoStatus.FAILED, PoStatus.PARTIAL)
            self.log(f"Worker {event.worker_id}: {result.po_key} {result.status.value} ({detail}){message}", error=bad)
        elif isinstance(event, WorkerError):
            self.log(f"Worker {event.worker_id}: {event.message}", error=True)
        elif isinstance(event, WorkerRestarted):
            self.log(f"Worker {event.worker_id} restarted: {event.reason}", error=True)
        elif isinstance(event, PoRequeued):
            self.log(f"{event.po_key} goes back to the queue: {event.reason}")
        elif isinstance(event, WorkerSigningIn):
            self.log(f"Worker {event.worker_id} is signing in ({event.reason}).")
        elif isinstance(event, RunFinished) and event.message:
            self.log(event.message, error=event.exit_code not in (EXIT_OK,) and not event.cancelled)

    def _refresh_overall(self) -> None:
        stats = self.stats
        self.progress.setFormat("%v of %m POs" if stats.started else "")
        self.progress.setRange(0, max(stats.pending, 1))
        self.progress.setValue(min(stats.finished, max(stats.pending, 1)) if stats.pending else 0)
        for status, chip in self.chips.items():
            chip.set_count(stats.counts.get(status, 0))
        parts = []
        rate = stats.per_minute()
        if stats.started:
            parts.append(f"{rate:.1f} POs/min" if rate is not None else "– POs/min")
            parts.append(f"elapsed {format_duration(stats.elapsed())}")
        eta = stats.eta_seconds()
        if eta is not None:
            parts.append(f"ETA {format_duration(eta)}")
        self.rate_label.setText("  ·  ".join(parts))

    def _refresh_memory(self) -> None:
        """Walking every browser process takes 100+ ms with many workers: measured on a thread, shown when ready."""
        if self._memory_job is not None:
            return
        self._memory_job = self._run_job(
            "memory", lambda _c: memory_text(), self._memory_measured, self._memory_measured
        )

    def _memory_measured(self, text: str) -> None:
        self._memory_job = None
        if text:
            self.memory_label.setText(text)

    def _on_run_finished(self, outcome: RunOutcome, results: list[PoResult]) -> None:
        self._outcome = outcome
        self._clock.stop()
        self._memory_timer.stop()
        self._refresh_memory()
        # The journal is the truth: it also holds the POs marked CANCELLED at the end.
        self.results_model.replace_all(results)
        self.stats.counts = dict(outcome.counts)
        self._refresh_overall()
        self._set_busy(False)
        if outcome.cancelled and outcome.exit_code not in (EXIT_OK, 130):
            self.show_message(outcome.message or "The run stopped.", error=True)
            if outcome.exit_code == EXIT_SIGN_IN:
                self.show_message(f"{outcome.message} Press Sign in…, then Resume.", error=True)
        elif outcome.cancelled:
            self.show_message("Cancelled. Unfinished POs are marked CANCELLED; press Resume to continue them.")
        else:
            done = sum(n for status, n in outcome.counts.items() if status != PoStatus.INVALID.value)
            self.show_message(f"Finished: {done} POs in {format_duration(self.stats.elapsed())}. Report saved.")
        self._check_resume_offer()
        if self._close_when_stopped:
            self.close()

    def _on_run_failed(self, message: str) -> None:
        self._clock.stop()
        self._memory_timer.stop()
        self._set_busy(False)
        self.show_message(message, error=True)
        self._check_resume_offer()
        if self._close_when_stopped:
            self.close()

    # -- state of the controls ----------------------------------------------------------------------------------
    def _set_busy(self, busy: bool, label: str = "") -> None:
        self._busy = busy
        for widget in (self.drop_zone, self.settings_panel, self.sheet_combo, self.column_combo, self.demo_button):
            widget.setEnabled(not busy)
        self.start_button.setText(label if busy else "&Start")
        self.cancel_button.setText("&Cancel")
        self.cancel_button.setEnabled(busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = getattr(self, "_busy", False)
        self.start_button.setEnabled(not busy and self.input is not None)
        self.sign_in_button.setEnabled(not busy)
        self.resume_button.setEnabled(not busy and self.input is not None)
        report = self._report_path()
        self.open_report_button.setEnabled(not busy and report is not None and report.exists())
        destination = self.settings_panel.destination_path()
        self.open_folder_button.setEnabled(destination is not None and destination.exists())

    def _check_resume_offer(self) -> None:
        """Show Resume when the destination holds an unfinished run (the journal is read on a thread)."""
        destination = self.settings_panel.destination_path()
        journal = destination / ".coupadownloads" / JOURNAL_NAME if destination is not None else None
        if journal is None or not journal.exists() or self.bridge.is_running():
            self._resume_checked(destination, False)
            return
        self._resume_job = self._run_job(
            "resume-check",
            lambda _c: unfinished_run(destination),
            lambda offer: self._resume_checked(destination, bool(offer)),
            lambda _m: self._resume_checked(destination, False),
        )

    def _resume_checked(self, destination: Path | None, offer: bool) -> None:
        if destination != self.settings_panel.destination_path():
            return  # the destination changed meanwhile; its own check decides
        self.resume_button.setVisible(offer)
        self._update_buttons()

    def _report_path(self) -> Path | None:
        if self._outcome is not None and self._outcome.report is not None:
            return Path(self._outcome.report)
        destination = self.settings_panel.destination_path()
        return destination / REPORT_NAME if destination is not None else None

    # -- opening things -----------------------------------------------------------------------------------------
    def open_path(self, path: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _open_destination(self) -> None:
        destination = self.settings_panel.destination_path()
        if destination is not None:
            self.open_path(destination)

    def _open_report(self) -> None:
        report = self._report_path()
        if report is not None and report.exists():
            self.open_path(report)

    def _open_result_folder(self, index: QModelIndex) -> None:
        folder = self.results_proxy.data(index, FOLDER_ROLE)
        if folder and Path(folder).exists():
            self.open_path(Path(folder))
        else:
            self.statusBar().showMessage("This PO has no folder yet.", 4000)

    # -- background jobs and closing ----------------------------------------------------------------------------
    def _run_job(
        self,
        name: str,
        call: Callable[[Callable[[], bool]], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None],
    ) -> BackgroundJob:
        job = BackgroundJob(name, call, self)
        self._jobs.add(job)
        # Connected before the thread starts: a fast job (a small csv) may finish at once.
        job.succeeded.connect(on_success)
        job.failed.connect(on_failure)
        job.succeeded.connect(lambda _v: self._job_ended(job))
        job.failed.connect(lambda _m: self._job_ended(job))
        job.start()
        return job

    def _job_ended(self, job: BackgroundJob) -> None:
        self._jobs.discard(job)
        job.deleteLater()
        if self._close_when_stopped and not self.is_busy():
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_busy():
            if not self._close_when_stopped:
                answer = QMessageBox.question(
                    self,
                    "A run is in progress",
                    "Cancel the run and close? Finished POs are kept; you can Resume later.",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    event.ignore()
                    return
                self._close_when_stopped = True
                self.cancel()
                self.statusBar().showMessage("Stopping the workers; the window closes when they are gone…")
            event.ignore()  # closed again from _on_run_finished once every browser is gone
            return
        for job in list(self._jobs):
            job.cancel()
        self.save_settings()
        if self._demo_portal is not None:
            self._demo_portal.stop()  # type: ignore[attr-defined]
            self._demo_portal = None
        event.accept()


def _tidy_table(view: QTableView, widths: dict[int, int]) -> None:
    """Common table look; `widths` are starting column widths in characters (they scale with the font)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    # Row height follows the font, so 150% scaling stays tidy.
    view.verticalHeader().setDefaultSectionSize(int(view.fontMetrics().height() * 1.6))
    char = view.fontMetrics().averageCharWidth()
    header.setDefaultSectionSize(char * 12)
    for column, chars in widths.items():
        view.setColumnWidth(column, char * chars)

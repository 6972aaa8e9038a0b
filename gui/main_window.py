"""The main window: pick a spreadsheet, set up the run, Start, watch every worker, Cancel, open the results.

Thin by design (ARCHITECTURE.md): reading files, checking the session and running the engine all happen off the GUI
thread (JobPool, RunBridge); this class only lays out the areas (input_area, panels, run_area, results_area,
log_area), wires them to the engine and keeps the buttons' state.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from core.config import RunConfig
from core.errors import CoupaDownloadsError
from core.events import Event, PoFinished
from core.run.journal import unfinished_run
from core.run.supervisor import RunOutcome
from gui.bridge import RunBridge, RunStats
from gui.destination import Destination, journal_exists, open_path
from gui.input_area import InputArea, LoadedInput
from gui.jobs import JobPool
from gui.log_area import ERROR_COLOR, LogPane, diagnostics_text, event_line, outcome_messages
from gui.panels import SettingsPanel, default_destination
from gui.results_area import ResultsPane
from gui.run_area import MemoryMeter, OverallProgress, RunButtons, WorkersPane
from gui.session_gate import SessionGate
from gui.settings import GuiSettings, WindowMemory

APP_TITLE = "CoupaDownloads"


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.settings = GuiSettings()
        self._saved_run = self.settings.load_run()
        self.bridge = RunBridge(self)
        self.stats = RunStats()
        self.jobs = JobPool(self)
        self.jobs.ended.connect(self._job_ended)
        self.session = SessionGate(self.jobs, self)
        self.session.checked.connect(self._session_checked)
        self.session.check_cancelled.connect(self._session_check_cancelled)
        self.session.signed_in.connect(self._signed_in)
        self.session.failed.connect(self._session_failed)
        self._outcome: RunOutcome | None = None
        self._run_config: RunConfig | None = None
        self._close_when_stopped = False
        self._busy = False
        self._demo_portal: object | None = None  # core.demo_portal.DemoPortal, imported only when used
        self._demo_url = ""
        self._build()
        self._restore()
        self.bridge.batch.connect(self._on_batch)
        self.bridge.finished.connect(self._on_run_finished)
        self.bridge.failed.connect(self._on_run_failed)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._refresh_overall)
        self._set_busy(False)

    # -- layout -------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget()
        root = QVBoxLayout(central)

        self.settings_panel = SettingsPanel()
        self.input_area = InputArea(self.jobs, self.settings, self.settings_panel.redo_completed.isChecked)
        self.input_area.changed.connect(self._update_buttons)
        self.input_area.message.connect(lambda text, error: self.show_message(text, error=error))
        self.input_area.logged.connect(self.log)
        # The widgets the tests and screenshots reach by name.
        self.drop_zone = self.input_area.drop_zone
        self.sheet_combo = self.input_area.sheet_combo
        self.column_combo = self.input_area.column_combo
        self.counts_label = self.input_area.counts_label
        self.invalid_button = self.input_area.invalid_button
        root.addWidget(self.input_area)

        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setVisible(False)
        root.addWidget(self.message_label)

        self.settings_panel.destination_changed.connect(self._check_resume_offer)
        self.destination = Destination(self.jobs, self.settings_panel, self)
        self.destination.resume_offered.connect(self._resume_offered)
        self.settings_panel.redo_completed_changed.connect(lambda _on: self.input_area.reload())
        root.addWidget(self.settings_panel)
        self.buttons = RunButtons()
        b = self.buttons
        self.demo_button, self.sign_in_button, self.resume_button = b.demo_button, b.sign_in_button, b.resume_button
        self.start_button, self.cancel_button = b.start_button, b.cancel_button
        self.open_folder_button, self.open_report_button = b.open_folder_button, b.open_report_button
        self.demo_button.clicked.connect(lambda: self.use_demo_portal())
        self.sign_in_button.clicked.connect(lambda: self.sign_in())
        self.resume_button.clicked.connect(lambda: self.start(resume=True))
        self.start_button.clicked.connect(lambda: self.start())
        self.cancel_button.clicked.connect(self.cancel)
        self.open_folder_button.clicked.connect(self.destination.open_folder)
        self.open_report_button.clicked.connect(lambda: self.destination.open_report(self._outcome))
        root.addWidget(self.buttons)

        self.overall = OverallProgress()
        self.progress, self.chips, self.rate_label = self.overall.progress, self.overall.chips, self.overall.rate_label
        root.addWidget(self.overall)

        self.workers_pane = WorkersPane()
        self.workers_model, self.workers_view = self.workers_pane.model, self.workers_pane.view
        self.results_pane = ResultsPane()
        self.results_pane.folder_activated.connect(self._open_result_folder)
        self.results_model, self.results_proxy = self.results_pane.model, self.results_pane.proxy
        self.results_view, self.status_filter = self.results_pane.view, self.results_pane.status_filter
        self.log_section = LogPane()
        self.log_view, self.copy_button = self.log_section.log_view, self.log_section.copy_button
        self.copy_button.clicked.connect(self.copy_diagnostics)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.workers_pane)
        self.splitter.addWidget(self.results_pane)
        self.splitter.addWidget(self.log_section)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 1)
        root.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.memory_label = QLabel("")
        self.statusBar().addPermanentWidget(self.memory_label)
        self.memory = MemoryMeter(self.jobs, self.memory_label, self)
        self.memory_of_window = WindowMemory(
            self.settings,
            self,
            self.splitter,
            self.log_section,
            self.settings_panel,
            {
                "workers_header": (self.workers_view, self.workers_pane.fit_columns),
                "results_header": (self.results_view, self.results_pane.fit_columns),
            },
        )
        QShortcut(QKeySequence(QKeySequence.StandardKey.Open), self, self.input_area.browse)

    # -- the loaded input (kept in the input area) ---------------------------------------------------------------
    @property
    def input(self) -> LoadedInput | None:
        return self.input_area.input

    @property
    def input_path(self) -> Path | None:
        return self.input_area.input_path

    def load_file(self, path: Path) -> None:
        self.input_area.load_file(path)

    def invalid_rows_text(self) -> str:
        return self.input_area.invalid_rows_text()

    def show_invalid_rows(self) -> None:
        self.input_area.show_invalid_rows()

    # -- remembered settings ------------------------------------------------------------------------------------
    def _restore(self) -> None:
        self.settings_panel.apply(self._saved_run)
        self.settings_panel.set_destination(default_destination(), is_default=True)
        self.memory_of_window.restore()
        if self.settings.blob("geometry") is None:
            self.resize(self.fontMetrics().averageCharWidth() * 150, self.fontMetrics().height() * 48)

    def save_settings(self) -> None:
        values = self.settings_panel.values()
        if self._demo_url and values.base_url == self._demo_url:
            # The demo portal lives only as long as this window: never make it the CLI's default portal.
            values = replace(values, base_url=self._saved_run.base_url)
        self.settings.save_run(values)
        self._saved_run = values
        self.memory_of_window.save(self.input_path)

    # -- messages and log ---------------------------------------------------------------------------------------
    def show_message(self, text: str, *, error: bool = False) -> None:
        """A non-modal line under the file row: errors in red, never a traceback."""
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: 600;" if error else "")
        self.message_label.setVisible(bool(text))
        if text:
            self.log(text, error=error)

    def log(self, text: str, *, error: bool = False) -> None:
        self.log_section.add(text, error=error)

    def copy_diagnostics(self) -> None:
        QGuiApplication.clipboard().setText(self.diagnostics())
        self.statusBar().showMessage("Diagnostics copied to the clipboard.", 4000)

    def diagnostics(self) -> str:
        facts = [
            f"Settings: {self.settings_panel.values()}",
            f"Input: {self.input_path or '-'}; destination: {self.settings_panel.destination_path() or '-'}",
            f"Last outcome: {self._outcome}",
        ]
        return diagnostics_text(APP_TITLE, facts, self.log_section.text())

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
        self.session.sign_in(config, then_start)
        self._set_busy(True, "Signing in…")

    def _signed_in(self, ok: bool, then_start: bool) -> None:
        self._set_busy(False)
        if ok:
            self.show_message("Signed in. The workers will reuse this session.")
            if then_start:
                self.start()
        else:
            self.show_message("Sign-in was not completed (the browser was closed or it took too long).", error=True)

    def _session_failed(self, message: str) -> None:
        self._set_busy(False)
        self.show_message(message, error=True)

    # -- the run ------------------------------------------------------------------------------------------------
    def build_config(self, *, resume: bool = False, for_sign_in: bool = False) -> RunConfig:
        sheet = self.input.sheet if self.input is not None else None
        return self.settings_panel.run_config(sheet, resume=resume, for_sign_in=for_sign_in)

    def start(self, resume: bool = False) -> None:
        if self.is_busy():
            return
        if self.input is None:
            self.show_message("Drop a PO spreadsheet on the window (or press Browse…) first.", error=True)
            return
        try:
            config = self.build_config(resume=resume)
        except CoupaDownloadsError as exc:
            self.show_message(str(exc), error=True)
            return
        if not resume and journal_exists(config.output_dir):
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
        self.session.check(config)
        self._set_busy(True, "Checking sign-in…")

    def _session_check_cancelled(self) -> None:
        self._set_busy(False)
        self.log("Start cancelled.")

    def _session_checked(self, ok: bool, config: RunConfig) -> None:
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
        self.overall.reset()
        self.resume_button.setVisible(False)
        self.log(f"Run started: {config.output_dir}{' (resumed)' if config.resume else ''}")
        self.bridge.start(config)
        self._set_busy(True, "Running…")
        self._clock.start()
        self.memory.start()

    def cancel(self) -> None:
        """Never asks and never blocks: the engine stops politely, then forcibly, on its own thread."""
        self.session.cancel()
        if self.bridge.is_running():
            self.bridge.cancel()
            self.log("Cancelling: workers finish their current file, then stop.")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Stopping…")

    def is_busy(self) -> bool:
        return self.bridge.is_running() or self.session.busy()

    def _on_batch(self, events: list[Event]) -> None:
        self.workers_model.apply(events)
        self.stats.apply(events)
        finished = [e.result for e in events if isinstance(e, PoFinished)]
        if finished:
            self.results_model.add_results(finished)
        for event in events:
            line = event_line(event)
            if line is not None:
                self.log(line[0], error=line[1])
        self._refresh_overall()

    def _refresh_overall(self) -> None:
        self.overall.show_stats(self.stats)

    def _on_run_finished(self, outcome: RunOutcome) -> None:
        self._outcome = outcome
        self._clock.stop()
        self.memory.stop()
        # The run's final answers (from its journal) also hold the POs marked CANCELLED at the end.
        self.results_model.replace_all(outcome.results)
        self.stats.counts = dict(outcome.counts)
        self._refresh_overall()
        self._set_busy(False)
        for text, error in outcome_messages(outcome, self.stats.elapsed()):
            self.show_message(text, error=error)
        self._check_resume_offer()
        if self._close_when_stopped:
            self.close()

    def _on_run_failed(self, message: str) -> None:
        self._clock.stop()
        self.memory.stop()
        self._set_busy(False)
        self.show_message(message, error=True)
        self._check_resume_offer()
        if self._close_when_stopped:
            self.close()

    # -- state of the controls ----------------------------------------------------------------------------------
    def _set_busy(self, busy: bool, label: str = "") -> None:
        self._busy = busy
        self.input_area.set_locked(busy)
        for widget in (self.settings_panel, self.demo_button):
            widget.setEnabled(not busy)
        self.start_button.setText(label if busy else "&Start")
        self.cancel_button.setText("&Cancel")
        self.cancel_button.setEnabled(busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self._busy
        self.start_button.setEnabled(not busy and self.input is not None)
        self.sign_in_button.setEnabled(not busy)
        self.resume_button.setEnabled(not busy and self.input is not None)
        report = self.destination.report_path(self._outcome)
        self.open_report_button.setEnabled(not busy and report is not None and report.exists())
        destination = self.settings_panel.destination_path()
        self.open_folder_button.setEnabled(destination is not None and destination.exists())

    def _check_resume_offer(self) -> None:
        """Show Resume when the destination holds an unfinished run."""
        self.destination.check_resume(self.bridge.is_running())

    def _resume_offered(self, offer: bool) -> None:
        self.resume_button.setVisible(offer)
        self._update_buttons()

    def open_path(self, path: Path) -> bool:
        return open_path(path)

    def _open_result_folder(self, folder: str) -> None:
        if folder and Path(folder).exists():
            self.open_path(Path(folder))
        else:
            self.statusBar().showMessage("This PO has no folder yet.", 4000)

    # -- closing ------------------------------------------------------------------------------------------------
    def _job_ended(self) -> None:
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
        self.jobs.cancel_all()
        self.save_settings()
        if self._demo_portal is not None:
            self._demo_portal.stop()  # type: ignore[attr-defined]
            self._demo_portal = None
        event.accept()

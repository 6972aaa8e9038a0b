"""The main window: pick a spreadsheet, set up the run, Start, watch every worker, Cancel, open the results.

Thin by design (ARCHITECTURE.md): reading files, checking the session and running the engine all happen off the GUI
thread (JobPool, RunBridge); this class only lays out the areas (input_area, panels, run_area, results_area,
log_area), wires them to the engine and keeps the buttons' state.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from core.config import RunConfig
from core.errors import EXIT_SIGN_IN, CoupaDownloadsError
from core.events import Event, PoFinished
from core.run.supervisor import RunOutcome
from gui.bridge import RunBridge, RunStats
from gui.demo import DemoSource
from gui.destination import Destination, open_path
from gui.input_area import InputArea, LoadedInput
from gui.jobs import JobPool
from gui.log_area import ERROR_COLOR, LogPane, diagnostics_text, event_line, outcome_messages
from gui.notify import Notifier
from gui.panels import SettingsPanel, default_destination
from gui.results_area import ResultsPane
from gui.run_area import MemoryMeter, OverallProgress, RunButtons, WorkersPane
from gui.second_chances import SecondChances
from gui.session_gate import SessionGate
from gui.settings import GuiSettings, WindowMemory
from gui.widgets import MessageLine

if TYPE_CHECKING:
    from core.demo_portal import DemoPortal

APP_TITLE = "CoupaDownloads"
FIRST_SIZE = QSize(1100, 750)  # the first launch opens at least this big when the screen has the room
CAUSE_INPUT, CAUSE_SETTINGS = "input", "settings"  # what a message is about: it goes when that changes


class MainWindow(QMainWindow):
    """The window's public parts (tests and screenshots reach widgets through them or by object name):
    input_area, message_line, settings_panel, buttons, overall, workers_pane, results_pane, log_section."""

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
        self.session.cancelled.connect(self._start_cancelled)
        self.session.signed_in.connect(self._signed_in)
        self.session.failed.connect(self._session_failed)
        self._outcome: RunOutcome | None = None
        self._close_when_stopped = False
        self._busy = False
        self.demo = DemoSource()
        self.notifier = Notifier(self)
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
        self.input_area.changed.connect(self._input_changed)
        self.input_area.message.connect(lambda text, error: self.say(text, error=error, cause=CAUSE_INPUT))
        self.input_area.logged.connect(self.log)
        root.addWidget(self.input_area)
        self.message_line = MessageLine(ERROR_COLOR)
        root.addWidget(self.message_line)

        self.settings_panel.destination_changed.connect(self._destination_changed)
        self.settings_panel.portal_url.textChanged.connect(lambda _t: self.message_line.cause_changed(CAUSE_SETTINGS))
        self.destination = Destination(self.jobs, self.settings_panel, self)
        self.destination.resume_offered.connect(self._resume_offered)
        self.settings_panel.redo_completed_changed.connect(lambda _on: self.input_area.reload())
        root.addWidget(self.settings_panel)
        self.buttons = b = RunButtons()
        b.demo_button.clicked.connect(lambda: self.use_demo_portal())
        b.sign_in_button.clicked.connect(lambda: self.sign_in())
        b.sign_out_button.clicked.connect(self.sign_out)
        b.resume_button.clicked.connect(lambda: self.start(resume=True))
        b.start_button.clicked.connect(lambda: self.start())
        b.cancel_button.clicked.connect(self.cancel)
        b.open_folder_button.clicked.connect(
            lambda: self.open_place(self.settings_panel.destination_path(), self.tr("folder"))
        )
        b.open_report_button.clicked.connect(
            lambda: self.open_place(self.destination.report_path(self._outcome), self.tr("report"))
        )
        self.chances = SecondChances(
            b, self.bridge, self.begin, lambda: self.build_config(for_sign_in=True), self.open_place, self.jobs, self
        )
        self.chances.problem.connect(lambda text: self.say(text, error=True))
        root.addWidget(b)

        self.overall = OverallProgress()
        root.addWidget(self.overall)
        self.workers_pane = WorkersPane()
        self.results_pane = ResultsPane()
        self.results_pane.folder_activated.connect(
            lambda folder: self.open_place(Path(folder) if folder else None, self.tr("PO folder"))
        )
        self.log_section = LogPane()
        self.log_section.copy_button.clicked.connect(self.copy_diagnostics)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        for pane, stretch in ((self.workers_pane, 2), (self.results_pane, 3), (self.log_section, 1)):
            self.splitter.addWidget(pane)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        self.splitter.setChildrenCollapsible(False)
        root.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        memory_label = QLabel("")
        memory_label.setObjectName("memory_label")
        self.statusBar().addPermanentWidget(memory_label)
        self.memory = MemoryMeter(self.jobs, memory_label, self)
        self.memory_of_window = WindowMemory(
            self.settings,
            self,
            self.splitter,
            self.log_section,
            self.settings_panel.redo_completed,
            self.settings_panel.limit,
            self.settings_panel.language,
            {
                "workers_header": (self.workers_pane.view, self.workers_pane.fit_columns),
                "results_header": (self.results_pane.view, self.results_pane.fit_columns),
            },
        )
        QShortcut(QKeySequence(QKeySequence.StandardKey.Open), self, self.input_area.browse)
        # Ctrl+Q on every system (Windows has no standard Quit key); closing asks only while a run is busy.
        QShortcut(QKeySequence("Ctrl+Q"), self, self.close)

    # -- the loaded input (kept in the input area) ---------------------------------------------------------------
    @property
    def input(self) -> LoadedInput | None:
        return self.input_area.input

    @property
    def input_path(self) -> Path | None:
        return self.input_area.input_path

    @property
    def outcome(self) -> RunOutcome | None:
        """The last run's outcome (None before the first run ends)."""
        return self._outcome

    def load_file(self, path: Path) -> None:
        self.input_area.load_file(path)

    # -- remembered settings ------------------------------------------------------------------------------------
    def _restore(self) -> None:
        self.settings_panel.apply(self._saved_run)
        self.settings_panel.set_destination(default_destination(), is_default=True)
        self.memory_of_window.restore(FIRST_SIZE)

    def save_settings(self) -> None:
        values = self.settings_panel.values()
        if self.demo.url and values.base_url == self.demo.url:
            # The demo portal lives only as long as this window: never make it the CLI's default portal.
            values = replace(values, base_url=self._saved_run.base_url)
        self.settings.save_run(values)
        self._saved_run = values
        self.memory_of_window.save(self.input_path)

    # -- messages and log ---------------------------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False, cause: str = "") -> None:
        """The message line (errors in red, never a traceback); `cause` makes it go once that cause changes."""
        self.message_line.say(text, error=error, cause=cause)
        if text:
            self.log(text, error=error)

    def log(self, text: str, *, error: bool = False) -> None:
        self.log_section.add(text, error=error)

    def copy_diagnostics(self) -> None:
        facts = [
            f"Settings: {self.settings_panel.values()}",
            f"Input: {self.input_path or '-'}; destination: {self.settings_panel.destination_path() or '-'}",
            f"Last outcome: {self._outcome}",
        ]
        QGuiApplication.clipboard().setText(diagnostics_text(APP_TITLE, facts, self.log_section.text()))
        self.statusBar().showMessage(self.tr("Diagnostics copied to the clipboard."), 4000)

    def open_place(self, path: Path | None, what: str) -> None:
        """Open a folder or file with the system's application; when it can't, say so and show the path to copy."""
        if path is None or not path.exists():
            self.say(self.tr("The {what} does not exist yet.").format(what=what))
        elif not open_path(path):
            text = self.tr("The system could not open the {what}. Its path, to copy: {path}")
            self.say(text.format(what=what, path=path), error=True)

    # -- demo and sign-in ---------------------------------------------------------------------------------------
    def use_demo_portal(self, portal: DemoPortal | None = None, sample: Path | None = None) -> None:
        """Start (or adopt) a demo portal in this process, point the portal URL at it and load its sample."""
        url = self.demo.portal(portal).base_url
        self.settings_panel.portal_url.setText(url)
        self.log(self.tr("Demo portal running at {url}").format(url=url))
        self.load_file(sample or self.demo.sample())

    def sign_in(self, then_start: bool = False) -> None:
        try:
            config = self.build_config(for_sign_in=True)
        except CoupaDownloadsError as exc:
            self.say(str(exc), error=True, cause=CAUSE_SETTINGS)
            return
        self.say(self.tr("A browser window is opening: sign in there. It closes by itself when you are in."))
        self.session.sign_in(config, then_start)
        self._set_busy(True, "Signing in…")

    def sign_out(self) -> None:
        removed = self.session.sign_out()
        self.say(f"Signed out ({removed} saved session(s) deleted). The next run signs in again.")

    def _signed_in(self, ok: bool, then_start: bool) -> None:
        self._set_busy(False)
        if ok:
            self.say(self.tr("Signed in. The workers will reuse this session."))
            if then_start:
                self.start()
        else:
            self.say(self.tr("Sign-in was not completed (the browser was closed or it took too long)."), error=True)

    def _session_failed(self, message: str) -> None:
        self._set_busy(False)
        self.say(message, error=True)

    # -- the run ------------------------------------------------------------------------------------------------
    def build_config(self, *, resume: bool = False, for_sign_in: bool = False) -> RunConfig:
        sheet = self.input.sheet if self.input is not None else None
        config = self.settings_panel.run_config(sheet, resume=resume, for_sign_in=for_sign_in)
        return replace(config, description=self.buttons.description.text().strip())

    def start(self, resume: bool = False) -> None:
        if self.is_busy():
            return
        if self.input is None:
            self.say(
                self.tr("Drop a PO spreadsheet on the window (or press Browse…) first."), error=True, cause=CAUSE_INPUT
            )
            return
        if not resume:
            self.settings_panel.destination_for_new_run()
        try:
            config = self.build_config(resume=resume)
            self.destination.prepare(config)
        except CoupaDownloadsError as exc:
            self.say(str(exc), error=True, cause=CAUSE_SETTINGS)
            self._check_resume_offer()
            return
        self.begin(config)

    def begin(self, config: RunConfig) -> None:
        """Check the session, then run `config` (a new run, a resume, or a retry)."""
        if self.is_busy():
            return
        self._clear_figures(config)
        self.save_settings()
        self.say("")
        self.log(self.tr("Checking the session on {url}…").format(url=config.base_url))
        self.session.check(config)
        self._set_busy(True, "Checking sign-in…")

    def _clear_figures(self, config: RunConfig) -> None:
        """A new run starts from a clean screen at once: no figure of the previous run stays."""
        self._outcome = None
        self.stats = RunStats()
        self.workers_pane.model.clear()
        self.results_pane.model.clear(config.output_dir, self.input_area.pos_as_written())
        self.overall.reset()
        self.buttons.resume_button.setVisible(False)

    def _start_cancelled(self) -> None:
        self._set_busy(False)
        self.say(self.tr("Not started."))

    def _session_checked(self, ok: bool, config: RunConfig) -> None:
        if not ok:
            self._set_busy(False)
            needed = self.tr("The portal needs you to sign in before the run can start.")
            self.notifier.tell(self.tr("Sign in needed"), needed)
            answer = QMessageBox.question(
                self, self.tr("Sign in needed"), needed + "\n\n" + self.tr("Open a browser to sign in now?")
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.sign_in(then_start=True)
            else:
                self.say(self.tr("Not started: sign in first (Sign in…)."), error=True)
            return
        self.start_run(config)

    def start_run(self, config: RunConfig) -> None:
        """Start the engine now (the session was checked)."""
        if config.retry:
            text = self.tr("Run started again for its failed, partial, cancelled and no-access POs: {folder}")
        elif config.resume:
            text = self.tr("Run resumed: {folder}")
        else:
            text = self.tr("Run started: {folder}")
        self.log(text.format(folder=config.output_dir))
        self.bridge.start(config)
        self.chances.run_started(config, self.stats)
        self._set_busy(True, "Running…")
        self._clock.start()
        self.memory.start()

    def cancel(self) -> None:
        """Never asks and never blocks: a start-up check is let go at once; the engine stops politely, then forcibly."""
        self.session.cancel()
        if self.bridge.is_running():
            self.bridge.cancel()
            self.log(self.tr("Cancelling: workers finish their current file, then stop."))
            self.buttons.cancel_button.setEnabled(False)
            self.buttons.cancel_button.setText(self.tr("Stopping…"))

    def is_busy(self) -> bool:
        return self.bridge.is_running() or self.session.busy()

    def _on_batch(self, events: list[Event]) -> None:
        self.workers_pane.model.apply(events)
        self.stats.apply(events)
        finished = [e.result for e in events if isinstance(e, PoFinished)]
        if finished:
            self.results_pane.model.add_results(finished)
        for event in events:
            line = event_line(event)
            if line is not None:
                self.log(line[0], error=line[1])
        self._refresh_overall()

    def _refresh_overall(self) -> None:
        self.overall.show_stats(self.stats)

    def _on_run_finished(self, outcome: RunOutcome) -> None:
        self._outcome = outcome
        # The run's final answers (from its journal, the POs marked CANCELLED at the end included) are the one
        # source at the end: the results, the bar, the chips and the message all read them.
        self.results_pane.model.settle(outcome.results)
        self.chances.run_ended(outcome.results)
        self.stats.settle(outcome.results)
        messages = outcome_messages(outcome, self.stats)
        self.notifier.run_ended(self.stats.elapsed(), messages[-1][0], needs_sign_in=outcome.exit_code == EXIT_SIGN_IN)
        self._run_ended(messages)

    def _on_run_failed(self, message: str) -> None:
        self.chances.run_ended([])
        self._run_ended([(message, True)])

    def _run_ended(self, messages: list[tuple[str, bool]]) -> None:
        self._clock.stop()
        self.memory.stop()
        self._refresh_overall()
        self._set_busy(False)
        for text, error in messages:
            self.say(text, error=error)
        self._check_resume_offer()
        if self._close_when_stopped:
            self.close()

    # -- state of the controls ----------------------------------------------------------------------------------
    def _set_busy(self, busy: bool, label: str = "") -> None:
        self._busy = busy
        self.input_area.set_locked(busy)
        self.settings_panel.setEnabled(not busy)
        self.buttons.set_busy(busy, label)
        self._update_buttons()

    def start_blocker(self) -> str:
        """Why Start can't be pressed now ("" when it can): its tooltip says so."""
        return self.tr("A run is in progress: Cancel stops it.") if self._busy else self.input_area.blocker()

    def _update_buttons(self) -> None:
        self.buttons.update_enabled(
            self.start_blocker(),
            can_resume=not self._busy and self.input is not None,
            report=None if self._busy else self.destination.report_path(self._outcome),
            folder=self.settings_panel.destination_path(),
        )

    def _input_changed(self) -> None:
        if self.input is not None:
            self.message_line.cause_changed(CAUSE_INPUT)
        self._update_buttons()

    def _destination_changed(self) -> None:
        self.message_line.cause_changed(CAUSE_SETTINGS)
        self._check_resume_offer()
        self._update_buttons()

    def _check_resume_offer(self) -> None:
        """Show Resume when the destination holds an unfinished run."""
        self.destination.check_resume(self.bridge.is_running())

    def _resume_offered(self, offer: bool) -> None:
        self.buttons.resume_button.setVisible(offer)
        self._update_buttons()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A main window has no default button of its own (only dialogs do): Enter starts when Start can.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.buttons.start_button.isEnabled():
            self.start()
            return
        super().keyPressEvent(event)

    # -- closing ------------------------------------------------------------------------------------------------
    def _job_ended(self) -> None:
        if self._close_when_stopped and not self.is_busy():
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_busy():
            if not self._close_when_stopped:
                answer = QMessageBox.question(
                    self,
                    self.tr("A run is in progress"),
                    self.tr("Cancel the run and close? Finished POs are kept; you can Resume later."),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    event.ignore()
                    return
                self._close_when_stopped = True
                self.cancel()
                self.statusBar().showMessage(self.tr("Stopping the workers; the window closes when they are gone…"))
            if self.is_busy():
                event.ignore()  # closed again from _run_ended once every browser is gone
                return
        self.jobs.cancel_all()
        self.save_settings()
        self.demo.stop()
        event.accept()

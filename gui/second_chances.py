"""Second chances in the window: Pause / Continue during a run, "Retry N" after one, and the History dialog (open,
resume or retry a past run). The engine does the work (Supervisor.pause/resume, RunConfig.retry, core/run/history);
this only keeps the buttons right and asks the window to start a run with a given config."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from core.config import RunConfig
from core.errors import CoupaDownloadsError
from core.models import PoResult
from core.run.history import History, RunRecord
from core.run.journal import RETRY_STATUSES
from gui.bridge import RunBridge, RunStats
from gui.history_dialog import HistoryDialog
from gui.jobs import JobPool
from gui.run_area import (
    CONTINUE_TEXT,
    CONTINUE_TIP,
    PAUSE_IDLE_TIP,
    PAUSE_TEXT,
    PAUSE_TIP,
    RETRY_NONE_TIP,
    RETRY_TIP,
    RunButtons,
    button_text,
    retry_text,
)

log = logging.getLogger(__name__)


class SecondChances(QObject):
    """`start` starts a run with a config (the window checks the session first); `base_config` gives the window's
    current settings as a config (portal, browser, workers) for runs picked from the history."""

    problem = Signal(str)  # a run picked from the history cannot start: what to fix

    def __init__(
        self,
        buttons: RunButtons,
        bridge: RunBridge,
        start: Callable[[RunConfig], None],
        base_config: Callable[[], RunConfig],
        open_place: Callable[[Path | None, str], object],
        jobs: JobPool,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._buttons = buttons
        self._bridge = bridge
        self._start = start
        self._base_config = base_config
        self._open_place = open_place
        self._config: RunConfig | None = None  # the run under way or just ended
        self._window = parent
        self.paused = False
        self._retry_config: RunConfig | None = None
        self.retry_pos = 0
        self.dialog: HistoryDialog | None = None
        buttons.pause_button.clicked.connect(self.toggle_pause)
        buttons.retry_button.clicked.connect(self.retry)
        buttons.history_button.clicked.connect(self.show_history)
        self._show_pause(running=False)
        self._show_retry(enabled=True)

    # -- during a run ------------------------------------------------------------------------------------------------
    def run_started(self, config: RunConfig, stats: RunStats) -> None:
        self._config = config
        self.paused = False
        self._show_pause(running=True)
        self._show_retry(enabled=False)
        # Until this run has a rate of its own, its ETA starts from the speed of the recent runs (read off the GUI
        # thread: the history is a file that may be large, busy or on a slow disk).
        self._jobs.run(
            "history rate",
            lambda _cancelled: History().pos_per_minute_per_worker(),
            lambda rate: setattr(stats, "history_rate", rate),
            lambda message: log.warning("The history's rate could not be read: %s", message),
        )

    def toggle_pause(self) -> None:
        if not self._bridge.is_running():
            return
        self.paused = not self.paused
        self._bridge.pause(self.paused)
        self._show_pause(running=True)

    def _show_pause(self, *, running: bool) -> None:
        button = self._buttons.pause_button
        button.setText(button_text(CONTINUE_TEXT if self.paused else PAUSE_TEXT))
        button.setToolTip(button_text((CONTINUE_TIP if self.paused else PAUSE_TIP) if running else PAUSE_IDLE_TIP))
        button.setEnabled(running)

    # -- after a run -------------------------------------------------------------------------------------------------
    def run_ended(self, results: Iterable[PoResult]) -> None:
        """Offer "Retry N" for the POs of the run's folder that have no true answer yet (none after a failed run)."""
        self.paused = False
        self._show_pause(running=False)
        self.retry_pos = sum(1 for r in results if r.status.value in RETRY_STATUSES)
        self._retry_config = self._config if self.retry_pos else None
        self._show_retry(enabled=True)

    def retry(self) -> None:
        if self._retry_config is not None:
            description = self._buttons.description.text().strip() or self._retry_config.description
            self._start(replace(self._retry_config, retry=True, resume=False, description=description))

    def _show_retry(self, *, enabled: bool) -> None:
        button = self._buttons.retry_button
        count = self.retry_pos if self._retry_config is not None else 0
        button.setText(retry_text(count))
        button.setToolTip(button_text(RETRY_TIP if count else RETRY_NONE_TIP))
        button.setEnabled(enabled and count > 0)

    # -- the history -------------------------------------------------------------------------------------------------
    def show_history(self) -> HistoryDialog:
        if self.dialog is None:
            self.dialog = HistoryDialog(parent=self._window)
            self.dialog.open_folder.connect(
                lambda run: self._open_place(Path(run.folder), QCoreApplication.translate("MainWindow", "folder"))
            )
            self.dialog.open_report.connect(
                lambda run: self._open_place(Path(run.report), QCoreApplication.translate("MainWindow", "report"))
            )
            self.dialog.resume_run.connect(lambda run: self._again(run, resume=True))
            self.dialog.retry_run.connect(lambda run: self._again(run, retry=True))
        dialog = self.dialog
        self._jobs.run("history", lambda _cancelled: dialog.history.runs(), dialog.show_runs, self._history_unread)
        dialog.show()
        dialog.raise_()
        return dialog

    def _history_unread(self, message: str) -> None:
        text = QCoreApplication.translate("SecondChances", "The history could not be read: {message}")
        self.problem.emit(text.format(message=message))

    def _again(self, run: RunRecord, *, resume: bool = False, retry: bool = False) -> None:
        """Resume or retry a past run in its own folder, from its own input, with the window's current settings."""
        if self._bridge.is_running():
            return
        try:
            base = self._base_config()
        except CoupaDownloadsError as exc:
            self.problem.emit(str(exc))
            return
        config = replace(
            base,
            input_path=Path(run.input),
            output_dir=Path(run.folder),
            sheet=None,
            po_column=None,
            resume=resume,
            retry=retry,
            description=run.description,
        )
        self._start(config)

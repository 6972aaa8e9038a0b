"""The run's controls and live view: the button row, overall progress (N of M, status chips, rate, ETA), the workers
table and the memory meter.
"""

from __future__ import annotations

import psutil
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QTableView, QVBoxLayout, QWidget

from core.models import PoStatus
from gui.bridge import RunStats, format_duration
from gui.delegates import ProgressDelegate
from gui.jobs import JobPool
from gui.models import STATUS_COLORS, WorkersModel, status_label
from gui.widgets import StatusChip, fit_columns, tidy_table

MEMORY_INTERVAL_MS = 2000


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


class RunButtons(QWidget):
    """Demo and Sign in on the left; Resume, Start, Cancel, Open folder and Open report on the right.

    Only the buttons: the window connects them and decides when each is enabled.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demo_button = _button("Try with &demo data", "Start a built-in Coupa-like portal and load its sample")
        self.sign_in_button = _button(
            "Sign &in…", "Open a visible browser on the portal to complete single sign-on once"
        )
        self.resume_button = _button(
            "&Resume", "Continue the unfinished run in the destination (finished POs are skipped)"
        )
        self.start_button = _button("&Start")
        self.start_button.setDefault(True)
        self.cancel_button = _button("&Cancel", "Stop the run: workers finish their current file, then stop")
        self.open_folder_button = _button("Open &folder")
        self.open_report_button = _button("Open re&port")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.sign_in_button)
        layout.addStretch(1)
        for button in (
            self.resume_button,
            self.start_button,
            self.cancel_button,
            self.open_folder_button,
            self.open_report_button,
        ):
            layout.addWidget(button)


def _button(text: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    if tip:
        button.setToolTip(tip)
    return button


class OverallProgress(QWidget):
    """'N of M POs' bar, one coloured chip per status seen, and POs/min · elapsed · ETA."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setFormat("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.chips = {
            status.value: StatusChip(status.value, STATUS_COLORS[status], status_label(status.value))
            for status in PoStatus
        }
        self.rate_label = QLabel("")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress, 2)
        for chip in self.chips.values():
            layout.addWidget(chip)
        layout.addWidget(self.rate_label, 1, Qt.AlignmentFlag.AlignRight)

    def reset(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        for chip in self.chips.values():
            chip.set_count(0)

    def show_stats(self, stats: RunStats) -> None:
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


class WorkersPane(QWidget):
    """'Workers' title over one row per worker; the files column is a painted progress bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = WorkersModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(WorkersModel.COL_FILES, ProgressDelegate(self.view))
        tidy_table(self.view)
        self.fit_columns()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Workers</b>"))
        layout.addWidget(self.view)

    def fit_columns(self) -> None:
        fit_columns(self.view, stretch=(WorkersModel.COL_SUPPLIER, WorkersModel.COL_ERROR))


class MemoryMeter(QObject):
    """Shows this app's memory in `label` every 2 s while running.

    Walking every browser process takes 100+ ms with many workers: it is measured on a thread, shown when ready.
    """

    def __init__(self, jobs: JobPool, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self.label = label
        self._measuring = False
        self._timer = QTimer(self)
        self._timer.setInterval(MEMORY_INTERVAL_MS)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        """Stops the timer after one last reading (the browsers are gone: the number drops back)."""
        self._timer.stop()
        self.refresh()

    def refresh(self) -> None:
        if self._measuring:
            return
        self._measuring = True
        self._jobs.run("memory", lambda _c: memory_text(), self._measured, self._measured)

    def _measured(self, text: str) -> None:
        self._measuring = False
        if text:
            self.label.setText(text)

"""The run's controls and live view: the button row, overall progress (N of M, status chips, rate, ETA), the workers
table and the memory meter.
"""

from __future__ import annotations

from pathlib import Path

import psutil
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.models import PoStatus
from gui.bridge import RunStats, format_duration
from gui.delegates import ProgressDelegate
from gui.jobs import JobPool
from gui.models import STATUS_COLORS, WorkersModel, status_label
from gui.widgets import StatusChip, fit_columns, keep_place, tidy_table

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
    text = QCoreApplication.translate("MemoryMeter", "Memory: {gb:.2f} GB (system {used:.0f}% used)")
    return text.format(gb=total / 1024**3, used=system)


# Start's width fits each of the labels it shows (translated where they are shown).
START_LABELS = (
    QT_TRANSLATE_NOOP("RunButtons", "&Start"),
    QT_TRANSLATE_NOOP("RunButtons", "Checking sign-in…"),
    QT_TRANSLATE_NOOP("RunButtons", "Signing in…"),
    QT_TRANSLATE_NOOP("RunButtons", "Running…"),
)
# Pause and Retry change their words with the run (translated where they are shown, by button_text). No Alt
# mnemonic: every letter of these words is taken by another control (the buttons are reached with Tab).
PAUSE_TEXT = QT_TRANSLATE_NOOP("RunButtons", "Pause")
CONTINUE_TEXT = QT_TRANSLATE_NOOP("RunButtons", "Continue")
PAUSE_IDLE_TIP = QT_TRANSLATE_NOOP(
    "RunButtons", "Pause a run: no new PO starts, the files in flight finish, the browsers stay signed in"
)
PAUSE_TIP = QT_TRANSLATE_NOOP(
    "RunButtons", "No new PO starts; the files in flight finish and the browsers stay signed in"
)
CONTINUE_TIP = QT_TRANSLATE_NOOP("RunButtons", "Start the remaining POs again")
RETRY_NONE_TIP = QT_TRANSLATE_NOOP(
    "RunButtons", "After a run with failed, partial, cancelled or no-access POs: run them again in the same folder"
)
RETRY_TIP = QT_TRANSLATE_NOOP(
    "RunButtons",
    "Run the failed, partial, cancelled and no-access POs again in the same folder and report (only the "
    "files not yet saved are fetched)",
)


def button_text(source: str) -> str:
    """One of the run buttons' changing words above, in the window's language."""
    return QCoreApplication.translate("RunButtons", source)


def retry_text(count: int) -> str:
    if not count:
        return QCoreApplication.translate("RunButtons", "Retry")
    return QCoreApplication.translate("RunButtons", "Retry {count}").format(count=count)


class RunButtons(QWidget):
    """Demo, Sign in, Sign out, History and the run's description on the left; Resume, Retry, Start, Pause, Cancel,
    Open folder and Open report on the right.

    Only the buttons: the window connects them and decides when each is enabled. They keep their place in every
    state: Start is as wide as its longest label and a hidden Resume keeps its room.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.demo_button = _button(
            "demo_button",
            self.tr("Try with d&emo data"),
            self.tr("Start a built-in Coupa-like portal and load its sample"),
        )
        self.sign_in_button = _button(
            "sign_in_button",
            self.tr("Sig&n in…"),
            self.tr("Open a visible browser on the portal to complete single sign-on once"),
        )
        self.sign_out_button = _button(
            "sign_out_button",
            self.tr("Sign out"),
            self.tr("Delete the saved portal session: the next run signs in again (e.g. on a shared computer)"),
        )
        self.resume_button = _button(
            "resume_button",
            self.tr("&Resume"),
            self.tr("Continue the unfinished run in the destination (finished POs are skipped)"),
        )
        keep_place(self.resume_button)
        self.start_button = _button("start_button", self.tr("&Start"), self.tr("Start the run (Enter)"))
        self.start_button.setDefault(True)
        self.start_button.setMinimumWidth(widest(self.start_button, tuple(self.tr(label) for label in START_LABELS)))
        self.cancel_button = _button(
            "cancel_button",
            self.tr("&Cancel"),
            self.tr("Stop the run: workers finish their current file, then stop"),
        )
        self.cancel_button.setMinimumWidth(widest(self.cancel_button, (self.tr("&Cancel"), self.tr("Stopping…"))))
        self.open_folder_button = _button(
            "open_folder_button", self.tr("Open &folder"), self.tr("Open the run's folder")
        )
        self.open_report_button = _button(
            "open_report_button", self.tr("Open re&port"), self.tr("Open the run's report (Excel)")
        )
        self.pause_button = _button("pause_button", button_text(PAUSE_TEXT), button_text(PAUSE_IDLE_TIP))
        self.pause_button.setMinimumWidth(
            widest(self.pause_button, (button_text(PAUSE_TEXT), button_text(CONTINUE_TEXT)))
        )
        self.retry_button = _button("retry_button", retry_text(0), button_text(RETRY_NONE_TIP))
        self.retry_button.setMinimumWidth(widest(self.retry_button, (retry_text(0), retry_text(8888))))
        self.history_button = _button(
            "history_button",
            self.tr("History…"),
            self.tr("Past runs: open their folder or report, resume or retry them"),
        )
        self.description = QLineEdit()
        self.description.setObjectName("description")
        self.description.setPlaceholderText(self.tr("Description (optional)"))
        self.description.setToolTip(self.tr("A few words that name this run in the history (e.g. 'Audit Q3, EMEA')"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.sign_in_button)
        layout.addWidget(self.sign_out_button)
        layout.addWidget(self.history_button)
        layout.addWidget(self.description, 1)
        for button in (
            self.resume_button,
            self.retry_button,
            self.start_button,
            self.pause_button,
            self.cancel_button,
            self.open_folder_button,
            self.open_report_button,
        ):
            layout.addWidget(button)

    def set_busy(self, busy: bool, label: str) -> None:
        """While busy, Start names what is going on (it keeps its width) and Cancel is the way out."""
        self.demo_button.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy)
        self.sign_out_button.setEnabled(not busy)
        self.start_button.setText(self.tr(label) if busy else self.tr("&Start"))
        self.cancel_button.setText(self.tr("&Cancel"))
        self.cancel_button.setEnabled(busy)

    def update_enabled(self, start_blocker: str, *, can_resume: bool, report: Path | None, folder: Path | None) -> None:
        """Enable what can be pressed now; a disabled Start says why in its tooltip."""
        self.start_button.setEnabled(not start_blocker)
        self.start_button.setToolTip(start_blocker or self.tr("Start the run (Enter)"))
        self.resume_button.setEnabled(can_resume)
        self.open_report_button.setEnabled(report is not None and report.exists())
        self.open_folder_button.setEnabled(folder is not None and folder.exists())


def _button(name: str, text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


def widest(button: QPushButton, labels: tuple[str, ...]) -> int:
    """The width `button` needs for the longest of `labels` (measured by the style, so it scales with the font)."""
    shown = button.text()
    width = 0
    for label in labels:
        button.setText(label)
        width = max(width, button.sizeHint().width())
    button.setText(shown)
    return width


class OverallProgress(QWidget):
    """'N of M done' bar, one coloured chip per finished status seen, and POs/min · elapsed · ETA."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setObjectName("overall_progress")
        self.progress.setToolTip(self.tr("POs finished of the POs in this run's folder"))
        self.chips = {
            status.value: StatusChip(status.value, STATUS_COLORS[status], status_label(status.value))
            for status in PoStatus
            if status is not PoStatus.CANCELLED  # cancelled work is not a result: the bar names it
        }
        self.rate_label = QLabel("")
        self.rate_label.setObjectName("rate_label")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress, 2)
        for chip in self.chips.values():
            layout.addWidget(chip)
        layout.addWidget(self.rate_label, 1, Qt.AlignmentFlag.AlignRight)
        self.reset()

    def reset(self) -> None:
        self.show_stats(RunStats())

    def show_stats(self, stats: RunStats) -> None:
        total = max(stats.total, 1)
        self.progress.setRange(0, total)
        self.progress.setValue(min(stats.done, total) if stats.total else 0)
        self.progress.setFormat(stats.summary())
        counts = stats.counts
        for status, chip in self.chips.items():
            chip.set_count(counts.get(status, 0))
        parts = []
        rate = stats.per_minute()
        if stats.started:
            parts.append(self.tr("{rate} POs/min").format(rate=f"{rate:.1f}" if rate is not None else "–"))
            parts.append(self.tr("elapsed {time}").format(time=format_duration(stats.elapsed())))
        eta = stats.eta_seconds()
        if eta is not None:
            parts.append(self.tr("ETA {time}").format(time=format_duration(eta)))
        self.rate_label.setText("  ·  ".join(parts))


class WorkersPane(QWidget):
    """'Workers' title over one row per worker; the files column is a painted progress bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = WorkersModel(self)
        self.view = QTableView()
        self.view.setObjectName("workers_view")
        self.view.setToolTip(self.tr("One row per worker (a browser): what it is doing now"))
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(WorkersModel.COL_FILES, ProgressDelegate(self.view))
        tidy_table(self.view)
        self.fit_columns()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("<b>Workers</b>")))
        layout.addWidget(self.view)

    def fit_columns(self) -> None:
        # A worker has up to 8 POs in flight: their column shares the room and elides ("4 POs: PO1, PO2, …"), the
        # tooltip lists them all; sized to its content it would jump with every PO that starts or ends.
        fit_columns(self.view, stretch=(WorkersModel.COL_PO, WorkersModel.COL_SUPPLIER, WorkersModel.COL_ERROR))


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

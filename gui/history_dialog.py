"""The History dialog: past runs (date, description, input, counts, duration, POs/min) from core/run/history.py,
with Open folder, Open report, Resume and Retry for the selected run."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.run.history import KIND_COLLECT, KIND_RESUME, KIND_RETRY, KIND_RUN, STATE_RUNNING, History, RunRecord
from core.run.journal import RETRY_STATUSES, RUN_CANCELLED, RUN_FINISHED
from gui.bridge import format_duration
from gui.models import ModelIndex, NamedColumns, status_label
from gui.run_area import retry_text
from gui.widgets import fit_columns, tidy_table

# The history's words for a run's kind and end, shown translated (the history keeps these values).
RUN_KINDS = {
    KIND_RUN: QT_TRANSLATE_NOOP("HistoryModel", "run"),
    KIND_RESUME: QT_TRANSLATE_NOOP("HistoryModel", "resume"),
    KIND_RETRY: QT_TRANSLATE_NOOP("HistoryModel", "retry"),
    KIND_COLLECT: QT_TRANSLATE_NOOP("HistoryModel", "collected"),
}
RUN_STATES = {
    RUN_FINISHED: QT_TRANSLATE_NOOP("HistoryModel", "finished"),
    RUN_CANCELLED: QT_TRANSLATE_NOOP("HistoryModel", "cancelled"),
}


def retry_count(run: RunRecord) -> int:
    """POs of this run's folder a retry would run again."""
    return sum(count for status, count in run.counts.items() if status in RETRY_STATUSES)


def counts_text(run: RunRecord) -> str:
    return ", ".join(f"{status_label(status).lower()} {n}" for status, n in sorted(run.counts.items()))


class HistoryModel(NamedColumns):
    HEADERS = (
        QT_TRANSLATE_NOOP("Columns", "Started"),
        QT_TRANSLATE_NOOP("Columns", "Description"),
        QT_TRANSLATE_NOOP("Columns", "Input"),
        QT_TRANSLATE_NOOP("Columns", "State"),
        QT_TRANSLATE_NOOP("Columns", "POs"),
        QT_TRANSLATE_NOOP("Columns", "Duration"),
        QT_TRANSLATE_NOOP("Columns", "POs/min"),
        QT_TRANSLATE_NOOP("Columns", "Results"),
        QT_TRANSLATE_NOOP("Columns", "Folder"),
    )
    COL_DESCRIPTION, COL_FOLDER = 1, 8

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runs: list[RunRecord] = []

    def set_runs(self, runs: list[RunRecord]) -> None:
        self.beginResetModel()
        self._runs = list(runs)
        self.endResetModel()

    def run_at(self, row: int) -> RunRecord | None:
        return self._runs[row] if 0 <= row < len(self._runs) else None

    def row_count(self) -> int:
        return len(self._runs)

    @staticmethod
    def state_text(run: RunRecord) -> str:
        if run.state == STATE_RUNNING:
            return QCoreApplication.translate("HistoryModel", "running or stopped abruptly")
        kind = QCoreApplication.translate("HistoryModel", RUN_KINDS.get(run.kind, run.kind))
        state = QCoreApplication.translate("HistoryModel", RUN_STATES.get(run.state, run.state))
        return f"{kind}, {state}"

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        run = self.run_at(index.row())
        if run is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        values = (
            run.started_at.replace("T", " "),
            run.description,
            Path(run.input).name,
            self.state_text(run),
            str(run.processed),
            format_duration(run.seconds) if run.finished_at else "",
            f"{run.pos_per_minute:.1f}" if run.finished_at else "",
            counts_text(run),
            run.folder,
        )
        if role == Qt.ItemDataRole.ToolTipRole:
            return run.input if index.column() == 2 else values[index.column()]
        return values[index.column()]


class HistoryDialog(QDialog):
    """Lists past runs; asks the window to open, resume or retry the selected one (signals carry the RunRecord)."""

    open_folder = Signal(object)
    open_report = Signal(object)
    resume_run = Signal(object)
    retry_run = Signal(object)

    def __init__(self, history: History | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History of runs"))
        self.history = history or History()
        self.model = HistoryModel(self)
        self.view = QTableView()
        self.view.setObjectName("history_view")
        self.view.setModel(self.model)
        tidy_table(self.view)
        fit_columns(self.view, stretch=(HistoryModel.COL_DESCRIPTION, HistoryModel.COL_FOLDER))
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(lambda _index: self._ask(self.open_folder))
        self.empty_label = QLabel(self.tr("No runs yet: each run you start is listed here."))
        self.open_folder_button = QPushButton(self.tr("Open &folder"))
        self.open_folder_button.setToolTip(self.tr("Open the selected run's folder"))
        self.open_report_button = QPushButton(self.tr("Open re&port"))
        self.open_report_button.setToolTip(self.tr("Open the selected run's report"))
        self.resume_button = QPushButton(self.tr("&Resume"))
        self.resume_button.setToolTip(self.tr("Continue the selected run where it stopped (finished POs are skipped)"))
        self.retry_button = QPushButton(retry_text(0))
        self.retry_button.setToolTip(
            self.tr("Run the selected run's failed, partial, cancelled and no-access POs again")
        )
        self.open_folder_button.clicked.connect(lambda: self._ask(self.open_folder))
        self.open_report_button.clicked.connect(lambda: self._ask(self.open_report))
        self.resume_button.clicked.connect(lambda: self._ask(self.resume_run, close=True))
        self.retry_button.clicked.connect(lambda: self._ask(self.retry_run, close=True))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.open_folder_button, self.open_report_button, self.resume_button, self.retry_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 140, self.fontMetrics().height() * 28)
        self.empty_label.setVisible(False)  # until the runs are read: there may well be some
        self._update_buttons()

    def show_runs(self, runs: list[RunRecord]) -> None:
        """Show `runs` (read off the GUI thread by whoever opens the dialog: `self.history.runs()`)."""
        self.model.set_runs(runs)
        self.empty_label.setVisible(self.model.rowCount() == 0)
        if self.model.rowCount():
            self.view.selectRow(0)
        self._update_buttons()

    def selected(self) -> RunRecord | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.run_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        run = self.selected()
        folder = run is not None and Path(run.folder).is_dir()
        self.open_folder_button.setEnabled(folder)
        self.open_report_button.setEnabled(run is not None and bool(run.report) and Path(run.report).is_file())
        self.resume_button.setEnabled(folder and run is not None and run.state != RUN_FINISHED)
        count = retry_count(run) if run is not None and folder else 0
        self.retry_button.setEnabled(count > 0)
        self.retry_button.setText(retry_text(count))

    def _ask(self, signal: Signal, *, close: bool = False) -> None:
        run = self.selected()
        if run is None:
            return
        signal.emit(run)  # type: ignore[attr-defined]
        if close:
            self.accept()

"""The workers table model (one row per worker, refreshed from coalesced events); roles and colours both tables use.

Both follow qBittorrent's transfer list: named column constants, a raw-value role for sorting, and one
`dataChanged` per changed row per refresh, never one per event.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from core.events import (
    AttachmentsFound,
    Event,
    FileDone,
    FileFailed,
    FileProgress,
    PoFinished,
    PoRequeued,
    PoStarted,
    RunContinued,
    RunFinished,
    WorkerError,
    WorkerPaused,
    WorkerReady,
    WorkerRestarted,
    WorkerSigningIn,
    WorkerStarted,
    WorkerStopped,
)
from core.models import PoStatus

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # raw value (int/float/str) for sorting
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2  # (done, found) for the progress delegate
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3  # the PoStatus value of a results row
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 4  # absolute folder of a results row

ModelIndex = QModelIndex | QPersistentModelIndex

# Mid-tone colours: readable as text/decoration on both light and dark backgrounds.
STATUS_COLORS: dict[str, str] = {
    PoStatus.COMPLETED: "#2e9d4f",
    PoStatus.PARTIAL: "#d08c00",
    PoStatus.FAILED: "#d64545",
    PoStatus.NO_ATTACHMENTS: "#8a8f98",
    PoStatus.PO_NOT_FOUND: "#e07b39",
    PoStatus.NO_ACCESS: "#b5478f",  # magenta: an access request to make, unlike a PO that does not exist
    PoStatus.INVALID: "#9c6ad6",
    PoStatus.CANCELLED: "#a3a8b0",  # neutral: a cancelled PO is work not done yet, not a failure
}

# The states' words are translated where they are shown (WorkersModel._display); the model keeps these.
STATE_STARTING = QT_TRANSLATE_NOOP("WorkerState", "starting")
STATE_SIGNING_IN = QT_TRANSLATE_NOOP("WorkerState", "signing in")
STATE_WORKING = QT_TRANSLATE_NOOP("WorkerState", "working")
STATE_IDLE = QT_TRANSLATE_NOOP("WorkerState", "idle")
STATE_PAUSED = QT_TRANSLATE_NOOP("WorkerState", "paused")
STATE_RESTARTING = QT_TRANSLATE_NOOP("WorkerState", "restarting")
STATE_STOPPED = QT_TRANSLATE_NOOP("WorkerState", "stopped")
STATE_CANCELLED = QT_TRANSLATE_NOOP("WorkerState", "cancelled")

MB = 1024 * 1024
# The reason the engine gives when a cancel cuts a PO or a file short: the person asked for it, it is no error.
CANCEL_REASON = "cancelled"


STATUS_LABELS: dict[str, str] = {
    PoStatus.COMPLETED: QT_TRANSLATE_NOOP("Status", "Completed"),
    PoStatus.PARTIAL: QT_TRANSLATE_NOOP("Status", "Partial"),
    PoStatus.FAILED: QT_TRANSLATE_NOOP("Status", "Failed"),
    PoStatus.NO_ATTACHMENTS: QT_TRANSLATE_NOOP("Status", "No attachments"),
    PoStatus.PO_NOT_FOUND: QT_TRANSLATE_NOOP("Status", "Not found"),
    PoStatus.NO_ACCESS: QT_TRANSLATE_NOOP("Status", "No access"),
    PoStatus.INVALID: QT_TRANSLATE_NOOP("Status", "Invalid"),
    PoStatus.CANCELLED: QT_TRANSLATE_NOOP("Status", "Cancelled"),
}


def status_label(status: str) -> str:
    """The words a person reads for a PoStatus value ("PO_NOT_FOUND" -> "Not found"); the raw value stays in reports."""
    label = STATUS_LABELS.get(status)
    return QCoreApplication.translate("Status", label) if label else status.replace("_", " ").capitalize()


@dataclass
class PoProgress:
    """One PO a worker has in hand: its page may be read while an earlier PO's files still download."""

    po_key: str
    folder_name: str
    supplier: str = ""
    files_found: int = 0
    files_done: int = 0
    read: bool = False  # its page was read (AttachmentsFound came): until then the files count is unknown


@dataclass
class WorkerRow:
    worker_id: int
    state: str = STATE_STARTING
    in_flight: dict[str, PoProgress] = field(default_factory=dict)  # po_key -> progress, oldest first
    shown: PoProgress | None = None  # the newest PO started; stays after it finishes until the next one starts
    bytes_done: int = 0  # completed files, whole run
    partial: dict[tuple[str, str], int] = field(default_factory=dict)  # (po_key, file name) -> bytes so far
    pos_done: int = 0
    last_error: str = ""

    @property
    def current(self) -> PoProgress | None:
        """The PO the row shows; none once the worker is idle or gone (its row then says only its state)."""
        return self.shown if self.state in (STATE_WORKING, STATE_SIGNING_IN) else None

    @property
    def po(self) -> str:
        return self.current.folder_name if self.current is not None else ""

    @property
    def supplier(self) -> str:
        return self.current.supplier if self.current is not None else ""

    @property
    def files_found(self) -> int:
        return self.current.files_found if self.current is not None else 0

    @property
    def files_done(self) -> int:
        return self.current.files_done if self.current is not None else 0

    @property
    def megabytes(self) -> float:
        """Every PO's bytes count, whichever one the row shows."""
        return (self.bytes_done + sum(self.partial.values())) / MB

    def drop(self, po_key: str) -> None:
        """The PO left this worker (finished or requeued): forget its in-flight files; keep showing it if newest."""
        self.in_flight.pop(po_key, None)
        self.partial = {key: size for key, size in self.partial.items() if key[0] != po_key}
        if self.shown is not None and self.shown.po_key == po_key and self.in_flight:
            # An older PO is still downloading: show it rather than a finished one.
            self.shown = list(self.in_flight.values())[-1]

    def forget_in_flight(self) -> None:
        self.in_flight, self.partial = {}, {}


class NamedColumns(QAbstractTableModel):
    """A flat table whose columns are named by HEADERS; a subclass says how many rows it has (`row_count`)."""

    HEADERS: tuple[str, ...] = ()

    def row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (
                QCoreApplication.translate("Columns", self.HEADERS[section])
                if 0 <= section < len(self.HEADERS)
                else None
            )
        return None


class WorkersModel(NamedColumns):
    COL_WORKER, COL_STATE, COL_PO, COL_SUPPLIER, COL_FILES, COL_MB, COL_POS, COL_ERROR = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("Columns", "Worker"),
        QT_TRANSLATE_NOOP("Columns", "State"),
        QT_TRANSLATE_NOOP("Columns", "Current PO"),
        QT_TRANSLATE_NOOP("Columns", "Supplier"),
        QT_TRANSLATE_NOOP("Columns", "Files"),
        QT_TRANSLATE_NOOP("Columns", "MB"),
        QT_TRANSLATE_NOOP("Columns", "POs done"),
        QT_TRANSLATE_NOOP("Columns", "Last error"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[WorkerRow] = []
        self._row_of: dict[int, int] = {}

    # -- feeding ------------------------------------------------------------------------------------------------
    def clear(self) -> None:
        self.beginResetModel()
        self._rows, self._row_of = [], {}
        self.endResetModel()

    def rows(self) -> list[WorkerRow]:
        return list(self._rows)

    def apply(self, events: Iterable[Event]) -> None:
        """Fold a batch of events into the rows; then one dataChanged per changed row."""
        changed: set[int] = set()
        for event in events:
            worker_id = getattr(event, "worker_id", None)
            if isinstance(event, RunFinished):
                final = STATE_CANCELLED if event.cancelled else STATE_STOPPED
                for row in self._rows:
                    row.state = final
                    row.forget_in_flight()
                    changed.add(row.worker_id)
                continue
            if isinstance(event, RunContinued):
                for row in self._rows:
                    if row.state == STATE_PAUSED:
                        row.state = STATE_IDLE
                        changed.add(row.worker_id)
                continue
            if worker_id is None:
                continue
            row = self._row(worker_id)
            if self._fold(row, event):
                changed.add(worker_id)
        for worker_id in sorted(changed):
            index = self._row_of[worker_id]
            self.dataChanged.emit(self.index(index, 0), self.index(index, self.columnCount() - 1))

    def _row(self, worker_id: int) -> WorkerRow:
        if worker_id not in self._row_of:
            # Rows stay in worker order, whichever worker reports first.
            position = bisect.bisect([row.worker_id for row in self._rows], worker_id)
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows.insert(position, WorkerRow(worker_id))
            self._row_of = {row.worker_id: index for index, row in enumerate(self._rows)}
            self.endInsertRows()
        return self._rows[self._row_of[worker_id]]

    @staticmethod
    def _fold(row: WorkerRow, event: Event) -> bool:
        # The engine overlaps POs inside one worker: PoStarted(n+1) may come before FileDone/PoFinished(n), so every
        # per-PO event is applied to its own PO (by po_key), never to "whatever the row shows".
        if isinstance(event, WorkerStarted):
            row.state = STATE_STARTING
        elif isinstance(event, WorkerReady):
            row.state = STATE_IDLE
        elif isinstance(event, WorkerSigningIn):
            row.state = STATE_SIGNING_IN
        elif isinstance(event, WorkerPaused):
            row.state = STATE_PAUSED
        elif isinstance(event, PoStarted):
            row.drop(event.po_key)  # a retry starts that PO afresh
            progress = PoProgress(event.po_key, event.folder_name)
            row.in_flight[event.po_key] = progress
            row.state, row.shown = STATE_WORKING, progress
        elif isinstance(event, AttachmentsFound):
            found = row.in_flight.get(event.po_key)
            if found is not None:
                found.supplier, found.files_found, found.read = event.supplier, event.files, True
        elif isinstance(event, FileProgress):
            row.partial[(event.po_key, event.name)] = event.bytes_done
        elif isinstance(event, FileDone):
            row.partial.pop((event.po_key, event.name), None)
            row.bytes_done += event.size
            done = row.in_flight.get(event.po_key)
            if done is not None:
                done.files_done += 1
        elif isinstance(event, FileFailed):
            row.partial.pop((event.po_key, event.name), None)
            if event.error != CANCEL_REASON:
                row.last_error = f"{event.name}: {event.error}"
        elif isinstance(event, PoFinished):
            row.pos_done += 1
            row.drop(event.result.po_key)
            if not row.in_flight:
                row.state = STATE_IDLE
            if event.result.error_message and event.result.status in (PoStatus.FAILED, PoStatus.PARTIAL):
                row.last_error = event.result.error_message
        elif isinstance(event, PoRequeued):
            row.drop(event.po_key)
            if event.reason != CANCEL_REASON:
                row.last_error = f"{event.po_key} retried: {event.reason}"
        elif isinstance(event, WorkerError):
            row.last_error = event.message
        elif isinstance(event, WorkerRestarted):
            row.state, row.last_error = STATE_RESTARTING, event.reason
            row.forget_in_flight()  # the old process and its downloads are gone
        elif isinstance(event, WorkerStopped):
            row.state = STATE_STOPPED
            row.forget_in_flight()
        else:
            return False
        return True

    # -- Qt model API -------------------------------------------------------------------------------------------
    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._raw(row, column)
        current = row.current
        if role == PROGRESS_ROLE and column == self.COL_FILES and current is not None and current.read:
            return (row.files_done, row.files_found)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_ERROR and row.last_error:
            return row.last_error
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_FILES and current and not current.read:
            return QCoreApplication.translate("WorkersModel", "Reading the PO's page")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_FILES:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_WORKER, self.COL_MB, self.COL_POS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_ERROR and row.last_error:
            return QColor(STATUS_COLORS[PoStatus.FAILED])
        return None

    def _display(self, row: WorkerRow, column: int) -> str:
        if column == self.COL_FILES:
            if row.current is None:
                return ""
            # While the newest PO's page is read, "0 / 0" would claim it has no files.
            return f"{row.files_done} / {row.files_found}" if row.current.read else "…"
        if column == self.COL_MB:
            return f"{row.megabytes:.1f}"
        if column == self.COL_STATE:
            return QCoreApplication.translate("WorkerState", row.state)
        if column == self.COL_ERROR:
            return row.last_error.splitlines()[0] if row.last_error else ""
        return str(self._raw(row, column))

    def _raw(self, row: WorkerRow, column: int) -> object:
        values: tuple[object, ...] = (
            row.worker_id,
            row.state,
            row.po,
            row.supplier,
            row.files_done,
            round(row.megabytes, 3),
            row.pos_done,
            row.last_error,
        )
        return values[column] if 0 <= column < len(values) else None

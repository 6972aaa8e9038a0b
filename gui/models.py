"""Table models: one row per worker (refreshed from coalesced events) and one row per finished PO.

Both follow qBittorrent's transfer list: named column constants, a raw-value role for sorting, and one
`dataChanged` per changed row per refresh, never one per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
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
    RunFinished,
    WorkerError,
    WorkerReady,
    WorkerRestarted,
    WorkerSigningIn,
    WorkerStarted,
    WorkerStopped,
)
from core.models import PoResult, PoStatus

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
    PoStatus.INVALID: "#9c6ad6",
    PoStatus.CANCELLED: "#4a8fd9",
}

STATE_STARTING = "starting"
STATE_SIGNING_IN = "signing in"
STATE_WORKING = "working"
STATE_IDLE = "idle"
STATE_RESTARTING = "restarting"
STATE_STOPPED = "stopped"
STATE_CANCELLED = "cancelled"

MB = 1024 * 1024


@dataclass
class WorkerRow:
    worker_id: int
    state: str = STATE_STARTING
    po: str = ""
    supplier: str = ""
    files_found: int = 0
    files_done: int = 0
    bytes_done: int = 0  # completed files, whole run
    partial: dict[str, int] = field(default_factory=dict)  # file name -> bytes so far (in flight)
    pos_done: int = 0
    last_error: str = ""

    @property
    def megabytes(self) -> float:
        return (self.bytes_done + sum(self.partial.values())) / MB


class WorkersModel(QAbstractTableModel):
    COL_WORKER, COL_STATE, COL_PO, COL_SUPPLIER, COL_FILES, COL_MB, COL_POS, COL_ERROR = range(8)
    HEADERS = ("Worker", "State", "Current PO", "Supplier", "Files", "MB", "POs done", "Last error")

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
                    row.state, row.partial = final, {}
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
            position = len(self._rows)
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows.append(WorkerRow(worker_id))
            self._row_of[worker_id] = position
            self.endInsertRows()
        return self._rows[self._row_of[worker_id]]

    @staticmethod
    def _fold(row: WorkerRow, event: Event) -> bool:
        if isinstance(event, WorkerStarted):
            row.state = STATE_STARTING
        elif isinstance(event, WorkerReady):
            row.state = STATE_IDLE
        elif isinstance(event, WorkerSigningIn):
            row.state = STATE_SIGNING_IN
        elif isinstance(event, PoStarted):
            row.state, row.po, row.supplier = STATE_WORKING, event.folder_name, ""
            row.files_found = row.files_done = 0
            row.partial = {}
        elif isinstance(event, AttachmentsFound):
            row.supplier, row.files_found = event.supplier, event.files
        elif isinstance(event, FileProgress):
            row.partial[event.name] = event.bytes_done
        elif isinstance(event, FileDone):
            row.partial.pop(event.name, None)
            row.files_done += 1
            row.bytes_done += event.size
        elif isinstance(event, FileFailed):
            row.partial.pop(event.name, None)
            row.last_error = f"{event.name}: {event.error}"
        elif isinstance(event, PoFinished):
            row.pos_done += 1
            row.state, row.partial = STATE_IDLE, {}
            if event.result.error_message and event.result.status in (PoStatus.FAILED, PoStatus.PARTIAL):
                row.last_error = event.result.error_message
        elif isinstance(event, PoRequeued):
            row.last_error = f"{event.po_key} retried: {event.reason}"
        elif isinstance(event, WorkerError):
            row.last_error = event.message
        elif isinstance(event, WorkerRestarted):
            row.state, row.last_error = STATE_RESTARTING, event.reason
        elif isinstance(event, WorkerStopped):
            row.state, row.partial = STATE_STOPPED, {}
        else:
            return False
        return True

    # -- Qt model API -------------------------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._raw(row, column)
        if role == PROGRESS_ROLE and column == self.COL_FILES:
            return (row.files_done, row.files_found)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_ERROR and row.last_error:
            return row.last_error
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_WORKER, self.COL_MB, self.COL_POS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_ERROR and row.last_error:
            return QColor(STATUS_COLORS[PoStatus.FAILED])
        return None

    def _display(self, row: WorkerRow, column: int) -> str:
        if column == self.COL_FILES:
            return f"{row.files_done} / {row.files_found}" if row.po else ""
        if column == self.COL_MB:
            return f"{row.megabytes:.1f}"
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


class ResultsModel(QAbstractTableModel):
    COL_PO, COL_STATUS, COL_SUPPLIER, COL_FILES, COL_FOLDER, COL_MESSAGE = range(6)
    HEADERS = ("PO", "Status", "Supplier", "Files", "Folder", "Message")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: list[PoResult] = []
        self._row_of: dict[str, int] = {}

    def clear(self) -> None:
        self.beginResetModel()
        self._results, self._row_of = [], {}
        self.endResetModel()

    def results(self) -> list[PoResult]:
        return list(self._results)

    def add_results(self, results: Sequence[PoResult]) -> None:
        """Add new POs in one insert, update known ones with one dataChanged each (a requeued PO may repeat)."""
        new: list[PoResult] = []
        for result in results:
            position = self._row_of.get(result.po_key)
            if position is None:
                new.append(result)
                continue
            self._results[position] = result
            self.dataChanged.emit(self.index(position, 0), self.index(position, self.columnCount() - 1))
        if new:
            # A batch may name the same new PO twice: keep the last.
            unique = list({r.po_key: r for r in new}.values())
            first = len(self._results)
            self.beginInsertRows(QModelIndex(), first, first + len(unique) - 1)
            for result in unique:
                self._row_of[result.po_key] = len(self._results)
                self._results.append(result)
            self.endInsertRows()

    def replace_all(self, results: Sequence[PoResult]) -> None:
        self.beginResetModel()
        self._results = list(results)
        self._row_of = {r.po_key: i for i, r in enumerate(self._results)}
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._results)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        result, column = self._results[index.row()], index.column()
        status = result.status.value
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_FILES:
                return f"{result.attachments_downloaded} / {result.attachments_found}"
            if column == self.COL_FOLDER:
                return Path(result.folder).name if result.folder else ""
            return str(self._raw(result, column))
        if role == SORT_ROLE:
            return self._raw(result, column)
        if role == STATUS_ROLE:
            return status
        if role == FOLDER_ROLE:
            return result.folder
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_STATUS:
            return QColor(STATUS_COLORS.get(status, "#8a8f98"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_FOLDER and result.folder:
                return f"{result.folder}\nDouble-click to open it."
            if column == self.COL_MESSAGE and result.error_message:
                return result.error_message
        return None

    def _raw(self, result: PoResult, column: int) -> object:
        values: tuple[object, ...] = (
            result.po_key,
            result.status.value,
            result.supplier,
            result.attachments_downloaded,
            result.folder,
            result.error_message,
        )
        return values[column] if 0 <= column < len(values) else None


class ResultsFilter(QSortFilterProxyModel):
    """Shows the rows of one status (or all); sorts on raw values."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = ""
        self.setSortRole(SORT_ROLE)

    def set_status(self, status: str) -> None:
        """'' shows every status."""
        # Qt 6.10's begin/endFilterChange replaces the deprecated invalidateFilter().
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self._status:
            return True
        model = self.sourceModel()
        return bool(model.data(model.index(source_row, 0, source_parent), STATUS_ROLE) == self._status)

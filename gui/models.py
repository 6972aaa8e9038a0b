"""Table models: one row per worker (refreshed from coalesced events) and one row per finished PO.

Both follow qBittorrent's transfer list: named column constants, a raw-value role for sorting, and one
`dataChanged` per changed row per refresh, never one per event.
"""

from __future__ import annotations

import bisect
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
    PoStatus.NO_ACCESS: "#b5478f",  # magenta: an access request to make, unlike a PO that does not exist
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


STATUS_LABELS: dict[str, str] = {
    PoStatus.COMPLETED: "Completed",
    PoStatus.PARTIAL: "Partial",
    PoStatus.FAILED: "Failed",
    PoStatus.NO_ATTACHMENTS: "No attachments",
    PoStatus.PO_NOT_FOUND: "Not found",
    PoStatus.NO_ACCESS: "No access",
    PoStatus.INVALID: "Invalid",
    PoStatus.CANCELLED: "Cancelled",
}


def status_label(status: str) -> str:
    """The words a person reads for a PoStatus value ("PO_NOT_FOUND" -> "Not found"); the raw value stays in reports."""
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


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
    def po(self) -> str:
        return self.shown.folder_name if self.shown is not None else ""

    @property
    def supplier(self) -> str:
        return self.shown.supplier if self.shown is not None else ""

    @property
    def files_found(self) -> int:
        return self.shown.files_found if self.shown is not None else 0

    @property
    def files_done(self) -> int:
        return self.shown.files_done if self.shown is not None else 0

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
                    row.state = final
                    row.forget_in_flight()
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
        if role == PROGRESS_ROLE and column == self.COL_FILES and row.shown is not None and row.shown.read:
            return (row.files_done, row.files_found)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_ERROR and row.last_error:
            return row.last_error
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_FILES and row.shown and not row.shown.read:
            return "Reading the PO's page"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_FILES:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_WORKER, self.COL_MB, self.COL_POS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_ERROR and row.last_error:
            return QColor(STATUS_COLORS[PoStatus.FAILED])
        return None

    def _display(self, row: WorkerRow, column: int) -> str:
        if column == self.COL_FILES:
            if row.shown is None:
                return ""
            # While the newest PO's page is read, "0 / 0" would claim it has no files.
            return f"{row.files_done} / {row.files_found}" if row.shown.read else "…"
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
            if column == self.COL_STATUS:
                return status_label(status)
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

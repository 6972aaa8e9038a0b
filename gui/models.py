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
    """One PO a worker has in hand (several at once: one per tab, plus an earlier PO whose files still download)."""

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
    bytes_done: int = 0  # completed files, whole run
    # (po_key, file name) -> (bytes so far, total or None when the server gave no size): the files downloading now
    partial: dict[tuple[str, str], tuple[int, int | None]] = field(default_factory=dict)
    pos_done: int = 0
    last_error: str = ""

    @property
    def shown(self) -> list[PoProgress]:
        """The POs the row shows, oldest first; none once the worker is idle or gone (its row then says its state)."""
        return list(self.in_flight.values()) if self.state in (STATE_WORKING, STATE_SIGNING_IN) else []

    @property
    def po(self) -> str:
        """ "PO123" for one PO, "3 POs: PO123, PO124, PO125" for several (the column elides, the tooltip lists)."""
        names = [progress.folder_name for progress in self.shown]
        if len(names) <= 1:
            return "".join(names)
        return QCoreApplication.translate("WorkersModel", "{n} POs: {names}").format(
            n=len(names), names=", ".join(names)
        )

    @property
    def supplier(self) -> str:
        return ", ".join(dict.fromkeys(progress.supplier for progress in self.shown if progress.supplier))

    @property
    def files(self) -> tuple[int, int] | None:
        """(done, found) over the shown POs whose page was read; None while none was (the count is unknown)."""
        read = [progress for progress in self.shown if progress.read]
        if not read:
            return None
        return sum(progress.files_done for progress in read), sum(progress.files_found for progress in read)

    @property
    def files_done(self) -> int:
        files = self.files
        return files[0] if files is not None else 0

    @property
    def downloading(self) -> tuple[int, int, int]:
        """(files downloading now, their bytes so far, their total bytes)."""
        return (
            len(self.partial),
            sum(done for done, _total in self.partial.values()),
            sum(max(done, total or 0) for done, total in self.partial.values()),  # an unknown size: what came so far
        )

    @property
    def megabytes(self) -> float:
        """Every PO's bytes count, the files still downloading included."""
        return (self.bytes_done + sum(done for done, _total in self.partial.values())) / MB

    def drop(self, po_key: str) -> None:
        """The PO left this worker (finished or requeued): forget it and its in-flight files."""
        self.in_flight.pop(po_key, None)
        self.partial = {key: size for key, size in self.partial.items() if key[0] != po_key}
        # The last PO in hand is done: so is any sign-in it needed (with POs left, they may still wait on it).
        if not self.in_flight and self.state in (STATE_WORKING, STATE_SIGNING_IN):
            self.state = STATE_IDLE

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
        QT_TRANSLATE_NOOP("Columns", "Current POs"),
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
        # A worker keeps several POs in flight (one per tab, plus an earlier PO whose files still download), so their
        # events interleave: every per-PO event is applied to its own PO (by po_key), never to "the row's PO".
        if isinstance(event, WorkerStarted):
            row.state = STATE_STARTING
        elif isinstance(event, WorkerReady):
            row.state = STATE_IDLE
        elif isinstance(event, WorkerSigningIn):
            row.state = STATE_SIGNING_IN  # its POs stay in hand: they go on once the session is back
        elif isinstance(event, WorkerPaused):
            row.state = STATE_PAUSED
        elif isinstance(event, PoStarted):
            row.drop(event.po_key)  # a retry starts that PO afresh
            row.in_flight[event.po_key] = PoProgress(event.po_key, event.folder_name)
            row.state = STATE_WORKING
        elif isinstance(event, AttachmentsFound):
            found = row.in_flight.get(event.po_key)
            if found is not None:
                found.supplier, found.files_found, found.read = event.supplier, event.files, True
        elif isinstance(event, FileProgress):
            if event.po_key in row.in_flight:  # a late report of a PO already gone would stay "downloading" forever
                row.partial[(event.po_key, event.name)] = (event.bytes_done, event.total)
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
            row.forget_in_flight()  # the old process, its tabs and its downloads are gone (its POs were requeued)
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
        if role == PROGRESS_ROLE and column == self.COL_FILES:
            return row.files
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_FILES:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_WORKER, self.COL_MB, self.COL_POS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_ERROR and row.last_error:
            return QColor(STATUS_COLORS[PoStatus.FAILED])
        return None

    def _display(self, row: WorkerRow, column: int) -> str:
        if column == self.COL_FILES:
            if not row.shown:
                return ""
            files = row.files
            # While the POs' pages are read, "0 / 0" would claim they have no files.
            return f"{files[0]} / {files[1]}" if files is not None else "…"
        if column == self.COL_MB:
            return f"{row.megabytes:.1f}"
        if column == self.COL_STATE:
            return QCoreApplication.translate("WorkerState", row.state)
        if column == self.COL_ERROR:
            return row.last_error.splitlines()[0] if row.last_error else ""
        return str(self._raw(row, column))

    def _tooltip(self, row: WorkerRow, column: int) -> str | None:
        if column == self.COL_ERROR:
            return row.last_error or None
        if column not in (self.COL_PO, self.COL_SUPPLIER, self.COL_FILES, self.COL_MB) or not row.shown:
            return None
        # Every PO in hand on its own line (the PO column elides them), then what is downloading now.
        lines = []
        for progress in row.shown:
            if not progress.read:
                text = QCoreApplication.translate("WorkersModel", "{po}: reading the PO's page")
            elif progress.supplier:
                text = QCoreApplication.translate("WorkersModel", "{po} ({supplier}): {done} / {found} files")
            else:
                text = QCoreApplication.translate("WorkersModel", "{po}: {done} / {found} files")
            lines.append(
                text.format(
                    po=progress.folder_name,
                    supplier=progress.supplier,
                    done=progress.files_done,
                    found=progress.files_found,
                )
            )
        files, done, total = row.downloading
        if files:
            text = QCoreApplication.translate(
                "WorkersModel", "Downloading {files} file(s): {done:.1f} of {total:.1f} MB"
            )
            lines.append(text.format(files=files, done=done / MB, total=total / MB))
        return "\n".join(lines)

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

"""The results table: one row per finished PO (its model and status filter), double-click to open the PO's folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from core.models import PoResult, PoStatus
from gui.models import FOLDER_ROLE, SORT_ROLE, STATUS_COLORS, STATUS_ROLE, ModelIndex, NamedColumns, status_label
from gui.widgets import fit_columns, start_widths, tidy_table

FOLDER_SAMPLE = "PO12345678_NO_ATTACHMENTS"  # the Folder column starts wide enough for a folder name like this
# Columns sized to their content measure the rows on screen plus this many: Qt's default (1,000) costs the window
# 130 ms each time 5,000 results are replaced at a run's end, for columns whose widths hardly vary from row to row.
FIT_ROWS = 100


def _shown(result: PoResult) -> tuple[object, ...]:
    """What a results row shows of a PO (its cells and tooltips)."""
    return (
        result.status,
        result.supplier,
        result.attachments_found,
        result.attachments_downloaded,
        result.emails_converted,
        result.files_extracted,
        result.folder,
        result.error_message,
    )


class ResultsModel(NamedColumns):
    COL_PO, COL_STATUS, COL_SUPPLIER, COL_FILES, COL_EMAILS, COL_FOLDER, COL_MESSAGE = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("Columns", "PO"),
        QT_TRANSLATE_NOOP("Columns", "Status"),
        QT_TRANSLATE_NOOP("Columns", "Supplier"),
        QT_TRANSLATE_NOOP("Columns", "Files"),
        QT_TRANSLATE_NOOP("Columns", "E-mails"),
        QT_TRANSLATE_NOOP("Columns", "Folder"),
        QT_TRANSLATE_NOOP("Columns", "Message"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: list[PoResult] = []
        self._row_of: dict[str, int] = {}
        self._run_folder: Path | None = None
        self._written: Mapping[str, str] = {}

    def clear(self, run_folder: Path | None = None, written: Mapping[str, str] | None = None) -> None:
        """Start a run's list: folders are shown inside `run_folder`, POs as `written` ({po_key: PO as written})."""
        self.beginResetModel()
        self._results, self._row_of = [], {}
        self._run_folder, self._written = run_folder, dict(written or {})
        self.endResetModel()

    def po_text(self, result: PoResult) -> str:
        return self._written.get(result.po_key, result.po_key)

    def folder_text(self, result: PoResult) -> str:
        """The PO folder's path inside the run ("Supplier/PO123"), so two suppliers' folders are told apart."""
        if not result.folder:
            return ""
        folder = Path(result.folder)
        if self._run_folder is not None and folder.is_relative_to(self._run_folder):
            return str(folder.relative_to(self._run_folder))
        return folder.name

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

    def settle(self, results: Sequence[PoResult]) -> None:
        """The run's final answers (its journal's). The rows shown stay where they are and only those that now read
        differently change: a model reset would make a view the person sorted sort all again (760 ms for 5,000 POs
        by status). POs never shown (marked CANCELLED at the end, or an earlier run's) are added; a list without a
        PO shown replaces them all."""
        if not self._row_of.keys() <= {result.po_key for result in results}:
            self.beginResetModel()
            self._results = list(results)
            self._row_of = {r.po_key: i for i, r in enumerate(self._results)}
            self.endResetModel()
            return
        changed = []
        for result in results:
            position = self._row_of.get(result.po_key)
            if position is not None and _shown(self._results[position]) == _shown(result):
                self._results[position] = result  # reads the same on screen: no signal, no sorting
            else:
                changed.append(result)
        self.add_results(changed)

    def row_count(self) -> int:
        return len(self._results)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        result, column = self._results[index.row()], index.column()
        status = result.status.value
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_FILES:
                return f"{result.attachments_downloaded} / {result.attachments_found}"
            if column == self.COL_EMAILS:
                text = QCoreApplication.translate("ResultsModel", "{n} to PDF")
                return text.format(n=result.emails_converted) if result.emails_converted else ""
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
                return result.folder + "\n" + QCoreApplication.translate("ResultsModel", "Double-click to open it.")
            if column == self.COL_MESSAGE and result.error_message:
                return result.error_message
            if column == self.COL_EMAILS and result.emails_converted:
                text = QCoreApplication.translate(
                    "ResultsModel", "{emails} saved e-mail(s) converted to PDF, {files} file(s) extracted from them"
                )
                return text.format(emails=result.emails_converted, files=result.files_extracted)
        return None

    def _raw(self, result: PoResult, column: int) -> object:
        # One column's value only: sizing and sorting ask for one cell at a time, thousands of times (the folder's
        # path arithmetic alone made every cell cost as much as a whole row).
        if column == self.COL_PO:
            return self.po_text(result)
        if column == self.COL_STATUS:
            return result.status.value
        if column == self.COL_SUPPLIER:
            return result.supplier
        if column == self.COL_FILES:
            return result.attachments_downloaded
        if column == self.COL_EMAILS:
            return result.emails_converted
        if column == self.COL_FOLDER:
            return self.folder_text(result)
        if column == self.COL_MESSAGE:
            return result.error_message
        return None


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


class ResultsPane(QWidget):
    folder_activated = Signal(str)  # the double-clicked row's folder ("" when it has none yet)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ResultsModel(self)
        self.proxy = ResultsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setObjectName("results_view")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(self._activated)
        tidy_table(self.view)
        self.fit_columns()
        start_widths(self.view, {ResultsModel.COL_FOLDER: FOLDER_SAMPLE})

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        self.status_filter.setToolTip(self.tr("Show the POs of one status only"))
        self.status_filter.addItem(self.tr("All statuses"), "")
        for status in PoStatus:
            self.status_filter.addItem(status_label(status.value), status.value)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(str(self.status_filter.currentData() or ""))
        )
        header = QHBoxLayout()
        filter_label = QLabel(self.tr("Show:"))
        filter_label.setBuddy(self.status_filter)
        header.addWidget(QLabel(self.tr("<b>Results</b> (double-click a row to open its folder)")), 1)
        header.addWidget(filter_label)
        header.addWidget(self.status_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.view)

    def fit_columns(self) -> None:
        # The folder name is long and says little the PO and status don't: the person may narrow or widen it.
        fit_columns(
            self.view,
            stretch=(ResultsModel.COL_SUPPLIER, ResultsModel.COL_MESSAGE),
            interactive=(ResultsModel.COL_FOLDER,),
        )
        self.view.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)  # a saved header state holds it too

    def _activated(self, index: QModelIndex) -> None:
        self.folder_activated.emit(str(self.proxy.data(index, FOLDER_ROLE) or ""))

"""The results table: one row per finished PO, a status filter, and double-click to open the PO's folder."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from core.models import PoStatus
from gui.models import FOLDER_ROLE, ResultsFilter, ResultsModel, status_label
from gui.widgets import fit_columns, start_widths, tidy_table

FOLDER_SAMPLE = "PO12345678_NO_ATTACHMENTS"  # the Folder column starts wide enough for a folder name like this


class ResultsPane(QWidget):
    folder_activated = Signal(str)  # the double-clicked row's folder ("" when it has none yet)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ResultsModel(self)
        self.proxy = ResultsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(self._activated)
        tidy_table(self.view)
        self.fit_columns()
        start_widths(self.view, {ResultsModel.COL_FOLDER: FOLDER_SAMPLE})

        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", "")
        for status in PoStatus:
            self.status_filter.addItem(status_label(status.value), status.value)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(str(self.status_filter.currentData() or ""))
        )
        header = QHBoxLayout()
        filter_label = QLabel("Sho&w:")
        filter_label.setBuddy(self.status_filter)
        header.addWidget(QLabel("<b>Results</b> (double-click a row to open its folder)"), 1)
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

    def _activated(self, index: QModelIndex) -> None:
        self.folder_activated.emit(str(self.proxy.data(index, FOLDER_ROLE) or ""))

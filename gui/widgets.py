"""Small widgets of the window: the drop zone, status chips, a collapsible section and the tables' common look."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".csv")
DROP_PROMPT = QT_TRANSLATE_NOOP("DropZone", "Drop a PO spreadsheet here or")


def dropped_file(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> Path | None:
    """The first local file of a drag, if it is a spreadsheet we read."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in ACCEPTED_SUFFIXES:
                return path
    return None


class DropZone(QFrame):
    """A dashed box that takes a dropped .xlsx/.csv, with a Browse… button for the keyboard and mouse alike."""

    file_chosen = Signal(Path)
    browse_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DropZone")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setProperty("hovering", False)
        layout = QHBoxLayout(self)
        self.label = QLabel(self.tr(DROP_PROMPT))
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setWordWrap(True)
        self.browse_button = QPushButton(self.tr("&Browse…"))
        self.browse_button.setObjectName("browse_button")
        self.browse_button.setToolTip(self.tr("Choose an .xlsx or .csv file with a PO_NUMBER column"))
        self.browse_button.clicked.connect(self.browse_requested)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.browse_button)

    def set_file(self, path: Path | None, detail: str = "") -> None:
        if path is None:
            self.label.setText(self.tr(DROP_PROMPT))
        else:
            suffix = f"  <span>{html.escape(detail)}</span>" if detail else ""
            self.label.setText(f"<b>{html.escape(path.name)}</b>{suffix}")
            self.label.setToolTip(str(path))

    def _set_hovering(self, hovering: bool) -> None:
        self.setProperty("hovering", hovering)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_file(event) is not None:
            event.acceptProposedAction()
            self._set_hovering(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self._set_hovering(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_hovering(False)
        path = dropped_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.file_chosen.emit(path)


def _text_color_for(background: str) -> str:
    color = QColor(background)
    luminance = 0.299 * color.red() + 0.587 * color.green() + 0.114 * color.blue()
    return "#111111" if luminance > 150 else "#ffffff"


class StatusChip(QLabel):
    """A coloured pill 'COMPLETED 12'. Own background and text colours, so it reads the same in light and dark."""

    def __init__(self, status: str, color: str, label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.label = label or status.replace("_", " ").capitalize()
        self.count = 0
        self.setObjectName("StatusChip")
        self.setStyleSheet(
            f"QLabel#StatusChip {{ background: {color}; color: {_text_color_for(color)}; border-radius: 0.6em;"
            " padding: 0.15em 0.6em; font-weight: 600; }"
        )
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.count = count
        self.setText(f"{self.label} {count}")
        self.setVisible(count > 0)


class Collapsible(QWidget):
    """A titled toggle that shows or hides its content (keyboard: Space on the toggle)."""

    toggled = Signal(bool)

    def __init__(
        self, title: str, content: QWidget, tip: str, expanded: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.content = content
        self.toggle = QToolButton()
        self.toggle.setText(title)
        self.toggle.setToolTip(tip)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self.set_expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(content)
        self.toggle.setChecked(expanded)
        self.set_expanded(expanded)

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)  # re-enters through the signal
            return
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.content.setVisible(expanded)
        self.toggled.emit(expanded)


class MessageLine(QLabel):
    """The line under the file row: errors in red, notes in the normal colour, text the person can select and copy.

    It always holds two lines of room, so nothing below it moves when a message comes or goes. A message may name
    its cause ("destination", "input", "portal"): it disappears as soon as that cause changes (`cause_changed`).
    """

    def __init__(self, error_color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message_line")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + self.margin() * 2)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._error_color = error_color
        self.cause = ""
        self.is_error = False

    def say(self, text: str, *, error: bool = False, cause: str = "") -> None:
        self.setText(text)
        self.is_error, self.cause = error and bool(text), cause if text else ""
        self.setStyleSheet(f"color: {self._error_color}; font-weight: 600;" if self.is_error else "")

    def cause_changed(self, cause: str) -> None:
        if self.cause == cause:
            self.say("")


def keep_place(widget: QWidget) -> None:
    """A hidden widget keeps its room, so nothing after it moves when it comes and goes (clicks land where aimed)."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def tidy_table(view: QTableView) -> None:
    """Common table look: whole-row selection, no editing, rows as tall as the font wants (150% scaling stays tidy)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    view.horizontalHeader().setHighlightSections(False)
    view.verticalHeader().setDefaultSectionSize(int(view.fontMetrics().height() * 1.6))


def fit_columns(view: QTableView, stretch: Iterable[int], interactive: Iterable[int] = ()) -> None:
    """Short columns fit their content, `stretch` ones share the rest, `interactive` ones are the person's to size.

    Called again after a saved header state is restored: the modes are layout, not preference.
    """
    header = view.horizontalHeader()
    stretch, interactive = set(stretch), set(interactive)
    for column in range(header.count()):
        if column in stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        elif column in interactive:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)


def start_widths(view: QTableView, samples: dict[int, str]) -> None:
    """First-run widths of the interactive columns: wide enough for a typical value ({column: sample text}).

    Measured with the view's font, so they scale with it (150% scaling stays tidy).
    """
    metrics = view.fontMetrics()
    for column, sample in samples.items():
        view.setColumnWidth(column, metrics.horizontalAdvance(sample) + metrics.averageCharWidth() * 3)

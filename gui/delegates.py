"""A progress bar painted by the style into a table cell: no widget per cell (qBittorrent's approach)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionProgressBar, QStyleOptionViewItem

from gui.models import PROGRESS_ROLE

WIDEST_TEXT = "888 / 888"  # the bar is at least this wide, so counts never squeeze it


class ProgressDelegate(QStyledItemDelegate):
    """Paints `PROGRESS_ROLE` = (done, total) as 'done / total' on a progress bar; other cells as usual."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        metrics = option.fontMetrics
        return QSize(max(hint.width(), metrics.horizontalAdvance(WIDEST_TEXT) + metrics.height() * 2), hint.height())

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        value = index.data(PROGRESS_ROLE)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(value, tuple) or not text:
            super().paint(painter, option, index)
            return
        done, total = value
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        bar = QStyleOptionProgressBar()
        # A small inset keeps neighbouring bars apart; it scales with the font, not fixed pixels.
        margin = max(1, option.fontMetrics.height() // 8)
        bar.rect = option.rect.adjusted(margin, margin, -margin, -margin)
        bar.state = option.state | QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        bar.direction = option.direction
        bar.fontMetrics = option.fontMetrics
        bar.palette = option.palette
        bar.minimum = 0
        bar.maximum = max(total, 1)
        bar.progress = min(done, max(total, 1)) if total else 0
        bar.text = str(text)
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)

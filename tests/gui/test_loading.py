"""Loading a spreadsheet: Browse/drop, xlsx and csv, counts, sheet and column pickers, unreadable files."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from core.demo_portal import DemoDataset, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from tests.gui.conftest import wait_loaded

pytestmark = pytest.mark.timeout(60)


def _sample(tmp_path: Path, count: int = 12) -> Path:
    return write_sample_spreadsheet(DemoDataset(PortalKnobs(po_count=count)), tmp_path / "pos.xlsx", count)


def test_xlsx_shows_counts_sheets_and_columns(qtbot, window, tmp_path: Path) -> None:
    window.load_file(_sample(tmp_path))
    wait_loaded(qtbot, window)
    assert window.input is not None
    # The sample has 12 POs, one "N/A" row and the first PO written again.
    assert window.input_area.counts_label.text() == "12 POs (1 invalid, 1 duplicate, 0 already completed)"
    assert window.input_area.column_combo.currentText() == "PO_NUMBER"
    assert (
        window.input_area.sheet_combo.isVisible()
        and window.input_area.sheet_combo.currentText() == window.input.sheet.sheet_name
    )
    assert window.buttons.start_button.isEnabled()
    assert window.input_area.invalid_button.isEnabled()
    assert "'N/A'" in window.input_area.invalid_rows_text()


def test_csv_with_semicolons_and_completed_rows(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "Order Number;STATUS;Supplier\nPO1000001;;A\nPO1000002;COMPLETED;B\n1000003;;C\nhello;;D\n1000001;;A\n",
        encoding="utf-8",
    )
    window.load_file(path)
    wait_loaded(qtbot, window)
    assert window.input_area.counts_label.text() == "2 POs (1 invalid, 1 duplicate, 1 already completed)"
    assert window.input_area.column_combo.currentText() == "Order Number"
    assert not window.input_area.sheet_combo.isVisible()  # a csv has no sheets

    window.settings_panel.redo_completed.setChecked(True)  # reloads: the COMPLETED row counts again
    qtbot.waitUntil(lambda: window.input_area.counts_label.text().startswith("3 POs"), timeout=10_000)


def test_choosing_another_po_column_rereads(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("PO_NUMBER,Other\nPO1000001,PO2000001\nPO1000002,PO2000002\n,PO2000003\n", encoding="utf-8")
    window.load_file(path)
    wait_loaded(qtbot, window)
    assert window.input_area.counts_label.text().startswith("2 POs")
    window.input_area.column_combo.setCurrentText("Other")
    window.input_area.column_combo.activated.emit(window.input_area.column_combo.currentIndex())
    qtbot.waitUntil(lambda: window.input_area.counts_label.text().startswith("3 POs"), timeout=10_000)
    assert window.input.sheet.po_column == "Other"


def test_dropping_a_file_loads_it(qtbot, window, tmp_path: Path) -> None:
    path = _sample(tmp_path, 6)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    zone = window.input_area.drop_zone
    # Qt delivers a drop only to the widget that accepted the drag's enter event, as a real drag does.
    enter = QDragEnterEvent(
        zone.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(zone, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(zone.rect().center()),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(zone, drop)
    wait_loaded(qtbot, window)
    assert window.input is not None and window.input.sheet.path == path
    assert path.name in zone.label.text()


def test_dropping_something_else_is_refused(qtbot, window, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    enter = QDragEnterEvent(
        QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window.input_area.drop_zone, enter)
    assert not enter.isAccepted()  # the drag shows "no entry": only .xlsx/.xlsm/.csv are taken
    assert window.input_path is None


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.xlsx", b"this is not a workbook at all", "broken.xlsx"),
        ("nopo.csv", b"Supplier,Amount\nA,1\n", "no PO column"),
    ],
)
def test_unreadable_file_gives_a_clear_message(
    qtbot, window, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    window.load_file(path)
    qtbot.waitUntil(lambda: bool(window.message_line.text()), timeout=10_000)
    text = window.message_line.text()
    assert expected in text
    assert "Traceback" not in text
    assert window.input is None
    assert not window.buttons.start_button.isEnabled()


def test_empty_workbook_sheet_choice(qtbot, window, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing here"])
    data = book.create_sheet("PO_Data")
    data.append(["PO_NUMBER"])
    data.append(["PO1234567"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    window.load_file(path)
    wait_loaded(qtbot, window)
    assert window.input_area.sheet_combo.currentText() == "PO_Data"  # the default sheet name wins over the first sheet
    assert [window.input_area.sheet_combo.itemText(i) for i in range(window.input_area.sheet_combo.count())] == [
        "Notes",
        "PO_Data",
    ]
    window.input_area.sheet_combo.setCurrentText("Notes")
    window.input_area.sheet_combo.activated.emit(window.input_area.sheet_combo.currentIndex())
    qtbot.waitUntil(lambda: bool(window.message_line.text()), timeout=10_000)
    assert "no PO column" in window.message_line.text()

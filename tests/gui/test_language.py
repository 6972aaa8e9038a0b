"""The window speaks Brazilian Portuguese: compiled from the .ts in the repo, no English left in its widgets."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel, QLineEdit, QTableView, QWidget

from gui.i18n import language_for
from tests.gui.test_first_time_user import mnemonic_clashes

pytestmark = pytest.mark.timeout(60)

# Words of the English texts that have no place in the Portuguese window (product names and codes aside).
ENGLISH = re.compile(
    r"\b(the|and|with|from|your|Start|Cancel|Resume|Browse|Open|Choose|Settings|Workers?|Results|Advanced|folder|"
    r"report|Sign|Show|Copy|Hide|Drop|Try|Limit|Redo|Take|Files|Supplier|Message|Current|Destination|Browser|"
    r"Downloads|Language|None|All|idle|starting|Completed|Failed|Cancelled|done)\b"
)


def _sources(ts: Path) -> set[str]:
    return {m.findtext("source") or "" for m in ET.parse(ts).getroot().iter("message")}


def _texts(window: QWidget) -> list[str]:
    texts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        texts.append(widget.toolTip())
        if isinstance(widget, QAbstractButton | QLabel):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTableView):
            model = widget.model()
            texts += [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    return [text for text in texts if text]


def test_the_window_in_portuguese_has_no_english_left(qtbot, portuguese: Path) -> None:
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.settings_panel.advanced.set_expanded(True)
    window.log_section.set_expanded(True)
    texts = _texts(window)
    english = _sources(portuguese)
    left = [t for t in texts if t in english and t not in ("PO", "MB", "Chromium", "E-mails", "{rate} POs/min")]
    left += [t for t in texts if ENGLISH.search(t.replace("Google Chrome", "").replace("Microsoft Edge", ""))]
    assert not left, left
    assert window.buttons.start_button.text() == "&Iniciar"
    assert window.results_pane.model.headerData(1, Qt.Orientation.Horizontal) == "Situação"
    assert not mnemonic_clashes(window)  # the Portuguese Alt keys are unique too


def test_the_language_follows_the_system_unless_chosen() -> None:
    assert language_for("", system="pt_BR") == "pt_BR"
    assert language_for("", system="pt_PT") == "pt_BR"
    assert language_for("", system="de_DE") == "en"
    assert language_for("en", system="pt_BR") == "en"
    assert language_for("pt_BR", system="en_US") == "pt_BR"


def test_the_language_choice_is_remembered(qtbot) -> None:
    from gui.main_window import MainWindow
    from gui.settings import GuiSettings

    first = MainWindow()
    qtbot.addWidget(first)
    combo = first.settings_panel.language
    combo.setCurrentIndex(combo.findData("pt_BR"))
    first.close()
    assert GuiSettings().text("language") == "pt_BR"  # what run_gui installs at the next start
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.settings_panel.language.currentData() == "pt_BR"


def test_the_history_dialog_in_portuguese_has_no_english_left(qtbot, portuguese: Path) -> None:
    from gui.history_dialog import HistoryDialog

    dialog = HistoryDialog()
    qtbot.addWidget(dialog)
    texts = _texts(dialog)
    english = _sources(portuguese)
    left = [t for t in texts if t in english and t not in ("POs", "POs/min")]
    left += [t for t in texts if ENGLISH.search(t)]
    assert not left, left
    assert dialog.model.headerData(0, Qt.Orientation.Horizontal) == "Início"

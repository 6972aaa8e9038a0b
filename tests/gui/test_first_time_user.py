"""The walls a first-time user hit (GUI.md, "What a first-time user must never hit"), one test each, no run needed."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from core.events import FileFailed, PoFinished, PoRequeued, PoStarted, RunFinished, RunStarted, WorkerReady
from core.models import PoResult, PoStatus
from core.run.supervisor import RunOutcome
from gui.bridge import RunStats
from gui.log_area import event_line, outcome_messages
from gui.models import STATUS_COLORS, WorkersModel
from gui.results_area import ResultsModel
from tests.gui.conftest import wait_loaded
from tests.gui.test_loading import _sample

pytestmark = pytest.mark.timeout(60)

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens there: a session check that never gets an answer


def _csv(tmp_path: Path, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text("Order Ref,Notes\nPO1000001,first\nPO1000002,second\n", encoding="utf-8")
    return path


def test_po_column_can_be_chosen_when_none_is_recognised_and_is_remembered(qtbot, window, tmp_path: Path) -> None:
    from gui.main_window import MainWindow

    window.load_file(_csv(tmp_path))
    wait_loaded(qtbot, window)
    combo = window.findChild(QComboBox, "column_combo")
    assert window.input is None
    assert "'Order Ref'" in window.message_line.text() and "Choose the PO column" in window.message_line.text()
    assert combo.isVisibleTo(window) and combo.isEnabled()
    assert [combo.itemText(i) for i in range(combo.count())] == ["Order Ref", "Notes"]
    assert "column" in window.buttons.start_button.toolTip()  # a disabled Start says why

    combo.setCurrentText("Order Ref")
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: window.input is not None, timeout=10_000)
    assert window.input_area.counts_label.text().startswith("2 POs")
    assert window.message_line.text() == ""  # the cause of the error was fixed: the line went with it
    assert window.buttons.start_button.isEnabled()

    window.close()
    again = MainWindow()  # next month's export of the same report, same file name, new folder
    qtbot.addWidget(again)
    (tmp_path / "next").mkdir()
    again.load_file(_csv(tmp_path / "next"))
    wait_loaded(qtbot, again)
    assert again.input is not None and again.input.sheet.po_column == "Order Ref"


def test_stale_errors_go_when_their_cause_is_fixed(qtbot, window, tmp_path: Path) -> None:
    window.load_file(_sample(tmp_path))
    wait_loaded(qtbot, window)
    panel = window.settings_panel
    panel.portal_url.setText("")
    window.start()
    assert "portal URL" in window.message_line.text() and window.message_line.is_error
    panel.portal_url.setText(UNREACHABLE)
    assert window.message_line.text() == ""

    occupied = tmp_path / "a file"
    occupied.write_text("not a folder", encoding="utf-8")
    panel.set_destination(occupied)
    window.start()
    assert window.message_line.is_error and not window.is_busy()
    panel.set_destination(tmp_path / "elsewhere")
    assert window.message_line.text() == ""


def test_every_run_gets_a_fresh_default_folder_and_a_start_up_cancel_is_quick(qtbot, window, tmp_path: Path) -> None:
    window.load_file(_sample(tmp_path))
    wait_loaded(qtbot, window)
    window.settings_panel.portal_url.setText(UNREACHABLE)
    base = Path.home() / "Downloads" / "CoupaDownloads"
    folders = []
    for _ in range(2):
        window.start()
        assert window.is_busy()
        folder = window.settings_panel.destination_path()
        assert folder is not None and folder.parent == base and folder.is_dir()  # made at Start
        assert re.fullmatch(r"\d{4}-\d\d-\d\d_\d\d-\d\d(_\d+)?", folder.name)
        folders.append(folder)
        clicked = time.monotonic()
        window.buttons.cancel_button.click()
        qtbot.waitUntil(lambda: not window.is_busy(), timeout=2_000)
        assert time.monotonic() - clicked < 2
        assert not window.message_line.is_error  # a cancel is no failure
    assert folders[0] != folders[1]
    chosen = tmp_path / "mine"
    window.settings_panel.set_destination(chosen)
    window.start()
    assert window.settings_panel.destination_path() == chosen  # a folder the person picked is kept
    window.cancel()


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def mnemonic_clashes(window) -> list[str]:  # type: ignore[no-untyped-def]
    """Every Alt+key two controls of the window share (the Advanced and Log sections opened)."""
    window.settings_panel.advanced.set_expanded(True)
    window.log_section.set_expanded(True)
    seen: dict[str, str] = {}
    clashes = []
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QLabel):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        key = _mnemonic(text)
        if key is None:
            continue
        if key in seen:
            clashes.append(f"Alt+{key.upper()} is taken by {seen[key]!r} and {text!r}")
        seen[key] = text
    return clashes


def test_no_two_controls_share_an_alt_mnemonic(window) -> None:
    assert not mnemonic_clashes(window)
    actions = ("start", "cancel", "resume", "demo", "sign_in", "open_folder", "open_report")
    for name in actions:
        assert _mnemonic(window.findChild(QPushButton, f"{name}_button").text()), name


def test_every_control_has_a_tooltip(window) -> None:
    window.settings_panel.advanced.set_expanded(True)
    kinds = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox)
    missing = [
        f"{type(w).__name__} {w.objectName() or getattr(w, 'text', lambda: '')()!r}"
        for w in window.findChildren(QWidget)
        if isinstance(w, kinds) and not w.objectName().startswith("qt_") and not w.toolTip()
    ]
    assert not missing


def test_disabled_start_says_why(qtbot, window, tmp_path: Path) -> None:
    start = window.buttons.start_button
    assert not start.isEnabled() and "Load a PO spreadsheet" in start.toolTip()
    window.load_file(_sample(tmp_path))
    wait_loaded(qtbot, window)
    assert start.isEnabled() and "Enter" in start.toolTip()


def test_keyboard_enter_starts_and_ctrl_q_quits(qtbot, window, tmp_path: Path, no_modal_dialogs) -> None:
    window.load_file(_sample(tmp_path))
    wait_loaded(qtbot, window)
    window.settings_panel.portal_url.setText(UNREACHABLE)
    window.settings_panel.portal_url.setFocus()
    qtbot.keyClick(window.settings_panel.portal_url, Qt.Key.Key_Return)
    assert window.is_busy()  # Enter started it, as the default button promises
    window.cancel()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=2_000)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible() and not no_modal_dialogs  # idle: closes without asking


def _pixels(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def test_focus_on_start_is_visible(qtbot, window, tmp_path: Path) -> None:
    window.load_file(_sample(tmp_path))
    wait_loaded(qtbot, window)
    start, before = window.buttons.start_button, window.buttons.description  # the field just before Start
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    unfocused = _pixels(start)
    qtbot.keyClick(before, Qt.Key.Key_Tab)  # the keyboard moves on to Start
    qtbot.waitUntil(start.hasFocus)
    focused = _pixels(start)
    changed = sum(
        1
        for x in range(focused.width())
        for y in range(focused.height())
        if focused.pixel(x, y) != unfocused.pixel(x, y)
    )
    # A ring around the button: at least its perimeter changes, not a pixel or two of anti-aliasing.
    assert changed >= focused.width() + focused.height(), changed


def test_first_launch_is_comfortably_big(window) -> None:
    room = window.screen().availableGeometry().size()
    assert window.width() >= min(1100, room.width()) and window.height() >= min(750, room.height())


def test_nothing_jumps_when_messages_files_and_runs_come_and_go(qtbot, window, tmp_path: Path) -> None:
    def places() -> list[QPoint]:
        widgets = [window.buttons, window.overall, window.splitter, *window.buttons.findChildren(QPushButton)]
        return [w.mapTo(window, QPoint(0, 0)) for w in widgets]

    qtbot.waitExposed(window)
    before = places()
    window.say("A long error " * 20, error=True)
    assert places() == before
    window.say("")
    window.load_file(_sample(tmp_path))
    wait_loaded(qtbot, window)
    assert places() == before
    window.settings_panel.portal_url.setText(UNREACHABLE)
    window.start()  # Start now says "Checking sign-in…"
    qtbot.wait(50)
    assert places() == before
    window.cancel()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=2_000)
    window.buttons.resume_button.setVisible(True)
    assert places() == before


def test_open_folder_says_so_when_the_system_cannot(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: False))
    folder = tmp_path / "run"
    folder.mkdir()
    window.settings_panel.set_destination(folder)
    window.buttons.open_folder_button.click()
    assert window.message_line.is_error and str(folder) in window.message_line.text()
    assert window.message_line.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    QDesktopServices.openUrl(QUrl())  # the patched system still answers


def test_results_show_the_po_as_written_and_the_folder_inside_the_run(tmp_path: Path) -> None:
    model = ResultsModel()
    run = tmp_path / "run"
    model.clear(run, {"16928033": "PM16928033"})
    model.add_results([PoResult("16928033", PoStatus.COMPLETED, folder=str(run / "Acme" / "PM16928033"))])
    assert model.index(0, ResultsModel.COL_PO).data() == "PM16928033"
    assert model.index(0, ResultsModel.COL_FOLDER).data() == str(Path("Acme") / "PM16928033")


def test_cancel_is_not_failure_and_numbers_agree() -> None:
    stats = RunStats()
    done = [PoFinished(1, PoResult(str(n), PoStatus.COMPLETED)) for n in range(3)]
    cancelled = [PoFinished(1, PoResult(str(n), PoStatus.CANCELLED)) for n in range(3, 25)]
    stats.apply([RunStarted(25, 25, 0, 2, ""), *done, *cancelled, RunFinished("", {}, True, 130, "run with --resume.")])
    assert stats.summary() == "3 of 25 done, 22 cancelled"
    assert stats.counts == {"COMPLETED": 3} and stats.done == 3
    outcome = RunOutcome(130, None, {}, cancelled=True, message="Cancelled: run with --resume.")
    (text, error), *_ = outcome_messages(outcome, stats)
    assert not error and "3 of 25 done, 22 cancelled" in text and "Resume" in text and "--" not in text
    assert event_line(RunFinished("", {}, True, 130, "run with --resume.")) is None  # no command-line hint
    assert event_line(PoRequeued(1, "7", "cancelled")) is None
    assert STATUS_COLORS[PoStatus.CANCELLED] not in (STATUS_COLORS[PoStatus.FAILED], STATUS_COLORS[PoStatus.PARTIAL])

    workers = WorkersModel()
    workers.apply([WorkerReady(1, ()), PoStarted(1, "7", "PO7"), FileFailed(1, "7", "a.pdf", "cancelled")])
    workers.apply([PoRequeued(1, "7", "cancelled")])
    assert workers.index(0, WorkersModel.COL_ERROR).data() == ""  # never under "Last error"

    resumed = RunStats()  # the same folder resumed: the 3 done before count, the bar and the line agree
    resumed.apply(
        [RunStarted(25, 22, 3, 2, ""), *[PoFinished(1, PoResult(str(n), PoStatus.COMPLETED)) for n in range(3, 25)]]
    )
    assert resumed.summary() == "25 of 25 done"
    resumed.settle([PoResult(str(n), PoStatus.COMPLETED) for n in range(25)])
    assert resumed.summary() == "25 of 25 done" and resumed.done == 25

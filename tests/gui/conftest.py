"""GUI test setup: offscreen Qt (set before any Qt import), fresh settings per test, no modal dialogs, and helpers."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before PySide6 is imported anywhere

import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer, QTranslator, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from core.config import settings_path

WAIT_MS = 20_000  # default wait for anything the window does in the background


@pytest.fixture(autouse=True, scope="session")
def styled_app(qapp):  # type: ignore[no-untyped-def]
    """The look the app gives itself at start (style with its focus ring), on pytest-qt's application."""
    from gui.app import style_app

    style_app(qapp)
    return qapp


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[Path]:
    """Each test starts from no remembered settings (the data folder itself is a tmp dir: tests/conftest.py)."""
    path = settings_path()
    path.unlink(missing_ok=True)
    yield path
    path.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Questions are answered Yes and recorded; nothing modal may block a test."""
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Yes

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a modal dialog was opened: {args}")

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "exec", refuse)
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(refuse))
    return asked


@pytest.fixture(autouse=True)
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return opened


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    from gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    if win.is_busy():
        win.cancel()
        qtbot.waitUntil(lambda: not win.is_busy(), timeout=30_000)


@pytest.fixture
def portuguese(qapp, tmp_path: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """The .ts from the repo compiled as the build does (Qt's lrelease from PySide6), installed for one test."""
    from gui.i18n import CATALOG, install_language, translations_dir

    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    ts = translations_dir() / f"{CATALOG}_pt_BR.ts"
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(tmp_path / f"{CATALOG}_pt_BR.qm")], check=True)
    assert install_language(qapp, "pt_BR", tmp_path) == "pt_BR"
    yield ts
    for translator in qapp.findChildren(QTranslator):
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()


def wait_loaded(qtbot, win) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: win.input is not None or bool(win.message_line.text()), timeout=WAIT_MS)


class LoopLatency:
    """Measures how late a 10 ms QTimer fires: the GUI event loop's worst stall while it runs (and every delay)."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.worst_at = 0.0  # time.monotonic() of the worst tick
        self.delays: list[float] = []  # seconds late, one per tick
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def median(self) -> float:
        return statistics.median(self.delays) if self.delays else 0.0

    def _tick(self) -> None:
        now = time.monotonic()
        late = max(0.0, now - self._last - 0.010)
        self.delays.append(late)
        if late > self.worst:
            self.worst, self.worst_at = late, now
        self._last = now


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default destination (~/Downloads/CoupaDownloads/<stamp>) is made at Start: never in the real home."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("HOME", str(path))
    return path

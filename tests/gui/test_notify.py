"""The finish / sign-in notification: only for a long run or a sign-in, only when the window is in the back."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from core.errors import EXIT_SIGN_IN
from core.models import PoResult, PoStatus
from core.run.supervisor import RunOutcome
from gui.notify import LONG_RUN_SECONDS

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def alerts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    seen: list[object] = []
    monkeypatch.setattr(QApplication, "alert", staticmethod(lambda widget, msec=0: seen.append(widget)))
    return seen


def _finish(window, seconds: float, exit_code: int = 0) -> None:  # type: ignore[no-untyped-def]
    """The engine's last word, as the bridge delivers it, after a run of `seconds`."""
    window.stats.started = time.monotonic() - seconds
    results = [PoResult(str(n), PoStatus.COMPLETED) for n in range(3)]
    window.bridge.finished.emit(RunOutcome(exit_code, None, cancelled=exit_code != 0, results=results))


def test_a_long_run_in_the_back_flashes_the_taskbar_without_a_tray(window, alerts, monkeypatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    monkeypatch.setattr(window, "isActiveWindow", lambda: False)
    _finish(window, LONG_RUN_SECONDS - 5)
    assert alerts == []  # a short run: the person is still there
    _finish(window, LONG_RUN_SECONDS + 5)
    assert alerts == [window]
    monkeypatch.setattr(window, "isActiveWindow", lambda: True)
    _finish(window, LONG_RUN_SECONDS + 5)
    assert alerts == [window]  # in front: nothing to tell


def test_a_sign_in_in_the_back_shows_a_tray_message(window, alerts, monkeypatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda _tray, title, text, *a: shown.append((title, text)))
    monkeypatch.setattr(window, "isActiveWindow", lambda: False)
    _finish(window, 3, exit_code=EXIT_SIGN_IN)  # however short: the run waits for the person
    assert [title for title, _text in shown] == ["Sign in needed"] and alerts == []

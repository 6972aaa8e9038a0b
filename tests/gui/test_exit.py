"""The app never crashes on exit: Qt's bindings keep None/True/False alive, and a long session closes cleanly.

PySide6 6.12.0 on Python 3.11 returned None from every void call and True from every `emit()` without a reference:
after a few hundred signals (about eight runs of the window) True's count reached zero and the process died with
"Fatal Python error: bool_dealloc". requirements.txt pins a PySide6 without that bug; these tests keep it so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from tests.support import ROOT

CALLS = 500


class _Emitter(QObject):
    ping = Signal(object)


def test_qt_calls_keep_the_shared_singletons_alive(qtbot) -> None:
    label, emitter = QLabel(), _Emitter()
    received: list[object] = []
    emitter.ping.connect(lambda value: received.append(value is None))
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        label.setText("x")  # a void call: returns None
        emitter.ping.emit(None)  # emit() returns True
    received.clear()
    after = sys.getrefcount(None), sys.getrefcount(True)
    # A binding that drops one reference per call loses CALLS here; a few either way are the interpreter's own.
    assert abs(after[0] - before[0]) < 20 and abs(after[1] - before[1]) < 20, (before, after)


@pytest.mark.integration
@pytest.mark.timeout(400)
def test_a_window_that_ran_several_times_closes_cleanly(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONDEVMODE": "1",
        "PYTHONFAULTHANDLER": "1",
        "HOME": str(tmp_path),  # the default destination ~/Downloads/CoupaDownloads/<stamp> lands here
        "COUPA_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.window_cycle", "4"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=360,
        check=False,
    )
    assert done.returncode == 0, f"exit code {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    assert "Fatal Python error" not in done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    for name in ("None", "True", "False"):
        # Three more runs must not eat the singletons' references (a leak of one per signal loses hundreds).
        assert figures["after"][name] - figures["before"][name] > -50, figures
    runs = sorted((tmp_path / "Downloads" / "CoupaDownloads").iterdir())
    assert len(runs) == 4  # every run got its own fresh default folder

"""Open the window, run the demo portal's sample several times in a row, close it: the life of a long session.

Run as its own process (`python -m tests.gui.window_cycle RUNS`) by test_exit.py, so a crash at exit ("Fatal Python
error: bool_dealloc") is seen as a failed exit code instead of taking pytest down. Prints one JSON line with the
reference counts of None, True and False before and after the runs: a binding that hands them out without a
reference (PySide6 6.12.0 on Python 3.11 did, on every emit and every void call) shows as a steady drop long before
the count reaches zero and the process dies.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from core.demo_portal import DemoPortal, PortalKnobs


def pump(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        pump(0.05)


def shared_singletons() -> dict[str, int]:
    return {"None": sys.getrefcount(None), "True": sys.getrefcount(True), "False": sys.getrefcount(False)}


def main(runs: int) -> int:
    from gui.app import create_app
    from gui.main_window import MainWindow

    app = create_app()
    window = MainWindow()
    window.show()
    with DemoPortal(PortalKnobs(po_count=3, seed=3)).start() as portal:
        sample = portal.write_sample_spreadsheet(Path(tempfile.mkdtemp()) / "pos.xlsx")
        before: dict[str, int] = {}
        for number in range(runs):
            window.use_demo_portal(portal, sample)  # "Try with demo data" again: each run gets a new folder
            wait_for(lambda: window.input is not None, 30, "the sample to load")
            window.start()
            wait_for(window.is_busy, 10, "the run to start")
            wait_for(lambda: not window.is_busy(), 120, "the run to end")
            outcome = window.outcome
            if outcome is None or outcome.exit_code != 0:
                raise SystemExit(f"run {number + 1} ended badly: {outcome}")
            if number == 0:
                before = shared_singletons()  # after one run every cache and lazy import is warm
        after = shared_singletons()
        window.close()
        wait_for(lambda: not window.isVisible(), 30, "the window to close")
    window.deleteLater()
    app.processEvents()
    print(json.dumps({"runs": runs, "before": before, "after": after}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 4))

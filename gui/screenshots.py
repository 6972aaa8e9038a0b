"""Take the README's screenshots (idle, running with 3 workers, finished) and draw the app icon.

Run under a display, e.g. `xvfb-run -s "-screen 0 1280x800x24" python -m gui.screenshots`. Uses the in-process demo
portal and real headless Chromium workers; writes docs/screenshots/{idle,running,finished}.png and resources/icon.png.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from core.demo_portal import DemoPortal, PortalKnobs

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
log = logging.getLogger(__name__)


def _pump(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def _wait(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        _pump(0.1)
    return False


def main() -> int:
    logging.basicConfig(level=logging.INFO)
    with tempfile.TemporaryDirectory() as scratch:
        # Screenshots must not touch the person's settings or downloads.
        os.environ.setdefault("COUPA_DATA_DIR", str(Path(scratch) / "data"))
        from gui.app import create_app, draw_icon

        app = create_app()
        app.setApplicationDisplayName("CoupaDownloads")
        draw_icon(256).save(str(ROOT / "resources" / "icon.png"))
        from gui.main_window import MainWindow

        OUT.mkdir(parents=True, exist_ok=True)
        window = MainWindow()
        window.setGeometry(0, 0, 1280, 800)
        window.show()
        window.settings_panel.advanced.set_expanded(True)  # the idle shot shows every setting
        _pump(0.5)
        window.grab().save(str(OUT / "idle.png"))
        window.settings_panel.advanced.set_expanded(False)

        knobs = PortalKnobs(po_count=30, page_latency=0.4, per_connection_bandwidth=300_000)
        with DemoPortal(knobs).start() as portal:
            window.use_demo_portal(portal, portal.write_sample_spreadsheet(Path(scratch) / "sample_pos.xlsx"))
            if not _wait(lambda: window.input is not None, 30):
                log.error("the sample did not load")
                return 1
            panel = window.settings_panel
            panel.auto_workers.setChecked(False)
            panel.workers.setValue(3)
            panel.set_destination(Path(scratch) / "run")
            window.log_section.set_expanded(True)
            window.buttons.start_button.click()
            if not _wait(lambda: window.stats.finished >= 8, 180):
                log.error("the run did not progress")
                return 1
            window.grab().save(str(OUT / "running.png"))
            if not _wait(lambda: not window.is_busy(), 300):
                log.error("the run did not finish")
                return 1
            _pump(0.5)
            window.grab().save(str(OUT / "finished.png"))
            window.close()
        # Tear Qt down while Python is still whole (finalizer order otherwise upsets PySide6 at exit).
        window.deleteLater()
        QApplication.processEvents()
        app.shutdown()
    log.info("screenshots written to %s", OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the run folder offers after (or before) a run: Open folder, Open report, and Resume when it holds an
unfinished run (the journal is read off-thread).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from core.paths import journal_path
from core.run.journal import unfinished_run
from core.run.supervisor import RunOutcome
from core.workbook.report import REPORT_NAME
from gui.jobs import JobPool
from gui.panels import SettingsPanel


def open_path(path: Path) -> bool:
    """Open a folder or file with the system's own application (Explorer, Finder, Excel…)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def journal_exists(destination: Path) -> bool:
    return journal_path(destination).exists()


class Destination(QObject):
    resume_offered = Signal(bool)  # the current destination holds an unfinished run (or not)

    def __init__(self, jobs: JobPool, panel: SettingsPanel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._panel = panel

    def folder(self) -> Path | None:
        return self._panel.destination_path()

    def report_path(self, outcome: RunOutcome | None) -> Path | None:
        if outcome is not None and outcome.report is not None:
            return Path(outcome.report)
        destination = self.folder()
        return destination / REPORT_NAME if destination is not None else None

    def open_folder(self) -> None:
        destination = self.folder()
        if destination is not None:
            open_path(destination)

    def open_report(self, outcome: RunOutcome | None) -> None:
        report = self.report_path(outcome)
        if report is not None and report.exists():
            open_path(report)

    def check_resume(self, running: bool) -> None:
        destination = self.folder()
        if destination is None or not journal_exists(destination) or running:
            self._checked(destination, False)
            return
        self._jobs.run(
            "resume-check",
            lambda _c: unfinished_run(destination),
            lambda offer: self._checked(destination, bool(offer)),
            lambda _m: self._checked(destination, False),
        )

    def _checked(self, destination: Path | None, offer: bool) -> None:
        if destination != self.folder():
            return  # the destination changed meanwhile; its own check decides
        self.resume_offered.emit(offer)

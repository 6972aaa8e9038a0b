"""What the run folder offers after (or before) a run: Open folder, Open report, and Resume when it holds an
unfinished run (the journal is read off-thread).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from core.config import RunConfig
from core.errors import CoupaDownloadsError
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

    def prepare(self, config: RunConfig) -> None:
        """Make the run's folder (a new default one is made at Start); raises CoupaDownloadsError saying what to do."""
        folder = config.output_dir
        if not config.resume and journal_exists(folder):
            if unfinished_run(folder):
                raise CoupaDownloadsError(
                    self.tr(
                        "The destination holds an unfinished run: press Resume to continue it, or choose another "
                        "folder."
                    )
                )
            raise CoupaDownloadsError(self.tr("The destination already holds a finished run: choose another folder."))
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            text = self.tr("The destination {folder} can't be made: {why}.")
            raise CoupaDownloadsError(text.format(folder=folder, why=exc.strerror or exc)) from exc

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

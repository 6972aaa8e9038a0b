"""Before a run: check the portal session, and the interactive "Sign in…" (a visible browser), each off-thread.

The window asks; the gate answers through signals, so the window never blocks while a browser opens or a page loads.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.config import RunConfig
from core.po.session import check_signed_in, sign_in_interactively
from gui.bridge import BackgroundJob
from gui.jobs import JobPool


class SessionGate(QObject):
    checked = Signal(bool, object)  # signed in?, the RunConfig that was checked
    check_cancelled = Signal()
    signed_in = Signal(bool, bool)  # completed?, start the run afterwards?
    failed = Signal(str)  # either step could not run (readable message)

    def __init__(self, jobs: JobPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._job: BackgroundJob | None = None

    def busy(self) -> bool:
        return self._job is not None

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def check(self, config: RunConfig) -> None:
        self._job = self._jobs.run(
            "session-check",
            lambda cancelled: check_signed_in(config, cancelled),
            lambda ok: self._checked(bool(ok), config),
            self._failed,
        )

    def sign_in(self, config: RunConfig, then_start: bool) -> None:
        self._job = self._jobs.run(
            "sign-in",
            lambda cancelled: sign_in_interactively(config, cancelled),
            lambda ok: self._signed_in(bool(ok), then_start),
            self._failed,
        )

    def _checked(self, ok: bool, config: RunConfig) -> None:
        job, self._job = self._job, None
        if job is not None and job.cancelled():
            self.check_cancelled.emit()
        else:
            self.checked.emit(ok, config)

    def _signed_in(self, ok: bool, then_start: bool) -> None:
        self._job = None
        self.signed_in.emit(ok, then_start)

    def _failed(self, message: str) -> None:
        self._job = None
        self.failed.emit(message)

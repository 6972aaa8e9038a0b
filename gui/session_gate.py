"""Before a run: check the portal session, and the interactive "Sign in…" (a visible browser), each off-thread.

The window asks; the gate answers through signals, so the window never blocks while a browser opens or a page loads.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from core.config import RunConfig
from core.po.session import check_signed_in, sign_in_interactively, sign_out
from gui.jobs import BackgroundJob, JobPool


class SessionGate(QObject):
    """One check or sign-in at a time. Cancel lets go of it at once: its thread winds down (closing its browser) on
    its own and its answer is ignored, so a cancel during start-up never waits for a browser to start."""

    checked = Signal(bool, object)  # signed in?, the RunConfig that was checked
    cancelled = Signal()  # the check or sign-in was let go
    signed_in = Signal(bool, bool)  # completed?, start the run afterwards?
    failed = Signal(str)  # either step could not run (readable message)

    def __init__(self, jobs: JobPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._job: BackgroundJob | None = None

    def busy(self) -> bool:
        return self._job is not None

    def cancel(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.cancel()
            self.cancelled.emit()

    def _current(self, job: BackgroundJob | None) -> bool:
        """Whether `job` is still the one asked for (not let go by a cancel); it is done with either way."""
        if job is None or job is not self._job:
            return False
        self._job = None
        return True

    def check(self, config: RunConfig) -> None:
        self._start(
            "session-check",
            lambda cancelled: check_signed_in(config, cancelled),
            lambda ok: self.checked.emit(bool(ok), config),
        )

    def sign_in(self, config: RunConfig, then_start: bool) -> None:
        self._start(
            "sign-in",
            lambda cancelled: sign_in_interactively(config, cancelled),
            lambda ok: self.signed_in.emit(bool(ok), then_start),
        )

    def sign_out(self) -> int:
        """Delete the saved session at once (a few files): the next run or Sign in starts from scratch."""
        return sign_out()

    def _start(
        self, name: str, call: Callable[[Callable[[], bool]], object], answered: Callable[[object], None]
    ) -> None:
        job: list[BackgroundJob] = []  # filled right after the job is made: its callbacks compare against it
        job.append(
            self._jobs.run(
                name,
                call,
                lambda value: self._current(job[0]) and answered(value),
                lambda message: self._current(job[0]) and self.failed.emit(message),
            )
        )
        self._job = job[0]

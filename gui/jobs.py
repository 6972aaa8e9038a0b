"""The window's background jobs (reading a file, checking the session, signing in, measuring memory) in one place.

Each job runs on its own thread (BackgroundJob); the pool keeps them alive until they report, and can cancel them all
when the window closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from gui.bridge import BackgroundJob


class JobPool(QObject):
    ended = Signal()  # a job reported (success or failure) and was let go

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: set[BackgroundJob] = set()

    def run(
        self,
        name: str,
        call: Callable[[Callable[[], bool]], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None],
    ) -> BackgroundJob:
        job = BackgroundJob(name, call, self)
        self._jobs.add(job)
        # Connected before the thread starts: a fast job (a small csv) may finish at once.
        job.succeeded.connect(on_success)
        job.failed.connect(on_failure)
        job.succeeded.connect(lambda _v: self._job_ended(job))
        job.failed.connect(lambda _m: self._job_ended(job))
        job.start()
        return job

    def cancel_all(self) -> None:
        for job in list(self._jobs):
            job.cancel()

    def __len__(self) -> int:
        return len(self._jobs)

    def _job_ended(self, job: BackgroundJob) -> None:
        self._jobs.discard(job)
        job.deleteLater()
        self.ended.emit()

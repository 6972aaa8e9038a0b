"""The window's background jobs (reading a file, checking the session, signing in, measuring memory) in one place.

Each job runs one blocking call on a plain thread that never touches a Qt object: it leaves its answer in the pool's
queue, and the pool hands it to the job's callbacks on the GUI thread. A job may outlive the window that asked for it
(a session check let go by Cancel, a file still being read when the window closes): its thread then only drops its
answer into a queue nobody reads, instead of emitting a signal on a deleted object (Qt's rule, as in Picard and
calibre: widgets and signals belong to the GUI thread).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.errors import CoupaDownloadsError

log = logging.getLogger(__name__)

POLL_MS = 20  # how often the pool looks for answers while a job runs (answers wait at most this long)

Answer = tuple["BackgroundJob", bool, Any]  # the job, succeeded?, its value or the readable failure message


class BackgroundJob:
    """One blocking call on its own thread; `cancelled()` is what long calls poll so Cancel and closing stop them."""

    def __init__(
        self, name: str, call: Callable[[Callable[[], bool]], Any], answers: queue.SimpleQueue[Answer]
    ) -> None:
        self.name = name
        self._call = call
        self._answers = answers
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"gui-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            answer: Answer = (self, True, self._call(self.cancelled))
        except CoupaDownloadsError as exc:
            answer = (self, False, str(exc))
        except Exception as exc:  # shown to the person; the traceback goes to the log only
            log.exception("%s failed", self.name)
            answer = (self, False, f"{type(exc).__name__}: {exc}")
        self._answers.put(answer)


class JobPool(QObject):
    ended = Signal()  # a job reported (success or failure) and was let go

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[BackgroundJob, tuple[Callable[[Any], None], Callable[[str], None]]] = {}
        self._answers: queue.SimpleQueue[Answer] = queue.SimpleQueue()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._collect)

    def run(
        self,
        name: str,
        call: Callable[[Callable[[], bool]], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None],
    ) -> BackgroundJob:
        job = BackgroundJob(name, call, self._answers)
        self._jobs[job] = (on_success, on_failure)
        self._timer.start()
        job.start()
        return job

    def cancel_all(self) -> None:
        for job in list(self._jobs):
            job.cancel()

    def __len__(self) -> int:
        return len(self._jobs)

    def _collect(self) -> None:
        while True:
            try:
                job, ok, value = self._answers.get_nowait()
            except queue.Empty:
                break
            on_success, on_failure = self._jobs.pop(job)
            (on_success if ok else on_failure)(value)
            self.ended.emit()
        if not self._jobs:
            self._timer.stop()

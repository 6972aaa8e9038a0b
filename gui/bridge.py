"""Runs the engine off the GUI thread and hands its events to the window in coalesced batches.

Qt rule (Picard, calibre): never touch widgets from a worker thread. The supervisor's `on_event` only appends to a
locked buffer; a QTimer in the GUI thread drains it about four times a second and emits one `batch` signal, so a
burst of thousands of FileProgress events costs the window one refresh, not thousands of signals.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psutil
from PySide6.QtCore import QObject, QThread, QTimer, Signal

from core.config import RunConfig
from core.errors import CoupaDownloadsError
from core.events import Event, PoFinished, RunFinished, RunStarted, WorkerReady, WorkerStarted
from core.run.supervisor import RunOutcome, Supervisor

log = logging.getLogger(__name__)

REFRESH_MS = 250
# The supervisor thread does pure-Python work (journal, report, process bookkeeping) that holds the GIL; with the
# default 5 ms switch interval the GUI thread, which needs the GIL for every slot, queues behind it repeatedly.
GIL_SWITCH_INTERVAL = 0.001
WORKER_NICENESS = 10


class BackgroundJob(QObject):
    """Runs one blocking call (read a spreadsheet, check the session, sign in) on a plain thread.

    The signals are queued to the GUI thread because this object lives there. `cancelled()` is what long calls
    poll so closing the window can stop them.
    """

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, name: str, call: Callable[[Callable[[], bool]], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._call = call
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
            value = self._call(self.cancelled)
        except CoupaDownloadsError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # shown to the person; the traceback goes to the log only
            log.exception("%s failed", self.name)
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(value)


def lower_priority(pids: Sequence[int]) -> None:
    """Run the workers and their browsers below normal priority (as calibre does with its workers).

    On a busy two-core laptop, four browsers starting at once would otherwise starve the window for a third of a
    second; at a lower priority they still use every idle cycle, and the window stays responsive.
    """
    for pid in pids:
        with contextlib.suppress(psutil.Error, OSError):
            process = psutil.Process(pid)
            if sys.platform == "win32":
                process.nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
            else:
                process.nice(max(process.nice(), WORKER_NICENESS))


class _RunThread(QThread):
    done = Signal(object)  # RunOutcome
    crashed = Signal(str)

    def __init__(self, supervisor: Supervisor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.supervisor = supervisor
        self.setObjectName("coupa-supervisor")

    def run(self) -> None:
        try:
            outcome = self.supervisor.run()
        except CoupaDownloadsError as exc:
            self.crashed.emit(str(exc))
            return
        except Exception as exc:
            log.exception("The run stopped on an unexpected error")
            self.crashed.emit(f"The run stopped on an unexpected error: {type(exc).__name__}: {exc}")
            return
        self.done.emit(outcome)


class RunBridge(QObject):
    """One run at a time: start it, receive `batch` (list of events) every ~250 ms, then `finished` or `failed`."""

    batch = Signal(list)
    finished = Signal(object)  # RunOutcome
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, refresh_ms: int = REFRESH_MS) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._buffer: list[Event] = []
        self._thread: _RunThread | None = None
        self._ending: tuple[str, Any] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.flush)

    def start(self, config: RunConfig) -> None:
        if self.is_running():
            raise RuntimeError("a run is already in progress")
        with self._lock:
            self._buffer = []
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL))
        thread = _RunThread(Supervisor(config, self._on_event), self)
        thread.done.connect(self._on_done)
        thread.crashed.connect(self._on_crashed)
        # Report the end only once the thread has really ended, so closing right after never destroys a live QThread.
        thread.finished.connect(self._on_thread_finished)
        self._thread = thread
        self._timer.start()
        thread.start()

    def cancel(self) -> None:
        """Never blocks: the supervisor stops politely, then forcibly, on its own thread."""
        if self._thread is not None:
            self._thread.supervisor.cancel()

    def is_running(self) -> bool:
        return self._thread is not None

    def wait(self, timeout_ms: int) -> bool:
        """For shutdown paths only (the window never calls it while it must stay responsive)."""
        thread = self._thread
        return thread is None or thread.wait(timeout_ms)

    # -- engine thread -> buffer ---------------------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        if isinstance(event, WorkerStarted):
            lower_priority([event.pid])
        elif isinstance(event, WorkerReady):
            lower_priority(event.browser_pids)
        with self._lock:
            self._buffer.append(event)

    # -- GUI thread ------------------------------------------------------------------------------------------------
    def flush(self) -> None:
        with self._lock:
            events, self._buffer = self._buffer, []
        if events:
            self.batch.emit(events)

    def _on_done(self, outcome: RunOutcome) -> None:
        self._ending = ("finished", outcome)

    def _on_crashed(self, message: str) -> None:
        self._ending = ("failed", message)

    def _on_thread_finished(self) -> None:
        self._timer.stop()
        self.flush()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.deleteLater()
        ending, self._ending = self._ending, None
        if ending is not None and ending[0] == "finished":
            self.finished.emit(ending[1])
        else:
            self.failed.emit(ending[1] if ending is not None else "The run stopped unexpectedly.")


@dataclass
class RunStats:
    """Overall progress folded from events: N of M, counts per status, rate and ETA."""

    pending: int = 0
    already_done: int = 0
    finished: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    started: float = 0.0
    ended: float | None = None

    def apply(self, events: Sequence[Event]) -> None:
        for event in events:
            if isinstance(event, RunStarted):
                self.pending, self.already_done = event.pending, event.already_done
                self.started = time.monotonic()
            elif isinstance(event, PoFinished):
                self.finished += 1
                status = event.result.status.value
                self.counts[status] = self.counts.get(status, 0) + 1
            elif isinstance(event, RunFinished):
                self.ended = time.monotonic()

    def elapsed(self, now: float | None = None) -> float:
        if not self.started:
            return 0.0
        end = self.ended if self.ended is not None else (time.monotonic() if now is None else now)
        return max(0.0, end - self.started)

    def per_minute(self, now: float | None = None) -> float | None:
        elapsed = self.elapsed(now)
        if self.finished == 0 or elapsed < 1:
            return None
        return self.finished / elapsed * 60

    def eta_seconds(self, now: float | None = None) -> float | None:
        rate = self.per_minute(now)
        if rate is None or self.ended is not None:
            return None
        return max(0, self.pending - self.finished) / rate * 60


def format_duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import psutil
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from core.config import RunConfig
from core.errors import CoupaDownloadsError
from core.events import Event, PoFinished, RunFinished, RunStarted, WorkerReady, WorkerStarted
from core.models import PoResult, PoStatus
from core.run.supervisor import RunOutcome, Supervisor

log = logging.getLogger(__name__)

REFRESH_MS = 250
# The supervisor thread does pure-Python work (journal, report, process bookkeeping) that holds the GIL; with the
# default 5 ms switch interval the GUI thread, which needs the GIL for every slot, queues behind it repeatedly.
GIL_SWITCH_INTERVAL = 0.001
CANCELLED = PoStatus.CANCELLED.value
WORKER_NICENESS = 10


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


class Engine(Protocol):
    """What the bridge runs: the Supervisor (benchmarks/window_feed.py replays a run's events through it instead)."""

    def run(self) -> RunOutcome: ...
    def cancel(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...


EngineFactory = Callable[[RunConfig, Callable[[Event], None]], Engine]


class RunBridge(QObject):
    """One run at a time: start it, receive `batch` (list of events) every ~250 ms, then `finished` or `failed`.

    The supervisor runs on a plain thread that never touches a Qt object: its events and its ending go into a locked
    buffer, and the GUI thread's timer reads them. Nothing Qt crosses threads, so nothing is touched after its owner
    died, whenever the window goes.
    """

    batch = Signal(list)
    finished = Signal(object)  # RunOutcome (its results: every PO's final answer from the journal)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, refresh_ms: int = REFRESH_MS) -> None:
        super().__init__(parent)
        self.make_engine: EngineFactory = Supervisor
        self._lock = threading.Lock()
        self._buffer: list[Event] = []
        self._thread: threading.Thread | None = None
        self._supervisor: Engine | None = None
        self._ending: tuple[str, Any] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.flush)

    def start(self, config: RunConfig) -> None:
        if self.is_running():
            raise RuntimeError("a run is already in progress")
        with self._lock:
            self._buffer, self._ending = [], None
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL))
        supervisor = self.make_engine(config, self._on_event)
        self._supervisor = supervisor
        self._thread = threading.Thread(target=self._run, args=(supervisor,), name="coupa-supervisor", daemon=True)
        self._timer.start()
        self._thread.start()

    def cancel(self) -> None:
        """Never blocks: the supervisor stops politely, then forcibly, on its own thread."""
        if self._supervisor is not None:
            self._supervisor.cancel()

    def pause(self, paused: bool) -> None:
        """Pause (no new PO starts) or continue the run; never blocks."""
        if self._supervisor is not None:
            if paused:
                self._supervisor.pause()
            else:
                self._supervisor.resume()

    def is_running(self) -> bool:
        return self._thread is not None

    def wait(self, timeout_ms: int) -> bool:
        """For shutdown paths only (the window never calls it while it must stay responsive)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_ms / 1000)
        return thread is None or not thread.is_alive()

    # -- supervisor thread: plain Python only ----------------------------------------------------------------------
    def _run(self, supervisor: Engine) -> None:
        ending: tuple[str, Any]
        try:
            outcome = supervisor.run()
        except CoupaDownloadsError as exc:
            ending = ("failed", str(exc))
        except Exception as exc:
            log.exception("The run stopped on an unexpected error")
            ending = ("failed", f"The run stopped on an unexpected error: {type(exc).__name__}: {exc}")
        else:
            ending = ("finished", outcome)
        with self._lock:
            self._ending = ending

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
            ending = self._ending
        if events:
            self.batch.emit(events)
        thread = self._thread
        if ending is None or thread is None or thread.is_alive():
            return
        # Reported only once the thread has really ended, so closing right after never leaves a run behind.
        self._timer.stop()
        self._thread, self._supervisor, self._ending = None, None, None
        if ending[0] == "finished":
            self.finished.emit(ending[1])
        else:
            self.failed.emit(ending[1])


@dataclass
class RunStats:
    """The run's figures, one source for the bar, the chips, the "Finished" line and the Resume counts.

    During the run they are folded from events (POs finished now, by key, plus those an earlier run of the same
    folder finished); at the end `settle` replaces them with the journal's results, which every other view shows too.
    A CANCELLED PO is work not done yet: it is counted apart, never as finished.
    """

    pending: int = 0  # POs this run set out to do
    already_done: int = 0  # POs of this folder an earlier run finished (a resumed run skips them)
    # po_key -> status, POs that ended in this run; changed through apply/settle only (they keep the tally)
    statuses: dict[str, str] = field(default_factory=dict, init=False)
    started: float = 0.0
    ended: float | None = None
    workers: int = 0  # the run's workers at its start: the history's rate is per worker
    # POs per minute per worker of recent runs (the history): the ETA's rate until this run has one of its own.
    history_rate: float | None = None
    # `statuses` counted as they come: the figures are read several times a second, with thousands of POs.
    _tally: Counter[str] = field(default_factory=Counter, init=False, repr=False)

    def apply(self, events: Sequence[Event]) -> None:
        for event in events:
            if isinstance(event, RunStarted):
                self.pending, self.already_done, self.workers = event.pending, event.already_done, event.workers
                self.started = time.monotonic()
            elif isinstance(event, PoFinished):
                self._record(event.result.po_key, event.result.status.value)
            elif isinstance(event, RunFinished):
                self.ended = time.monotonic()

    def settle(self, results: Sequence[PoResult]) -> None:
        """The journal's word at the end: every PO of the folder, the earlier runs' ones included."""
        self.statuses, self._tally = {}, Counter()
        for result in results:
            self._record(result.po_key, result.status.value)
        self.pending, self.already_done = len(self.statuses), 0

    def _record(self, po_key: str, status: str) -> None:
        previous = self.statuses.get(po_key)
        if previous is not None:  # a PO that ended twice (requeued after its first answer) counts once
            self._tally[previous] -= 1
        self.statuses[po_key] = status
        self._tally[status] += 1

    @property
    def counts(self) -> dict[str, int]:
        """Finished POs per status (CANCELLED ones apart: see `cancelled`)."""
        return {status: n for status, n in self._tally.items() if n and status != CANCELLED}

    @property
    def cancelled(self) -> int:
        return self._tally[CANCELLED]

    @property
    def finished(self) -> int:
        """POs finished in this run (cancelled ones are not finished)."""
        return len(self.statuses) - self.cancelled

    @property
    def total(self) -> int:
        return self.pending + self.already_done

    @property
    def done(self) -> int:
        return self.already_done + self.finished

    def summary(self) -> str:
        """ "3 of 25 done, 22 cancelled": finished POs only; cancelled ones are named apart, never counted as done."""
        if not self.started and not self.statuses:
            return ""
        if self.cancelled:
            text = QCoreApplication.translate("RunStats", "{done} of {total} done, {cancelled} cancelled")
        else:
            text = QCoreApplication.translate("RunStats", "{done} of {total} done")
        return text.format(done=self.done, total=self.total, cancelled=self.cancelled)

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
        if rate is None and self.history_rate and self.workers:
            rate = self.history_rate * self.workers
        if rate is None or self.ended is not None:
            return None
        return max(0, self.total - self.done) / rate * 60


def format_duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

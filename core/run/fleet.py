"""The worker processes of one run on this machine: starting and stopping them, each one's inbox and event pipe,
and which POs each one holds.

The fleet decides nothing: what to hand out, what to retry, what the journal says and how many workers to run are
the supervisor's policy. The fleet only carries it out and keeps the books a kill -9 must not lose (who holds what).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from core.config import RunConfig
from core.events import (
    AttachmentsFound,
    Event,
    PoFinished,
    PoRequeued,
    PoStarted,
    WorkerError,
    WorkerReady,
    WorkerStopped,
)
from core.models import PoTask, SavedFile
from core.processes import kill_pids, process_tree
from core.run.worker import worker_main

log = logging.getLogger(__name__)

STOP_WAIT = 10.0  # after a forced stop, how long we wait for every process of ours to be gone

HeldPo = tuple[PoTask, int]  # a PO handed to a worker, with the attempt it is on


@dataclass
class Worker:
    """One worker position: its current process and what it is doing."""

    worker_id: int
    process: BaseProcess
    inbox: Any  # this worker's own task queue: the supervisor always knows which POs a worker holds
    retire_flag: Any  # a multiprocessing Event: "finish your PO, then stop" (scaling down, memory pressure)
    # This worker's own event pipe. Not a queue shared by all workers: a worker killed while writing to a shared
    # queue would hold its lock forever and silence every other worker.
    events: Connection | None
    browser_pids: tuple[int, ...] = ()
    # POs handed to this worker and not finished: waiting in its inbox, being read, or downloading.
    held: dict[str, HeldPo] = field(default_factory=dict)
    reading: set[str] = field(default_factory=set)  # the POs whose pages the browser is on (a crash is blamed on them)
    stopped: bool = False
    retiring: bool = False  # told to stop: takes no more work
    crashed: str = ""
    said_goodbye: bool = False  # its WorkerStopped arrived


@dataclass(frozen=True)
class Departure:
    """What a worker that is gone leaves behind."""

    worker_id: int
    held: dict[str, HeldPo]
    reading: frozenset[str]
    crashed: str  # why it died, empty if it stopped as asked
    retiring: bool


class Fleet:
    def __init__(self, config: RunConfig) -> None:
        self._config = config
        self._ctx = multiprocessing.get_context("spawn")
        self._cancel_flag = self._ctx.Event()
        self._sign_in_lock = self._ctx.Lock()
        self._pause_flag = self._ctx.Event()
        self._workers: dict[int, Worker] = {}

    # -- starting and handing out ----------------------------------------------------------------------------------
    def start(self, worker_id: int | None = None) -> Worker:
        """Start a worker process (with the lowest free id unless one is given)."""
        if worker_id is None:
            busy = {w.worker_id for w in self._workers.values() if not w.stopped}
            worker_id = next(i for i in range(1, len(self._workers) + 2) if i not in busy)
        retire_flag = self._ctx.Event()
        inbox = self._ctx.Queue()
        events, events_writer = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(
            target=worker_main,
            args=(
                *(worker_id, self._config, inbox, events_writer),
                *(self._cancel_flag, self._sign_in_lock, retire_flag, self._pause_flag),
            ),
            name=f"coupa-worker-{worker_id}",
            daemon=True,
        )
        process.start()
        events_writer.close()  # the worker has its copy: the pipe reports end-of-file when the worker is gone
        worker = Worker(worker_id, process, inbox, retire_flag, events)
        self._workers[worker_id] = worker
        return worker

    def working(self) -> list[Worker]:
        """Workers that are running and may take more work, by id."""
        return sorted(
            (w for w in self._workers.values() if not w.stopped and not w.retiring), key=lambda w: w.worker_id
        )

    def held_keys(self) -> set[str]:
        return {key for w in self._workers.values() if not w.stopped for key in w.held}

    def all_stopped(self) -> bool:
        return all(w.stopped for w in self._workers.values())

    def hand(self, worker: Worker, task: PoTask, attempt: int, done_files: dict[str, SavedFile]) -> None:
        """Put a PO in this worker's inbox (with the files an interrupted attempt already completed)."""
        worker.held[task.po_key] = (task, attempt)
        worker.inbox.put((task, attempt, done_files))

    def release(self, worker: Worker) -> None:
        """No more work for this worker: it stops once its inbox is empty."""
        if not worker.retiring:
            worker.retiring = True
            worker.inbox.put(None)

    def retire(self, worker: Worker) -> None:
        """This worker stops after its current PO (its waiting POs come back through its departure)."""
        worker.retiring = True
        worker.retire_flag.set()

    def pause(self, paused: bool) -> None:
        """While paused every worker finishes the POs in flight and starts no new one (its inbox waits)."""
        if paused:
            self._pause_flag.set()
        else:
            self._pause_flag.clear()

    # -- hearing from them -----------------------------------------------------------------------------------------
    def receive(self, wait: float) -> list[Event]:
        """Every event waiting in the workers' pipes (waiting at most `wait` seconds for the first), booked."""
        readers = {w.events: w for w in self._workers.values() if w.events is not None}
        received: list[Event] = []
        for ready in multiprocessing.connection.wait(list(readers), timeout=wait):
            worker = readers[ready]  # type: ignore[index]
            try:
                while worker.events is not None and worker.events.poll():
                    event = worker.events.recv()
                    self._book(worker, event)
                    received.append(event)
            except (EOFError, OSError):
                # The worker is gone (its end of the pipe closed, possibly mid-message): nothing more will come.
                self._close_pipe(worker)
        return received

    def _book(self, worker: Worker, event: Event) -> None:
        if isinstance(event, PoStarted):
            worker.reading.add(event.po_key)
        elif isinstance(event, AttachmentsFound):
            worker.reading.discard(event.po_key)  # its page is read: its files download over HTTP
        elif isinstance(event, WorkerReady):
            worker.browser_pids = event.browser_pids
        elif isinstance(event, PoFinished):
            worker.held.pop(event.result.po_key, None)
            worker.reading.discard(event.result.po_key)
        elif isinstance(event, PoRequeued):
            # Cancelled before it finished: marked CANCELLED at the end, like the POs never started.
            worker.held.pop(event.po_key, None)
            worker.reading.discard(event.po_key)
        elif isinstance(event, WorkerError) and not event.fatal:
            worker.crashed = event.message
        elif isinstance(event, WorkerStopped):
            worker.said_goodbye = True
            worker.process.join(timeout=5)

    def ended_unannounced(self) -> list[int]:
        """Workers whose process ended though the fleet still counts them as running (their last words may be
        waiting in their pipe: `receive` them before calling `depart`)."""
        return [w.worker_id for w in self._workers.values() if not w.stopped and w.process.exitcode is not None]

    def depart(self, worker_id: int) -> Departure | None:
        """Book a worker as gone (its browser killed) and give back what it held; None if it was already gone."""
        worker = self._workers[worker_id]
        if worker.stopped:
            return None
        worker.stopped = True
        if not worker.crashed and not worker.said_goodbye:
            # Died without saying goodbye (killed, out of memory): its browser may still be running.
            worker.crashed = f"the worker process ended unexpectedly (exit code {worker.process.exitcode})"
        self._kill_browser(worker)
        self._close_pipe(worker)  # everything it sent was read before this point
        held, worker.held = worker.held, {}
        return Departure(worker_id, held, frozenset(worker.reading), worker.crashed, worker.retiring)

    # -- stopping --------------------------------------------------------------------------------------------------
    def cancel(self) -> None:
        """Every worker abandons its current file and takes no more work."""
        self._cancel_flag.set()
        for worker in self._workers.values():
            if not worker.stopped:
                self.release(worker)

    def kill_all(self) -> list[int]:
        """Stop by force every worker still running; the ids of those it stopped."""
        killed = []
        for worker in self._workers.values():
            if not worker.stopped:
                log.warning("Worker %d did not stop in time; stopping it forcibly.", worker.worker_id)
                self._kill(worker)
                killed.append(worker.worker_id)
        return killed

    def kill_starting(self) -> list[int]:
        """Stop now the workers still starting their browser; the ids of those it stopped.

        After a cancel they have no PO and no file to finish: waiting out the grace for them made a cancel during
        start-up take seconds.
        """
        starting = [w for w in self._workers.values() if not w.stopped and not w.browser_pids]
        for worker in starting:
            self._kill(worker)
        return [worker.worker_id for worker in starting]

    def _kill(self, worker: Worker) -> None:
        self._kill_browser(worker)
        with contextlib.suppress(Exception):
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.stopped = True

    def close(self) -> None:
        """Wait for every process of ours to be gone and free the queues and pipes (after everyone stopped)."""
        deadline = time.monotonic() + STOP_WAIT
        for worker in self._workers.values():
            worker.process.join(timeout=max(0.1, deadline - time.monotonic()))
        for worker in self._workers.values():
            worker.inbox.cancel_join_thread()
            worker.inbox.close()
            self._close_pipe(worker)

    def _close_pipe(self, worker: Worker) -> None:
        if worker.events is not None:
            worker.events.close()
            worker.events = None

    def _kill_browser(self, worker: Worker) -> None:
        pids: set[int] = set()
        for pid in worker.browser_pids:
            pids.update(process_tree(pid))
        own = worker.process.pid
        if own is not None and worker.process.exitcode is None:
            # A live worker's descendants too: a browser still starting has not reported its process ids yet. (Only
            # while it lives: the id of a worker that is gone may already belong to another program.)
            pids.update(pid for pid in process_tree(own) if pid != own)
        if pids:
            kill_pids(sorted(pids))

"""The supervisor: runs N worker processes over one shared queue and owns the journal.

It lives in the parent process (the CLI's main thread, or the window's QThread). It starts workers with `spawn`,
reads their events, writes each finished PO to the journal (the only writer), replaces a worker whose browser or
process died (its PO goes back to the queue, at most `max_po_attempts` tries), stops everything on cancel (politely,
then forcibly, killing only the processes this run started) and finally writes the report from the journal.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import sqlite3
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import psutil

from core.config import RunConfig
from core.errors import EXIT_CANCELLED, EXIT_OK, EXIT_USAGE, InputError, OutputError
from core.events import (
    Event,
    FileDone,
    PoFinished,
    PoRequeued,
    PoStarted,
    RunFinished,
    RunStarted,
    WorkerError,
    WorkerReady,
    WorkerRestarted,
    WorkerStopped,
)
from core.models import PoResult, PoStatus, PoTask, SavedFile
from core.po.folders import remove_partial_files
from core.processes import kill_pids, process_tree
from core.run.closing import close_run
from core.run.journal import RUN_FINISHED, RUN_RUNNING, Journal
from core.run.scaling import MemoryRule, WorkerBudget
from core.run.worker import worker_main
from core.workbook.spreadsheet import InputSheet, read_input
from core.worker_count import auto_workers

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1
# POs a worker holds at most: one downloading, one being read, one waiting so the next page opens at once.
PER_WORKER_BACKLOG = 3
STOP_WAIT = 10.0  # after a forced stop, how long we wait for every process of ours to be gone


@dataclass
class RunOutcome:
    exit_code: int
    report: Path | None
    counts: dict[str, int] = field(default_factory=dict)
    cancelled: bool = False
    message: str = ""


@dataclass
class _Slot:
    """One worker position: its current process and what it is doing."""

    worker_id: int
    process: BaseProcess
    inbox: Any  # this worker's own task queue: the supervisor always knows which POs a worker holds
    retire: Any  # a multiprocessing Event: "finish your PO, then stop" (scaling down, memory pressure)
    browser_pids: tuple[int, ...] = ()
    # POs handed to this worker and not finished: waiting in its inbox, being read, or downloading.
    assigned: dict[str, tuple[PoTask, int]] = field(default_factory=dict)
    reading: str = ""  # the PO whose page the browser is on (the one a crash is blamed on)
    # This worker's own event pipe. Not a queue shared by all workers: a worker killed while writing to a shared
    # queue would hold its lock forever and silence every other worker.
    events: Any = None
    stopped: bool = False
    retiring: bool = False
    crashed: str = ""


class Supervisor:
    def __init__(
        self,
        config: RunConfig,
        on_event: Callable[[Event], None],
        sheet: InputSheet | None = None,
        *,
        memory_percent: Callable[[], float] | None = None,
    ) -> None:
        self.config = config
        self._on_event = on_event
        self._sheet = sheet
        self._cancel_requested = threading.Event()
        # Injectable so tests can simulate memory pressure without exhausting the machine.
        self.memory_percent = memory_percent or (lambda: float(psutil.virtual_memory().percent))

    def cancel(self) -> None:
        """Stop the run: no new POs, workers abandon their current file, then are stopped. Thread-safe."""
        self._cancel_requested.set()

    # -- setup -----------------------------------------------------------------------------------------------------
    def _prepare_output(self) -> Journal:
        config = self.config
        if config.output_dir.is_file():
            raise InputError(f"The output {config.output_dir} is a file; choose a folder.")
        try:
            config.output_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=config.output_dir, prefix=".write-test-"):
                pass
        except OSError as exc:
            raise InputError(f"Cannot write to the output folder {config.output_dir}: {exc.strerror or exc}.") from exc
        had_journal = config.journal_path.exists()
        journal = Journal(config.journal_path)
        state = journal.run_state
        if had_journal and state is not None and not config.resume:
            journal.close()
            what = "a finished run" if state == RUN_FINISHED else "an unfinished run"
            raise InputError(
                f"The folder {config.output_dir} already holds {what}. Use --resume to continue it "
                "(finished POs are skipped), or choose another output folder."
            )
        return journal

    # -- the run ---------------------------------------------------------------------------------------------------
    def run(self) -> RunOutcome:
        config = self.config
        sheet = self._sheet or read_input(
            config.input_path, sheet=config.sheet, po_column=config.po_column, redo_completed=config.redo_completed
        )
        journal = self._prepare_output()
        try:
            return self._run(sheet, journal)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(
                f"Cannot write to {config.output_dir} ({exc}). Is the disk full? Finished POs are kept in the "
                "journal: free some space and run again with --resume."
            ) from exc
        finally:
            journal.close()

    def _run(self, sheet: InputSheet, journal: Journal) -> RunOutcome:
        config = self.config
        started = datetime.now()
        journal.set_meta({"state": RUN_RUNNING, "input": str(config.input_path), "started_at": started.isoformat()})
        remove_partial_files(config.output_dir)
        done = journal.done_keys() if config.resume else set()
        tasks = [t for t in sheet.tasks() if t.po_key not in done]
        if config.limit is not None:
            tasks = tasks[: config.limit]
        max_workers = auto_workers(len(tasks)) if config.workers is None else config.workers
        pool = _Pool(self, journal, tasks, max_workers) if tasks else None
        workers = min(pool.budget.desired, len(tasks)) if pool else 0
        self._emit(RunStarted(len(sheet.tasks()), len(tasks), len(done), workers, str(config.output_dir)))
        fatal = pool.run() if pool else None
        stopped = self._cancel_requested.is_set() or fatal is not None
        closed = close_run(
            journal,
            sheet,
            [t.po_key for t in tasks],
            started=started,
            workers=workers,
            stopped=stopped,
            reason=fatal[1] if fatal else "Stopped by the user before this PO finished.",
        )
        report, counts, cancelled = closed.report, closed.counts, closed.cancelled
        if fatal is not None:
            exit_code, message = fatal
        elif cancelled:
            exit_code, message = EXIT_CANCELLED, "Cancelled: unfinished POs are marked CANCELLED; run with --resume."
        else:
            exit_code, message = EXIT_OK, ""
        self._emit(RunFinished(str(report), counts, cancelled, exit_code, message))
        return RunOutcome(exit_code, report, counts, cancelled, message)

    def _emit(self, event: Event) -> None:
        try:
            self._on_event(event)
        except Exception:  # a consumer's bug must not stop the run or lose the journal
            log.exception("Event consumer failed on %s", event.kind)


class _Pool:
    """The worker processes of one run and the event loop that watches them."""

    def __init__(self, supervisor: Supervisor, journal: Journal, tasks: list[PoTask], max_workers: int) -> None:
        self.sup = supervisor
        self.config = supervisor.config
        self.journal = journal
        self.total = len(tasks)
        self.tasks = {task.po_key: task for task in tasks}
        self.done: set[str] = set()  # POs with a final result (a key, so a repeated result never counts twice)
        self.ctx = multiprocessing.get_context("spawn")
        self.pending: deque[tuple[PoTask, int]] = deque()
        self.cancel_flag = self.ctx.Event()
        self.sign_in_lock = self.ctx.Lock()
        self.slots: dict[int, _Slot] = {}
        now = time.monotonic()
        self.budget = WorkerBudget(
            self.config.workers,
            max_workers,
            len(tasks),
            interval=self.config.autoscale_interval,
            memory=MemoryRule(cooldown=self.config.memory_cooldown),
            now=now,
        )
        self.next_memory_check = now
        self.fatal: tuple[int, str] | None = None
        self.output_error: OutputError | None = None
        self.stop_deadline: float | None = None
        self.pending.extend((task, 1) for task in tasks)

    def _enqueue(self, task: PoTask, attempt: int, *, first: bool = False) -> None:
        if first:
            self.pending.appendleft((task, attempt))
        else:
            self.pending.append((task, attempt))

    def _dispatch(self) -> None:
        """Keep every working worker's inbox topped up, so it can open the next page while files download."""
        if self._stopping():
            return
        for slot in sorted(self._active(), key=lambda s: len(s.assigned)):
            while self.pending and len(slot.assigned) < PER_WORKER_BACKLOG:
                task, attempt = self.pending.popleft()
                slot.assigned[task.po_key] = (task, attempt)
                # Files an interrupted attempt already completed travel with the task, so they are not fetched again.
                slot.inbox.put((task, attempt, self.journal.done_files(task.po_key)))
        if self.pending:
            return
        held = {key for slot in self.slots.values() if not slot.stopped for key in slot.assigned}
        missing = [key for key in self.tasks if key not in self.done and key not in held]
        for key in missing:
            # Nobody holds it and it has no result (a worker died before its events got out): hand it out again.
            log.warning("PO %s was not held by any worker; putting it back on the queue.", key)
            self._enqueue(self.tasks[key], 1)
        if not missing:
            for slot in self._active():
                if not slot.assigned:
                    self._release(slot)

    @property
    def finished(self) -> int:
        return len(self.done)

    def _release(self, slot: _Slot) -> None:
        """No more work for this worker: it stops once its inbox is empty."""
        if not slot.retiring:
            slot.retiring = True
            slot.inbox.put(None)

    def run(self) -> tuple[int, str] | None:
        self._apply_budget()
        try:
            while not self._all_stopped():
                self._drain_events()
                self._check_processes()
                self._check_budget()
                self._dispatch()
                if self.pending and not self._active():
                    self._apply_budget()  # work came back (a crash) after every worker was told it was done
                self._check_cancel()
        finally:
            self._shutdown()
        if self.output_error is not None:
            raise self.output_error
        return self.fatal

    # -- workers ---------------------------------------------------------------------------------------------------
    def _start_worker(self, worker_id: int) -> None:
        retire = self.ctx.Event()
        inbox = self.ctx.Queue()
        events, events_writer = self.ctx.Pipe(duplex=False)
        process = self.ctx.Process(
            target=worker_main,
            args=(worker_id, self.config, inbox, events_writer, self.cancel_flag, self.sign_in_lock, retire),
            name=f"coupa-worker-{worker_id}",
            daemon=True,
        )
        process.start()
        events_writer.close()  # the worker has its copy: the pipe reports end-of-file when the worker is gone
        self.slots[worker_id] = _Slot(worker_id, process, inbox, retire, events=events)

    def _active(self) -> list[_Slot]:
        return [s for s in self.slots.values() if not s.stopped and not s.retiring]

    def _all_stopped(self) -> bool:
        return all(slot.stopped for slot in self.slots.values())

    def _apply_budget(self) -> None:
        """Start or retire workers until the running count matches what the budget wants."""
        if self._stopping() or self.finished >= self.total:
            return
        active = sorted(self._active(), key=lambda s: s.worker_id)
        wanted = min(self.budget.desired, self.total - self.finished)
        while len(active) > max(wanted, 1):
            slot = active.pop()
            slot.retiring = True
            slot.retire.set()
            log.info("Worker %d stops after its current PO (%d workers wanted).", slot.worker_id, wanted)
        busy = {s.worker_id for s in self.slots.values() if not s.stopped}
        while self.pending and len(active) < wanted:  # a new browser only for work that is waiting
            worker_id = next(i for i in range(1, len(self.slots) + 2) if i not in busy)
            busy.add(worker_id)
            self._start_worker(worker_id)
            active.append(self.slots[worker_id])

    def _check_budget(self) -> None:
        now = time.monotonic()
        changes: list[Event] = []
        decision = self.budget.recheck(now, self.total - self.finished)
        if decision is not None:
            log.info("Autoscaling %s: %s", decision.action, decision.reason)
            changes.append(decision)
        if now >= self.next_memory_check:
            self.next_memory_check = now + self.config.memory_interval
            pressure = self.budget.observe_memory(now, self.sup.memory_percent(), len(self._active()))
            if pressure is not None:
                log.warning("System memory at %.0f%%: now %d worker(s).", pressure.percent, pressure.workers)
                changes.append(pressure)
        for event in changes:
            self.sup._emit(event)
        if changes:
            self._apply_budget()

    def _drain_events(self, wait: float = POLL_SECONDS) -> None:
        """Handle every event waiting in the workers' pipes (waiting at most `wait` seconds for the first)."""
        readers: dict[Any, _Slot] = {slot.events: slot for slot in self.slots.values() if slot.events is not None}
        for ready in multiprocessing.connection.wait(list(readers), timeout=wait):
            slot = readers[ready]
            reader: Connection = slot.events
            try:
                while reader.poll():
                    self._handle(reader.recv())
            except (EOFError, OSError):
                # The worker is gone (its end of the pipe closed, possibly mid-message): nothing more will come.
                reader.close()
                slot.events = None

    def _handle(self, event: Event) -> None:
        slot = self.slots.get(getattr(event, "worker_id", 0))
        try:
            self._track(event, slot)
        except (OSError, sqlite3.Error) as exc:
            self._journal_failed(exc)
        self.sup._emit(event)

    def _track(self, event: Event, slot: _Slot | None) -> None:
        if isinstance(event, PoStarted) and slot is not None:
            slot.reading = event.po_key
        elif isinstance(event, WorkerReady) and slot is not None:
            slot.browser_pids = event.browser_pids
        elif isinstance(event, FileDone):
            self.journal.record_file(event.po_key, event.url, SavedFile(event.name, event.size, event.sha256))
        elif isinstance(event, PoFinished):
            self.journal.record(event.result, event.files)
            self.done.add(event.result.po_key)
            if slot is not None:
                slot.assigned.pop(event.result.po_key, None)
        elif isinstance(event, PoRequeued) and slot is not None and event.po_key in slot.assigned:
            # Cancelled before it finished: marked CANCELLED at the end, like the POs never started.
            slot.assigned.pop(event.po_key)
        elif isinstance(event, WorkerError):
            if event.fatal and self.fatal is None:
                self.fatal = (event.exit_code, event.message)
                self._begin_stop()
            elif slot is not None:
                slot.crashed = event.message
        elif isinstance(event, WorkerStopped) and slot is not None:
            slot.process.join(timeout=5)
            self._after_exit(slot)

    def _journal_failed(self, exc: BaseException) -> None:
        if self.output_error is None:
            where = self.config.output_dir
            self.output_error = OutputError(
                f"Cannot write the run journal in {where} ({exc}). Is the disk full? Free some space and run again "
                "with --resume: every PO finished so far is kept."
            )
            self.fatal = (EXIT_USAGE, str(self.output_error))
            self._begin_stop()

    def _check_processes(self) -> None:
        for slot in list(self.slots.values()):
            if not slot.stopped and slot.process.exitcode is not None:
                # Its last events (WorkerStopped) may have arrived after our last read.
                self._drain_events(wait=0.05)
                if slot.stopped:
                    continue
                # Died without saying goodbye (killed, out of memory): its browser may still be running.
                slot.crashed = (
                    slot.crashed or f"the worker process ended unexpectedly (exit code {slot.process.exitcode})"
                )
                self._after_exit(slot)

    def _after_exit(self, slot: _Slot) -> None:
        if slot.stopped:
            return
        slot.stopped = True
        self._kill_browser(slot)
        if slot.events is not None:  # everything it sent was read before this point
            slot.events.close()
            slot.events = None
        held, slot.assigned = slot.assigned, {}
        reason = slot.crashed or "the worker stopped"
        for po_key, (task, attempt) in held.items():
            # Only the PO the browser was on counts a try; one downloading or still waiting was a bystander.
            blamed = bool(slot.crashed) and po_key == slot.reading
            self._retry_or_fail(slot.worker_id, task, attempt, reason, counts=blamed)
        if slot.crashed and not slot.retiring and not self._stopping() and self.finished < self.total:
            self._start_worker(slot.worker_id)
            self.sup._emit(WorkerRestarted(slot.worker_id, slot.crashed))

    def _retry_or_fail(self, worker_id: int, task: PoTask, attempt: int, reason: str, *, counts: bool = True) -> None:
        if self._stopping():
            return  # marked CANCELLED at the end
        if not counts:
            self._enqueue(task, attempt, first=True)
            self.sup._emit(PoRequeued(worker_id, task.po_key, reason))
            return
        if attempt >= self.config.max_po_attempts:
            result = PoResult(
                task.po_key,
                PoStatus.FAILED,
                error_message=f"Gave up after {attempt} tries: {reason}",
                attempts=attempt,
                finished_at=datetime.now().isoformat(timespec="seconds"),
            )
            self._handle(PoFinished(worker_id, result))
            return
        self._enqueue(task, attempt + 1)
        self.sup._emit(PoRequeued(worker_id, task.po_key, reason))

    def _kill_browser(self, slot: _Slot) -> None:
        pids: set[int] = set()
        for pid in slot.browser_pids:
            pids.update(process_tree(pid))
        if pids:
            kill_pids(sorted(pids))

    # -- stopping --------------------------------------------------------------------------------------------------
    def _stopping(self) -> bool:
        return self.stop_deadline is not None

    def _check_cancel(self) -> None:
        if self.sup._cancel_requested.is_set() and not self._stopping():
            self._begin_stop()
        if self.stop_deadline is not None and time.monotonic() > self.stop_deadline:
            self._force_stop()

    def _begin_stop(self) -> None:
        if self._stopping():
            return
        self.cancel_flag.set()
        self.stop_deadline = time.monotonic() + self.config.cancel_grace
        self.pending.clear()
        for slot in self.slots.values():
            if not slot.stopped:
                self._release(slot)

    def _force_stop(self) -> None:
        for slot in self.slots.values():
            if not slot.stopped:
                log.warning("Worker %d did not stop in time; stopping it forcibly.", slot.worker_id)
                self._kill_browser(slot)
                with contextlib.suppress(Exception):
                    slot.process.kill()
                slot.process.join(timeout=5)
                slot.stopped = True
                self.sup._emit(WorkerStopped(slot.worker_id))

    def _shutdown(self) -> None:
        if not self._all_stopped():
            self._begin_stop()
            self._force_stop()
        deadline = time.monotonic() + STOP_WAIT
        for slot in self.slots.values():
            slot.process.join(timeout=max(0.1, deadline - time.monotonic()))
        for slot in self.slots.values():
            slot.inbox.cancel_join_thread()
            slot.inbox.close()
            if slot.events is not None:
                slot.events.close()

"""The supervisor: the policy of one run on this machine, over a fleet of worker processes, and the journal's writer.

It lives in the parent process (the CLI's main thread, or the window's QThread). It hands each worker POs through
the worker's own inbox (`core.run.fleet` starts and stops the processes and knows who holds what), reads their events,
writes each finished PO to the journal (the only writer), replaces a worker whose browser or process died (its POs
go back to the waiting line, at most `max_po_attempts` tries), scales the fleet to the worker budget, stops
everything on cancel (politely, then forcibly, killing only the processes this run started) and finally writes the
report from the journal.
"""

from __future__ import annotations

import logging
import sqlite3
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psutil

from core.config import RunConfig
from core.errors import EXIT_CANCELLED, EXIT_OK, EXIT_USAGE, InputError, OutputError
from core.events import (
    Event,
    FileDone,
    PoFinished,
    PoRequeued,
    RunContinued,
    RunFinished,
    RunPaused,
    RunStarted,
    WorkerError,
    WorkerRestarted,
    WorkerStopped,
)
from core.models import PoResult, PoTask, SavedFile
from core.paths import profiles_dir
from core.po.path_budget import system_path_budget
from core.po.profile_dirs import sweep_dead_profiles
from core.run.closing import close_run
from core.run.fleet import Departure, Fleet
from core.run.history import KIND_RESUME, KIND_RETRY, KIND_RUN, RunRecord, new_run_id, record_safely
from core.run.journal import RUN_FINISHED, RUN_RUNNING, Journal
from core.run.scaling import MemoryRule, WorkerBudget
from core.workbook.snapshot import existing_snapshot, write_snapshot
from core.workbook.spreadsheet import InputSheet, read_input
from core.worker_count import auto_workers

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1


def worker_backlog(pages_per_worker: int) -> int:
    """POs a worker holds at most: per tab one being read and one downloading, and one waiting so that the next page
    opens at once."""
    return 2 * pages_per_worker + 1


@dataclass
class RunOutcome:
    exit_code: int
    report: Path | None
    counts: dict[str, int] = field(default_factory=dict)
    cancelled: bool = False
    message: str = ""
    # Every PO's final answer from the journal, the POs marked CANCELLED at the end included (no event announces them).
    results: list[PoResult] = field(default_factory=list)


class Supervisor:
    """One run. `run` once; `cancel`, `pause` and `resume` from any thread."""

    def __init__(
        self,
        config: RunConfig,
        on_event: Callable[[Event], None],
        *,
        memory_percent: Callable[[], float] | None = None,
    ) -> None:
        self.config = config
        self._on_event = on_event
        self._cancel_requested = threading.Event()
        self._pause_requested = threading.Event()
        self._paused = False  # what the fleet was last told (the event loop's side of `_pause_requested`)
        # Injectable so tests can simulate memory pressure without exhausting the machine.
        self.memory_percent = memory_percent or (lambda: float(psutil.virtual_memory().percent))
        self._fleet = Fleet(config)
        self._waiting: deque[tuple[PoTask, int]] = deque()  # POs no worker holds yet, with their attempt
        self._tasks: dict[str, PoTask] = {}
        self._done: set[str] = set()  # POs with a final result (a key, so a repeated result never counts twice)
        self._fatal: tuple[int, str] | None = None
        self._output_error: OutputError | None = None
        self._stop_deadline: float | None = None
        self._next_memory_check = 0.0
        # Set when the run starts (`_run`), before the event loop reads them.
        self._journal: Journal
        self._budget: WorkerBudget

    def cancel(self) -> None:
        """Stop the run: no new POs, workers abandon their current file, then are stopped. Thread-safe."""
        self._cancel_requested.set()

    def pause(self) -> None:
        """No new PO starts; files in flight finish; browsers stay open and signed in. Thread-safe."""
        self._pause_requested.set()

    def resume(self) -> None:
        """Continue a paused run. Thread-safe."""
        self._pause_requested.clear()

    def _chosen_tasks(self, tasks: list[PoTask], journal: Journal) -> tuple[list[PoTask], str]:
        """Of the sheet's POs, those this run processes, and what kind of run it is (for the history)."""
        config = self.config
        if config.retry:
            again, answered = journal.retry_keys(), set(journal.results())
            # An unfinished run also still owes the POs it never reached (what --resume would do).
            owed = journal.run_state != RUN_FINISHED
            return [t for t in tasks if t.po_key in again or (owed and t.po_key not in answered)], KIND_RETRY
        if config.resume and journal.run_state is not None:
            done = journal.done_keys()
            return [t for t in tasks if t.po_key not in done], KIND_RESUME
        return tasks, KIND_RUN

    # -- the run ---------------------------------------------------------------------------------------------------
    def run(self) -> RunOutcome:
        config = self.config
        # The browsers start (and sign in) while the spreadsheet is read: a large sheet takes seconds, so do they.
        for _ in range(config.workers or 0):
            self._fleet.start()
        try:
            # A resumed or retried run reads the input as it was when the run first started, even if it moved since.
            snapshot = existing_snapshot(config.output_dir) if config.resume or config.retry else None
            source = snapshot or config.input_path
            sheet = read_input(
                source, sheet=config.sheet, po_column=config.po_column, redo_completed=config.redo_completed
            )
            journal = _open_journal(config)
        except BaseException:
            self._stop_early_workers()
            raise
        try:
            if snapshot is None:
                snapshot = write_snapshot(sheet.content.data, config.input_path, config.output_dir)
            sheet.path, sheet.source = snapshot, config.input_path
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
        sweep_dead_profiles(profiles_dir())
        every_task = sheet.tasks()
        chosen, kind = self._chosen_tasks(every_task, journal)
        description = config.description or journal.get_meta("description") or ""
        journal.set_meta(
            {
                "state": RUN_RUNNING,
                "input": str(config.input_path),
                "started_at": started.isoformat(),
                "description": description,
            }
        )
        tasks = chosen[: config.limit] if config.limit is not None else chosen
        self._journal = journal
        self._tasks = {task.po_key: task for task in tasks}
        self._waiting.extend((task, 1) for task in tasks)
        now = time.monotonic()
        self._next_memory_check = now
        self._budget = WorkerBudget(
            config.workers,
            auto_workers(len(tasks)) if config.workers is None else config.workers,
            len(tasks),
            interval=config.autoscale_interval,
            memory=MemoryRule(cooldown=config.memory_cooldown),
            now=now,
        )
        workers = min(self._budget.desired, len(tasks))
        already_done = len(every_task) - len(chosen)
        self._emit(RunStarted(len(every_task), len(tasks), already_done, workers, str(config.output_dir)))
        record = RunRecord(
            new_run_id(),
            started.isoformat(timespec="seconds"),
            kind,
            str(config.output_dir.resolve()),
            str(config.input_path.resolve()),
            description,
            workers=workers,
        )
        record_safely(record)
        if not tasks:
            self._stop_early_workers()
        fatal = self._watch_fleet() if tasks else None
        stopped = self._cancel_requested.is_set() or fatal is not None
        closed = close_run(
            journal,
            sheet,
            [t.po_key for t in tasks],
            started=started,
            workers=workers,
            stopped=stopped,
            reason=fatal[1] if fatal else "Stopped by the user before this PO finished.",
            record=record,
            answered=self._done,
        )
        report, counts, cancelled = closed.report, closed.counts, closed.cancelled
        if fatal is not None:
            exit_code, message = fatal
        elif cancelled:
            exit_code, message = EXIT_CANCELLED, "Cancelled: unfinished POs are marked CANCELLED; run with --resume."
        else:
            exit_code, message = EXIT_OK, ""
        self._emit(RunFinished(str(report), counts, cancelled, exit_code, message))
        return RunOutcome(exit_code, report, counts, cancelled, message, list(closed.results.values()))

    def _stop_early_workers(self) -> None:
        """The run ends before it began (bad input, nothing to do): the workers started early go at once."""
        self._fleet.cancel()
        self._fleet.kill_starting()  # none has been heard from yet: each counts as starting
        self._fleet.close()

    def _emit(self, event: Event) -> None:
        try:
            self._on_event(event)
        except Exception:  # a consumer's bug must not stop the run or lose the journal
            log.exception("Event consumer failed on %s", event.kind)

    def _watch_fleet(self) -> tuple[int, str] | None:
        """The event loop: until every worker has stopped. Returns the fatal error that ended the run, if any."""
        fleet = self._fleet
        self._apply_budget()
        try:
            while not fleet.all_stopped():
                self._receive(POLL_SECONDS)
                self._check_processes()
                self._check_budget()
                self._check_pause()
                self._dispatch()
                if self._waiting and not fleet.working():
                    self._apply_budget()  # work came back (a crash) after every worker was told it was done
                self._check_cancel()
        finally:
            if not fleet.all_stopped():
                self._begin_stop()
                self._force_stop()
            fleet.close()
        if self._output_error is not None:
            raise self._output_error
        return self._fatal

    # -- handing out work ------------------------------------------------------------------------------------------
    def _dispatch(self) -> None:
        """Keep every working worker's inbox topped up, so it can open the next page while files download."""
        if self._stopping() or self._paused:
            return
        backlog = worker_backlog(self.config.pages_per_worker)
        while self._waiting:
            # One PO at a time to the worker holding the fewest, so a short run is shared out evenly.
            open_ = [w for w in self._fleet.working() if len(w.held) < backlog]
            if not open_:
                break
            worker = min(open_, key=lambda w: len(w.held))
            task, attempt = self._waiting.popleft()
            # Files an interrupted attempt already completed travel with the task, so they are not fetched again.
            self._fleet.hand(worker, task, attempt, self._journal.done_files(task.po_key))
        if self._waiting:
            return
        held = self._fleet.held_keys()
        missing = [key for key in self._tasks if key not in self._done and key not in held]
        for key in missing:
            # Nobody holds it and it has no result (a worker died before its events got out): hand it out again.
            log.warning("PO %s was not held by any worker; handing it out again.", key)
            self._waiting.append((self._tasks[key], 1))
        if not missing:
            for worker in self._fleet.working():
                if not worker.held:
                    self._fleet.release(worker)

    def _unfinished(self) -> int:
        return len(self._tasks) - len(self._done)

    # -- how many workers ------------------------------------------------------------------------------------------
    def _apply_budget(self) -> None:
        """Start or retire workers until the running count matches what the budget wants."""
        if self._stopping() or not self._unfinished():
            return
        working = self._fleet.working()
        wanted = min(self._budget.desired, self._unfinished())
        while len(working) > max(wanted, 1):
            worker = working.pop()
            self._fleet.retire(worker)
            log.info("Worker %d stops after its current PO (%d workers wanted).", worker.worker_id, wanted)
        while self._waiting and len(working) < wanted and not self._paused:  # a new browser only for waiting work
            working.append(self._fleet.start())

    def _check_budget(self) -> None:
        now = time.monotonic()
        changes: list[Event] = []
        decision = self._budget.recheck(now, self._unfinished())
        if decision is not None:
            log.info("Autoscaling %s: %s", decision.action, decision.reason)
            changes.append(decision)
        if now >= self._next_memory_check:
            self._next_memory_check = now + self.config.memory_interval
            pressure = self._budget.observe_memory(now, self.memory_percent(), len(self._fleet.working()))
            if pressure is not None:
                log.warning("System memory at %.0f%%: now %d worker(s).", pressure.percent, pressure.workers)
                changes.append(pressure)
        for event in changes:
            self._emit(event)
        if changes:
            self._apply_budget()

    def _check_pause(self) -> None:
        wanted = self._pause_requested.is_set()
        if wanted == self._paused or self._stopping():  # a cancel ends a pause too: the workers stop either way
            return
        self._paused = wanted
        self._fleet.pause(wanted)
        log.info("Run %s.", "paused" if wanted else "continued")
        self._emit(RunPaused() if wanted else RunContinued())
        if not wanted:
            self._apply_budget()

    # -- what the workers say --------------------------------------------------------------------------------------
    def _receive(self, wait: float) -> None:
        for event in self._fleet.receive(wait):
            self._handle(event)

    def _handle(self, event: Event) -> None:
        try:
            self._record(event)
        except (OSError, sqlite3.Error) as exc:
            self._journal_failed(exc)
        if isinstance(event, WorkerStopped):
            self._after_exit(self._fleet.depart(event.worker_id))
        self._emit(event)

    def _record(self, event: Event) -> None:
        if isinstance(event, FileDone):
            self._journal.record_file(event.po_key, event.url, SavedFile(event.name, event.size, event.sha256))
        elif isinstance(event, PoFinished):
            self._journal.record(event.result, event.files)
            self._done.add(event.result.po_key)
        elif isinstance(event, WorkerError) and event.fatal and self._fatal is None:
            self._fatal = (event.exit_code, event.message)
            self._begin_stop()

    def _journal_failed(self, exc: BaseException) -> None:
        if self._output_error is None:
            where = self.config.output_dir
            self._output_error = OutputError(
                f"Cannot write the run journal in {where} ({exc}). Is the disk full? Free some space and run again "
                "with --resume: every PO finished so far is kept."
            )
            self._fatal = (EXIT_USAGE, str(self._output_error))
            self._begin_stop()

    # -- workers that are gone -------------------------------------------------------------------------------------
    def _check_processes(self) -> None:
        for worker_id in self._fleet.ended_unannounced():
            self._receive(0.05)  # its last events (WorkerStopped) may have arrived after our last read
            self._after_exit(self._fleet.depart(worker_id))

    def _after_exit(self, gone: Departure | None) -> None:
        if gone is None:
            return
        reason = gone.crashed or "the worker stopped"
        for po_key, (task, attempt) in gone.held.items():
            # Only the POs whose pages the browser was on count a try; one downloading or still waiting was a bystander.
            blamed = bool(gone.crashed) and po_key in gone.reading
            self._retry_or_fail(gone.worker_id, task, attempt, reason, counts=blamed)
        if gone.crashed and not gone.retiring and not self._stopping() and self._unfinished():
            self._fleet.start(gone.worker_id)
            self._emit(WorkerRestarted(gone.worker_id, gone.crashed))

    def _retry_or_fail(self, worker_id: int, task: PoTask, attempt: int, reason: str, *, counts: bool) -> None:
        if self._stopping():
            return  # marked CANCELLED at the end
        if not counts:
            self._waiting.appendleft((task, attempt))
            self._emit(PoRequeued(worker_id, task.po_key, reason))
        elif attempt >= self.config.max_po_attempts:
            self._handle(
                PoFinished(worker_id, PoResult.failed(task.po_key, f"Gave up after {attempt} tries: {reason}", attempt))
            )
        else:
            self._waiting.append((task, attempt + 1))
            self._emit(PoRequeued(worker_id, task.po_key, reason))

    # -- stopping --------------------------------------------------------------------------------------------------
    def _stopping(self) -> bool:
        return self._stop_deadline is not None

    def _check_cancel(self) -> None:
        if self._cancel_requested.is_set() and not self._stopping():
            self._begin_stop()
        if self._stop_deadline is not None and time.monotonic() > self._stop_deadline:
            self._force_stop()

    def _begin_stop(self) -> None:
        if self._stopping():
            return
        self._stop_deadline = time.monotonic() + self.config.cancel_grace
        self._waiting.clear()
        self._fleet.cancel()
        for worker_id in self._fleet.kill_starting():
            self._emit(WorkerStopped(worker_id))

    def _force_stop(self) -> None:
        for worker_id in self._fleet.kill_all():
            self._emit(WorkerStopped(worker_id))


def _open_journal(config: RunConfig) -> Journal:
    """The run folder's journal, once the folder is known writable and not another run's (unless resuming or
    retrying it)."""
    if config.output_dir.is_file():
        raise InputError(f"The output {config.output_dir} is a file; choose a folder.")
    if config.retry and not config.journal_path.exists():
        raise InputError(f"The folder {config.output_dir} holds no earlier run to retry; run without --retry.")
    system_path_budget().check_run_dir(str(config.output_dir))
    try:
        config.output_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=config.output_dir, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise InputError(f"Cannot write to the output folder {config.output_dir}: {exc.strerror or exc}.") from exc
    had_journal = config.journal_path.exists()
    journal = Journal(config.journal_path)
    state = journal.run_state
    if had_journal and state is not None and not (config.resume or config.retry):
        journal.close()
        what = "a finished run" if state == RUN_FINISHED else "an unfinished run"
        raise InputError(
            f"The folder {config.output_dir} already holds {what}. Use --resume to continue it "
            "(finished POs are skipped), --retry to run its failed, partial, cancelled and no-access POs again, "
            "or choose another output folder."
        )
    return journal

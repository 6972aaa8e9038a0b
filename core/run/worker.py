"""A worker process: one browser, reused for many POs, taking tasks from its own inbox (the supervisor fills it).

The worker keeps `pages_per_worker` POs in flight: one lane (a thread with a tab of the browser) per page. In each lane
a PO runs `core.po.job` in two phases, overlapped: while one PO's files download over HTTP (one download pool for the
whole worker), the lane's tab already opens its next PO's page. So a crash or a cancel concerns at most two POs per
lane (the supervisor hands them all out again).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Protocol

from core.config import RunConfig
from core.errors import (
    EXIT_BROWSER,
    EXIT_SIGN_IN,
    EXIT_UNREACHABLE,
    BrowserCrashed,
    BrowserStartError,
    Cancelled,
    PortalUnreachable,
    SignInRequired,
)
from core.events import (
    Event,
    PoFinished,
    PoRequeued,
    WorkerError,
    WorkerPaused,
    WorkerReady,
    WorkerSigningIn,
    WorkerStarted,
    WorkerStopped,
)
from core.logs import setup_logging
from core.paths import profiles_dir
from core.po.browser import Browser, BrowserOptions
from core.po.downloads import Downloader
from core.po.folders import UniqueNames
from core.po.job import CancelFlag, PoInProgress, WorkerContext, finish_po, read_po, unexpected_failure
from core.po.session import LockLike, PortalSession, SessionStore
from core.processes import kill_pids

log = logging.getLogger(__name__)

PAUSE_POLL = 0.25  # seconds between two looks at the pause flag while paused
PARENT_GONE_GRACE = 3.0  # seconds a worker whose supervisor died gets to stop by itself before it is killed


# -- the worker process ----------------------------------------------------------------------------------------------


class QueueLike(Protocol):
    def get(self, block: bool = True, timeout: float | None = None) -> Any: ...
    def get_nowait(self) -> Any: ...
    def put(self, obj: Any, block: bool = True, timeout: float | None = None) -> None: ...


def start_context(
    worker_id: int, config: RunConfig, emit: Callable[[Event], None], cancel: CancelFlag, sign_in_lock: LockLike
) -> WorkerContext:
    """Start a browser and build everything `process_po` needs (not signed in yet: see `worker_main`)."""
    browser = Browser(
        BrowserOptions.for_run(config),
        profiles_root=profiles_dir(),
        name=f"worker{worker_id}",
    )
    browser.start()
    browser.cancelled = cancel.is_set  # a cancel ends any wait for a page at once
    try:
        return _context_for(worker_id, config, browser, emit, cancel, sign_in_lock)
    except BaseException:
        browser.quit()
        raise


def _context_for(
    worker_id: int,
    config: RunConfig,
    browser: Browser,
    emit: Callable[[Event], None],
    cancel: CancelFlag,
    sign_in_lock: LockLike,
) -> WorkerContext:
    session = PortalSession(
        browser,
        config.base_url,
        SessionStore.for_portal(config.base_url),
        sign_in_lock,
        interactive=config.interactive_sign_in,
        sign_in_timeout=config.sign_in_timeout,
        headless_sign_in_timeout=config.headless_sign_in_timeout,
        cancelled=cancel.is_set,
    )
    names = UniqueNames()
    downloader = Downloader(
        config.base_url,
        user_agent=browser.user_agent(),
        max_parallel=config.downloads_per_worker,
        cancel=cancel,  # type: ignore[arg-type]
        names=names,
    )
    session.on_cookies_changed = downloader.set_cookies
    return WorkerContext(worker_id, config, session, downloader, names, emit, cancel)


def worker_main(
    worker_id: int,
    config: RunConfig,
    tasks: QueueLike,
    events: Connection,
    cancel: CancelFlag,
    sign_in_lock: LockLike,
    retire: CancelFlag,
    pause: CancelFlag,
) -> None:
    """Entry point of a worker process (spawned). Talks to the supervisor through `events` only.

    `cancel` stops the whole run; `retire` asks this worker alone to stop after its current PO (scaling down);
    while `pause` is set the worker finishes the POs in flight and starts no new one.
    """
    if hasattr(os, "setpgrp"):
        # Our own process group: a Ctrl+C in the terminal reaches the supervisor only, which then stops us in order.
        os.setpgrp()
    setup_logging(f"worker-{worker_id}")
    send_lock = threading.Lock()

    def emit(event: Event) -> None:
        # Download threads report progress too: one message at a time on the pipe.
        with send_lock:
            events.send(event)

    emit(WorkerStarted(worker_id, os.getpid()))
    ctx: WorkerContext | None = None
    try:
        try:
            ctx = start_context(worker_id, config, emit, cancel, sign_in_lock)
        except BrowserStartError as exc:
            if not cancel.is_set():  # else the run stopped this browser while it started: no error of its own
                emit(WorkerError(worker_id, str(exc), fatal=True, exit_code=EXIT_BROWSER))
            return
        _watch_parent(ctx, cancel)
        emit(WorkerReady(worker_id, tuple(ctx.session.browser.pids)))
        emit(WorkerSigningIn(worker_id, "starting"))
        # The first worker signs in; the others wait on the lock and reuse its session.
        ctx.session.sign_in("worker starting", verify=True)
        Lanes(ctx, tasks, retire, pause).run()
    except Cancelled:
        log.info("Worker %d cancelled.", worker_id)
    except SignInRequired as exc:
        emit(WorkerError(worker_id, str(exc), fatal=True, exit_code=EXIT_SIGN_IN))
    except PortalUnreachable as exc:
        # Checked when the worker starts (and on every sign-in): no point in trying PO after PO.
        emit(WorkerError(worker_id, str(exc), fatal=True, exit_code=EXIT_UNREACHABLE))
    except BrowserCrashed as exc:
        # The supervisor hands our PO out again and starts a replacement worker.
        emit(WorkerError(worker_id, str(exc)))
    finally:
        if ctx is not None:
            ctx.downloader.close()
            ctx.session.browser.quit()
        emit(WorkerStopped(worker_id))


def _watch_parent(ctx: WorkerContext, cancel: CancelFlag) -> None:
    """If the supervisor dies (killed, crashed), stop: politely first, then kill our own browser and exit."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        while parent.is_alive():
            time.sleep(0.5)
        log.warning("The supervisor is gone; worker %d stops.", ctx.worker_id)
        cancel.set()
        time.sleep(PARENT_GONE_GRACE)
        kill_pids(ctx.session.browser.pids)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class Lanes:
    """The worker's lanes: each takes POs from the inbox and reads them in a tab of its own. The first lane to fail
    (the browser died, sign-in is needed, the portal is gone) stops them all, and `run` raises its error."""

    def __init__(self, ctx: WorkerContext, tasks: QueueLike, retire: CancelFlag, pause: CancelFlag) -> None:
        self._ctx = ctx
        self._tasks = tasks
        self._retire = retire
        self._pause = pause
        self._stop = threading.Event()  # no more work, or a lane failed: every lane finishes what it holds and ends
        self._lock = threading.Lock()
        self._paused: set[int] = set()  # the lanes waiting out a pause (the worker is paused when all are)
        self._failures: list[BaseException] = []
        self._reads = threading.Condition()
        self._readers = 0  # lanes reading a page now
        self._alone = 0  # lanes reading (1) or waiting to read (more) a PO alone

    def run(self) -> None:
        count = self._ctx.config.pages_per_worker
        threads = [threading.Thread(target=self._lane, args=(n,), name=f"lane-{n}") for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self._failures:
            raise next((e for e in self._failures if not isinstance(e, Cancelled)), self._failures[0])

    def _lane(self, lane: int) -> None:
        try:
            self._work_loop(lane)
        except BaseException as exc:  # handed to the worker's main thread, which reports it
            with self._lock:
                self._failures.append(exc)
            self._stop.set()

    def _running(self) -> bool:
        return not (self._ctx.cancel.is_set() or self._retire.is_set() or self._stop.is_set())

    def _set_paused(self, lane: int, paused: bool) -> None:
        with self._lock:
            was_paused = len(self._paused) == self._ctx.config.pages_per_worker
            (self._paused.add if paused else self._paused.discard)(lane)
            now_paused = len(self._paused) == self._ctx.config.pages_per_worker
        if now_paused and not was_paused:
            self._ctx.emit(WorkerPaused(self._ctx.worker_id))

    @contextlib.contextmanager
    def _reading(self, *, alone: bool) -> Iterator[None]:
        """Read a page beside the other lanes', or, for a PO retried after its browser died, alone: the crash is
        blamed on every PO whose page was open, so a retried PO is read alone and a second crash is its own."""
        with self._reads:
            self._alone += alone
            while self._readers if alone else self._alone:
                if self._ctx.cancel.is_set():
                    self._alone -= alone
                    raise Cancelled("Cancelled.")
                self._reads.wait(PAUSE_POLL)
            self._readers += 1
        try:
            yield
        finally:
            with self._reads:
                self._readers -= 1
                self._alone -= alone
                self._reads.notify_all()

    def _work_loop(self, lane: int) -> None:
        ctx, tasks = self._ctx, self._tasks
        downloading: PoInProgress | None = None  # the PO whose files are downloading while we read the next page
        try:
            while self._running():
                if self._pause.is_set():
                    # The POs in our inbox wait; the one downloading finishes; the browser stays open and signed in.
                    _finish(ctx, downloading)
                    downloading = None
                    self._set_paused(lane, True)
                    ctx.cancel.wait(PAUSE_POLL)
                    continue
                self._set_paused(lane, False)
                try:
                    # With files in flight, don't wait for new work: finish that PO first if the inbox is empty.
                    item = tasks.get_nowait() if downloading else tasks.get(timeout=0.25)
                except queue.Empty:
                    _finish(ctx, downloading)
                    downloading = None
                    continue
                if item is None:  # the supervisor's "no more work" (it sends it once the worker holds nothing)
                    self._stop.set()
                    return
                task, attempt, done_files = item
                try:
                    with self._reading(alone=attempt > 1):
                        step = read_po(ctx, task, attempt, done_files)
                except Cancelled:
                    ctx.emit(PoRequeued(ctx.worker_id, task.po_key, "cancelled"))
                    return
                except (BrowserCrashed, SignInRequired, PortalUnreachable):
                    raise
                except Exception as exc:  # a bug or an unexpected page must cost one PO, not the worker
                    log.exception("PO %s failed unexpectedly", task.po_key)
                    step = unexpected_failure(task, attempt, exc), []
                _finish(ctx, downloading)
                downloading = None
                if isinstance(step, PoInProgress):
                    downloading = step
                else:
                    # Opening the next PO's page replaces this one: page state goes, the session stays.
                    ctx.emit(PoFinished(ctx.worker_id, step[0], tuple(step[1])))
        finally:
            # Cancelled or crashed: the files in flight still get their true status (CANCELLED when cut short).
            with contextlib.suppress(BrowserCrashed, SignInRequired, PortalUnreachable, Cancelled):
                _finish(ctx, downloading)


def _finish(ctx: WorkerContext, job: PoInProgress | None) -> None:
    """Wait for a PO's files, finalize it and report it."""
    if job is None:
        return
    try:
        result, files = finish_po(ctx, job)
    except (BrowserCrashed, SignInRequired, PortalUnreachable):
        raise
    except Exception as exc:
        log.exception("PO %s failed unexpectedly", job.task.po_key)
        result, files = unexpected_failure(job.task, job.attempt, exc), []
    ctx.emit(PoFinished(ctx.worker_id, result, tuple(files)))

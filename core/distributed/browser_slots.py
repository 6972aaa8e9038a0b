"""The browsers of one node process: one per pool slot, signed in once and reused for every task.

A task takes an idle browser (or starts one when none is idle: a slot whose browser died, or a pool that grew) and
gives it back when done. In the prefork pool each process holds one; in the threads pool one process holds one per
thread; the same code serves both, since a task never keeps a browser between deliveries.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import threading
from pathlib import Path

from core.config import RunConfig
from core.errors import BrowserCrashed
from core.events import Event
from core.paths import app_data_dir
from core.po.job import CancelFlag, WorkerContext
from core.run.worker import start_context

log = logging.getLogger(__name__)


class FileLock:
    """The browsers of one machine sign in one at a time (the first signs in, the others reuse its session)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._thread_lock = threading.Lock()

    def __enter__(self) -> FileLock:
        self._thread_lock.acquire()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        if sys.platform != "win32":  # a Windows node is one process (threads pool): the thread lock is enough
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            if sys.platform != "win32":
                import fcntl

                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()


class BrowserSlots:
    def __init__(self, config: RunConfig, cancel: CancelFlag) -> None:
        self.config = config
        self.cancel = cancel
        self._lock = threading.Lock()
        self._idle: list[WorkerContext] = []
        self._numbers = itertools.count(1)
        self._sign_in_lock = FileLock(app_data_dir() / "sessions" / ".node-sign-in.lock")

    def start(self, count: int) -> None:
        """Start `count` browsers now (signed in), so the node is ready before it takes work."""
        for _ in range(count):
            ctx = self._start_one()
            with self._lock:
                self._idle.append(ctx)

    def take(self) -> WorkerContext:
        with self._lock:
            ctx = self._idle.pop() if self._idle else None
        return ctx if ctx is not None else self._start_one()

    def give_back(self, ctx: WorkerContext) -> None:
        """The browser goes back for the next task, its page state cleared; one that died on the way is dropped."""
        try:
            ctx.session.browser.reset_page_state()
        except BrowserCrashed:
            self.discard(ctx)
            return
        with self._lock:
            self._idle.append(ctx)

    def discard(self, ctx: WorkerContext) -> None:
        _quit(ctx)

    def close(self) -> None:
        """Quit every idle browser (at shutdown no task holds one: Celery lets running tasks end first)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for ctx in idle:
            _quit(ctx)

    def _start_one(self) -> WorkerContext:
        number = next(self._numbers)
        ctx = start_context(number, self.config, _log_event, self.cancel, self._sign_in_lock)
        try:
            ctx.session.sign_in("node browser starting", verify=True)
        except BaseException:
            _quit(ctx)
            raise
        log.info(
            "Browser %d of process %d is ready (browser signed in to %s).", number, os.getpid(), self.config.base_url
        )
        return ctx


def _quit(ctx: WorkerContext) -> None:
    try:
        ctx.downloader.close()
    finally:
        ctx.session.browser.quit()


def _log_event(event: Event) -> None:
    log.debug("%s", event)

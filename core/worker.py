"""A worker: one browser, reused for many POs, taking tasks from the shared queue.

`process_po` is the whole per-PO job (open page, classify, read attachments, download, finalize folder). It depends
only on a `WorkerContext` and a task, so the local worker loop below and a distributed task runner can both call it.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from core.browser import Browser, BrowserOptions, LoadedPage, kill_pids
from core.config import RunConfig
from core.downloads import Downloader, FileOutcome
from core.errors import (
    BrowserCrashed,
    BrowserStartError,
    Cancelled,
    DownloadFailed,
    PageTimeout,
    SignInRequired,
)
from core.events import (
    AttachmentsFound,
    Event,
    FileDone,
    FileFailed,
    FileProgress,
    PoFinished,
    PoRequeued,
    PoStarted,
    WorkerError,
    WorkerReady,
    WorkerSigningIn,
    WorkerStarted,
    WorkerStopped,
)
from core.folders import (
    UniqueNames,
    finalize_po_dir,
    find_final_dir,
    po_dir,
    sha256_file,
    start_po_dir,
    work_dir_for,
)
from core.logs import setup_logging
from core.models import AttachmentLink, PoResult, PoStatus, PoTask, SavedFile
from core.paths import app_data_dir
from core.portal import PageKind, classify_page, po_url, read_page
from core.session import LockLike, PortalSession, SessionStore

log = logging.getLogger(__name__)

SESSION_RENEWALS = 2  # per PO: sign in again at most this many times before giving up on it
EXIT_SIGN_IN = 3
PARENT_GONE_GRACE = 3.0  # seconds a worker whose supervisor died gets to stop by itself before it is killed
EXIT_BROWSER = 4


class CancelFlag(Protocol):
    def set(self) -> None: ...
    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


@dataclass
class WorkerContext:
    """What `process_po` needs: a signed-in browser, a downloader, the settings and an event sink."""

    worker_id: int
    config: RunConfig
    session: PortalSession
    downloader: Downloader
    names: UniqueNames
    emit: Callable[[Event], None]
    cancel: CancelFlag
    current_po: list[str] = field(default_factory=lambda: [""])  # for progress events from download threads


def derive_status(found: int, saved: int, *, cancelled: bool = False) -> PoStatus:
    if cancelled and saved < found:
        return PoStatus.CANCELLED
    if found == 0:
        return PoStatus.NO_ATTACHMENTS
    if saved == found:
        return PoStatus.COMPLETED
    return PoStatus.PARTIAL if saved else PoStatus.FAILED


def process_po(
    ctx: WorkerContext, task: PoTask, attempt: int = 1, done_files: Mapping[str, SavedFile] | None = None
) -> tuple[PoResult, list[SavedFile]]:
    """Do one PO from page to final folder. Raises only BrowserCrashed, SignInRequired or Cancelled.

    `done_files` (by URL) are files an earlier, interrupted attempt completed: they are kept, not fetched again.
    """
    started = time.monotonic()
    config = ctx.config
    url = po_url(config.po_url_template, config.base_url, task.po_key)
    ctx.current_po[0] = task.po_key
    ctx.emit(PoStarted(ctx.worker_id, task.po_key, task.folder_name, attempt))

    def result(status: PoStatus, **values: Any) -> PoResult:
        return PoResult(
            po_key=task.po_key,
            status=status,
            source_url=url,
            seconds=round(time.monotonic() - started, 3),
            attempts=attempt,
            finished_at=datetime.now().isoformat(timespec="seconds"),
            **values,
        )

    kind, page_url, html = _open_classified(ctx, url)
    if kind in (PageKind.NOT_FOUND, PageKind.NO_ACCESS):
        message = (
            "Coupa says this PO does not exist or you cannot see it."
            if kind is PageKind.NOT_FOUND
            else ("Coupa says you are not authorized to see this PO.")
        )
        final = _finish_folder(ctx, task, "", PoStatus.PO_NOT_FOUND)
        return result(PoStatus.PO_NOT_FOUND, error_message=message, folder=str(final)), []
    if kind is not PageKind.PO_PAGE:
        final = _finish_folder(ctx, task, "", PoStatus.FAILED)
        message = f"The page at {page_url} does not look like a purchase order."
        return result(PoStatus.FAILED, error_message=message, folder=str(final)), []

    content = read_page(html, page_url)
    supplier = content.supplier
    files = list(content.files)
    from_requisition = False
    note = ""
    if not files and config.requisition_fallback and content.requisition_url:
        files, note = _requisition_files(ctx, content.requisition_url)
        from_requisition = bool(files)
    ctx.emit(AttachmentsFound(ctx.worker_id, task.po_key, supplier, len(files), from_requisition))

    base = po_dir(config.output_dir, task.levels or (supplier,), task.folder_name)
    work, kept = _fresh_work_dir(base, done_files or {})
    saved, errors = _download(ctx, task, [f for f in files if f.url not in kept], work)
    saved = [kept[f.url] for f in files if f.url in kept] + saved
    cancelled = ctx.cancel.is_set()
    status = derive_status(len(files), len(saved), cancelled=cancelled)
    final = finalize_po_dir(work, status.value)
    messages = [note] if note else []
    if from_requisition:
        messages.append("Files taken from the requisition (the PO has none).")
    messages += errors
    non_files = [a for a in content.attachments if a.kind != "file"]
    names = [f.name for f in saved] + [f"{a.name} ({a.kind})" for a in non_files]
    return (
        result(
            status,
            supplier=supplier,
            attachments_found=len(files),
            attachments_downloaded=len(saved),
            attachment_names=names,
            folder=str(final),
            error_message="; ".join(messages),
            bytes_downloaded=sum(f.size for f in saved),
        ),
        saved,
    )


def _open_classified(ctx: WorkerContext, url: str) -> tuple[PageKind, str, str]:
    """Open a portal page and classify it, signing in again (never 'not found') when the session is gone."""
    base = ctx.config.base_url
    for renewal in range(SESSION_RENEWALS + 1):
        page = _open(ctx, url)
        kind = classify_page(page.url, page.html, base)
        if kind is not PageKind.SIGNED_OUT:
            return kind, page.url, page.html
        if renewal == SESSION_RENEWALS:
            break
        ctx.emit(WorkerSigningIn(ctx.worker_id, "the portal asked to sign in again"))
        ctx.session.sign_in("signed out while opening a page")
    raise SignInRequired(f"The portal keeps asking to sign in again ({base}).")


def _open(ctx: WorkerContext, url: str) -> LoadedPage:
    if ctx.cancel.is_set():
        raise Cancelled("Cancelled.")
    try:
        return ctx.session.open(url)
    except PageTimeout as exc:
        # A page that hangs usually means a stuck renderer: a fresh browser is the reliable cure. The supervisor
        # replaces this worker and puts the PO back on the queue (at most `max_po_attempts` tries in all).
        raise BrowserCrashed(str(exc)) from exc


def _requisition_files(ctx: WorkerContext, req_url: str) -> tuple[list[AttachmentLink], str]:
    kind, page_url, html = _open_classified(ctx, req_url)
    if kind not in (PageKind.REQUISITION_PAGE, PageKind.PO_PAGE):
        return [], "The PO has no files and its requisition cannot be opened."
    links = [AttachmentLink(a.name, a.url, a.kind, "requisition") for a in read_page(html, page_url).files]
    return links, ""


def _fresh_work_dir(base: Path, keep: Mapping[str, SavedFile]) -> tuple[Path, dict[str, SavedFile]]:
    """The PO's `__WORK` folder, holding only the files an earlier attempt completed (`keep`, by URL).

    Returns the folder and the kept files by URL; anything else an interrupted attempt left is removed, because it
    is fetched again.
    """
    work = work_dir_for(base)
    earlier = find_final_dir(base)
    if earlier is not None and not work.exists():
        # An attempt the journal never heard the end of (cancelled, crashed, or killed before it could report):
        # continue in its folder.
        earlier.rename(work)
    work = start_po_dir(base)
    by_name = {saved.name: (url, saved) for url, saved in keep.items()}
    kept: dict[str, SavedFile] = {}
    for item in work.iterdir():
        if not item.is_file():
            continue
        url, saved = by_name.get(item.name, ("", None))
        if saved is not None and item.stat().st_size == saved.size:
            kept[url] = saved
        else:
            item.unlink()
    return work, kept


def _finish_folder(ctx: WorkerContext, task: PoTask, supplier: str, status: PoStatus) -> Path:
    """A PO without files still gets its status folder."""
    base = po_dir(ctx.config.output_dir, task.levels or (supplier,), task.folder_name)
    return finalize_po_dir(_fresh_work_dir(base, {})[0], status.value)


def _download(
    ctx: WorkerContext, task: PoTask, files: list[AttachmentLink], work: Path
) -> tuple[list[SavedFile], list[str]]:
    saved: list[SavedFile] = []
    errors: list[str] = []
    pending = files
    for renewal in range(SESSION_RENEWALS + 1):
        outcomes = ctx.downloader.download_all(pending, work) if pending else []
        expired = [o.link for o in outcomes if o.session_expired]
        for outcome in outcomes:
            if outcome.session_expired and renewal < SESSION_RENEWALS:
                continue
            fallback = outcome.saved is None and outcome.needs_browser and not ctx.cancel.is_set()
            _report_file(ctx, task, _browser_download(ctx, outcome, work) if fallback else outcome, saved, errors)
        if not expired or renewal == SESSION_RENEWALS or ctx.cancel.is_set():
            break
        ctx.emit(WorkerSigningIn(ctx.worker_id, "downloads were sent to sign-in"))
        ctx.session.refresh()
        pending = expired
    return saved, errors


def _report_file(
    ctx: WorkerContext, task: PoTask, outcome: FileOutcome, saved: list[SavedFile], errors: list[str]
) -> None:
    if outcome.saved is not None:
        saved.append(outcome.saved)
        done = outcome.saved
        ctx.emit(FileDone(ctx.worker_id, task.po_key, done.name, done.size, outcome.link.url, done.sha256))
    else:
        errors.append(f"{outcome.link.name}: {outcome.error}")
        ctx.emit(FileFailed(ctx.worker_id, task.po_key, outcome.link.name, outcome.error))


def _browser_download(ctx: WorkerContext, outcome: FileOutcome, work: Path) -> FileOutcome:
    """The portal refused a direct request: let the browser fetch it with its own session."""
    link = outcome.link
    reserved: list[Path] = []

    def destination(name: str) -> Path:
        reserved.append(ctx.names.reserve(work, name))
        return reserved[-1]

    try:
        path = ctx.session.browser.download(link.url, destination, timeout=300.0, cancelled=ctx.cancel.is_set)
    except DownloadFailed as exc:
        for path in reserved:
            ctx.names.release(path)
        return FileOutcome(link, None, error=f"{outcome.error}; browser download failed: {exc}")
    return FileOutcome(link, SavedFile(path.name, path.stat().st_size, sha256_file(path)))


def unexpected_failure(task: PoTask, attempt: int, exc: Exception) -> PoResult:
    return PoResult(
        task.po_key,
        PoStatus.FAILED,
        error_message=f"Unexpected error: {type(exc).__name__}: {exc}",
        attempts=attempt,
        finished_at=datetime.now().isoformat(timespec="seconds"),
    )


# -- the worker process ----------------------------------------------------------------------------------------------


class QueueLike(Protocol):
    def get(self, block: bool = True, timeout: float | None = None) -> Any: ...
    def put(self, obj: Any, block: bool = True, timeout: float | None = None) -> None: ...


def start_context(
    worker_id: int, config: RunConfig, emit: Callable[[Event], None], cancel: CancelFlag, sign_in_lock: LockLike
) -> WorkerContext:
    """Start a browser and build everything `process_po` needs (not signed in yet: see `worker_main`)."""
    browser = Browser(
        BrowserOptions.for_run(config),
        profiles_root=app_data_dir() / "profiles",
        name=f"worker{worker_id}",
    )
    browser.start()
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
    current_po = [""]

    def progress(name: str, done: int, total: int | None) -> None:
        emit(FileProgress(worker_id, current_po[0], name, done, total))

    downloader = Downloader(
        config.base_url,
        user_agent=browser.user_agent(),
        max_parallel=config.downloads_per_worker,
        cancel=cancel,  # type: ignore[arg-type]
        progress=progress,
        names=names,
    )
    session.on_cookies_changed = downloader.set_cookies
    return WorkerContext(worker_id, config, session, downloader, names, emit, cancel, current_po)


def worker_main(
    worker_id: int,
    config: RunConfig,
    tasks: QueueLike,
    events: QueueLike,
    cancel: CancelFlag,
    sign_in_lock: LockLike,
    retire: CancelFlag,
) -> None:
    """Entry point of a worker process (spawned). Talks to the supervisor through `events` only.

    `cancel` stops the whole run; `retire` asks this worker alone to stop after its current PO (scaling down).
    """
    if hasattr(os, "setpgrp"):
        # Our own process group: a Ctrl+C in the terminal reaches the supervisor only, which then stops us in order.
        os.setpgrp()
    setup_logging(f"worker-{worker_id}")
    emit = events.put
    emit(WorkerStarted(worker_id, os.getpid()))
    ctx: WorkerContext | None = None
    try:
        try:
            ctx = start_context(worker_id, config, emit, cancel, sign_in_lock)
        except BrowserStartError as exc:
            emit(WorkerError(worker_id, str(exc), fatal=True, exit_code=EXIT_BROWSER))
            return
        _watch_parent(ctx, cancel)
        emit(WorkerReady(worker_id, tuple(ctx.session.browser.pids)))
        emit(WorkerSigningIn(worker_id, "starting"))
        # The first worker signs in; the others wait on the lock and reuse its session.
        ctx.session.sign_in("worker starting", verify=True)
        _work_loop(ctx, tasks, retire)
    except Cancelled:
        log.info("Worker %d cancelled.", worker_id)
    except SignInRequired as exc:
        emit(WorkerError(worker_id, str(exc), fatal=True, exit_code=EXIT_SIGN_IN))
    except BrowserCrashed as exc:
        # The supervisor puts our PO back on the queue and starts a replacement worker.
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


def _work_loop(ctx: WorkerContext, tasks: QueueLike, retire: CancelFlag) -> None:
    while not ctx.cancel.is_set() and not retire.is_set():
        try:
            item = tasks.get(timeout=0.25)
        except queue.Empty:
            continue
        if item is None:  # the supervisor's "no more work"
            return
        task, attempt, done_files = item
        try:
            result, files = process_po(ctx, task, attempt, done_files)
        except Cancelled:
            ctx.emit(PoRequeued(ctx.worker_id, task.po_key, "cancelled"))
            return
        except (BrowserCrashed, SignInRequired):
            raise
        except Exception as exc:  # a bug or an unexpected page must cost one PO, not the worker
            log.exception("PO %s failed unexpectedly", task.po_key)
            result, files = unexpected_failure(task, attempt, exc), []
        ctx.emit(PoFinished(ctx.worker_id, result, tuple(files)))
        with contextlib.suppress(BrowserCrashed):
            ctx.session.browser.reset_page_state()

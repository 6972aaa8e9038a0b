"""A worker: one browser, reused for many POs, taking tasks from the shared queue.

`process_po` is the whole per-PO job (open page, classify, read attachments, download, finalize folder). It depends
only on a `WorkerContext` and a task, so the local worker loop below and a distributed task runner can both call it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import queue
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from core.browser import Browser, BrowserOptions
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
from core.folders import UniqueNames, finalize_po_dir, find_final_dir, po_dir, start_po_dir
from core.logs import setup_logging
from core.models import AttachmentLink, PoResult, PoStatus, PoTask, SavedFile
from core.paths import app_data_dir
from core.portal import PageKind, classify_page, po_url, read_page
from core.session import LockLike, PortalSession, SessionStore

log = logging.getLogger(__name__)

PAGE_ATTEMPTS = 3  # page loads that hang are retried, with backoff
SESSION_RENEWALS = 2  # per PO: sign in again at most this many times before giving up on it
EXIT_SIGN_IN = 3
EXIT_BROWSER = 4


class CancelFlag(Protocol):
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


def process_po(ctx: WorkerContext, task: PoTask, attempt: int = 1) -> tuple[PoResult, list[SavedFile]]:
    """Do one PO from page to final folder. Raises only BrowserCrashed, SignInRequired or Cancelled."""
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

    try:
        kind, page_url, html = _open_classified(ctx, url)
    except PageTimeout as exc:
        final = _finish_folder(ctx, task, "", PoStatus.FAILED)
        return result(PoStatus.FAILED, error_message=str(exc), folder=str(final)), []
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
    work = _fresh_work_dir(base)
    saved, errors = _download(ctx, task, files, work)
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
        page = _open_with_retries(ctx, url)
        kind = classify_page(page.url, page.html, base)
        if kind is not PageKind.SIGNED_OUT:
            return kind, page.url, page.html
        if renewal == SESSION_RENEWALS:
            break
        ctx.emit(WorkerSigningIn(ctx.worker_id, "the portal asked to sign in again"))
        ctx.session.sign_in("signed out while opening a page")
    raise SignInRequired(f"The portal keeps asking to sign in again ({base}).")


def _open_with_retries(ctx: WorkerContext, url: str) -> Any:
    for attempt in range(1, PAGE_ATTEMPTS + 1):
        if ctx.cancel.is_set():
            raise Cancelled("Cancelled.")
        try:
            return ctx.session.open(url)
        except PageTimeout:
            if attempt == PAGE_ATTEMPTS:
                raise
            log.warning("Page load timed out (%s), try %d of %d.", url, attempt, PAGE_ATTEMPTS)
            ctx.cancel.wait(min(2.0**attempt, 8.0))
    raise AssertionError("unreachable")


def _requisition_files(ctx: WorkerContext, req_url: str) -> tuple[list[AttachmentLink], str]:
    try:
        kind, page_url, html = _open_classified(ctx, req_url)
    except PageTimeout as exc:
        return [], f"Requisition not read: {exc}"
    if kind not in (PageKind.REQUISITION_PAGE, PageKind.PO_PAGE):
        return [], "The PO has no files and its requisition cannot be opened."
    links = [AttachmentLink(a.name, a.url, a.kind, "requisition") for a in read_page(html, page_url).files]
    return links, ""


def _fresh_work_dir(base: Path) -> Path:
    """The PO's `__WORK` folder, emptied of what an earlier, unfinished attempt left (it is downloaded again)."""
    stale = find_final_dir(base)
    if stale is not None and stale.name.endswith((f"_{PoStatus.CANCELLED}", f"_{PoStatus.FAILED}")):
        shutil.rmtree(stale, ignore_errors=True)
    work = start_po_dir(base)
    for leftover in work.iterdir():
        if leftover.is_file():
            leftover.unlink()
    return work


def _finish_folder(ctx: WorkerContext, task: PoTask, supplier: str, status: PoStatus) -> Path:
    """A PO without files still gets its status folder."""
    base = po_dir(ctx.config.output_dir, task.levels or (supplier,), task.folder_name)
    return finalize_po_dir(_fresh_work_dir(base), status.value)


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
        ctx.emit(FileDone(ctx.worker_id, task.po_key, outcome.saved.name, outcome.saved.size))
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
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return FileOutcome(link, SavedFile(path.name, path.stat().st_size, digest.hexdigest()))


def _unexpected_failure(task: PoTask, attempt: int, exc: Exception) -> PoResult:
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
        BrowserOptions(
            kind=config.browser,
            binary=config.browser_binary,
            driver=config.driver_path,
            headless=config.headless,
            profile_source=config.profile_dir,
            page_timeout=config.page_timeout,
            settle_timeout=config.settle_timeout,
        ),
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
    worker_id: int, config: RunConfig, tasks: QueueLike, events: QueueLike, cancel: CancelFlag, sign_in_lock: LockLike
) -> None:
    """Entry point of a worker process (spawned). Talks to the supervisor through `events` only."""
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
        emit(WorkerReady(worker_id, tuple(ctx.session.browser.pids)))
        emit(WorkerSigningIn(worker_id, "starting"))
        # The first worker signs in; the others wait on the lock and reuse its session.
        ctx.session.sign_in("worker starting", verify=True)
        _work_loop(ctx, tasks)
    except Cancelled:
        log.info("Worker %d cancelled while starting.", worker_id)
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


def _work_loop(ctx: WorkerContext, tasks: QueueLike) -> None:
    parent = multiprocessing.parent_process()
    while not ctx.cancel.is_set():
        if parent is not None and not parent.is_alive():
            log.warning("The supervisor is gone; worker %d stops.", ctx.worker_id)
            return
        try:
            item = tasks.get(timeout=0.25)
        except queue.Empty:
            continue
        if item is None:  # the supervisor's "no more work"
            return
        task, attempt = item
        try:
            result, files = process_po(ctx, task, attempt)
        except Cancelled:
            ctx.emit(PoRequeued(ctx.worker_id, task.po_key, "cancelled"))
            return
        except (BrowserCrashed, SignInRequired):
            raise
        except Exception as exc:  # a bug or an unexpected page must cost one PO, not the worker
            log.exception("PO %s failed unexpectedly", task.po_key)
            result, files = _unexpected_failure(task, attempt, exc), []
        ctx.emit(PoFinished(ctx.worker_id, result, tuple(files)))
        with contextlib.suppress(BrowserCrashed):
            ctx.session.browser.reset_page_state()

"""One PO, from its page to its final folder: the per-PO job every transport runs (local workers, Celery nodes).

The job has two phases so a worker can overlap them: `read_po` needs the browser (open the page, classify it, read
supplier and attachments, prepare the folder); `finish_po` waits for the files, which download in the background
over HTTP, and finalizes. While one PO's files download, the worker opens the next PO's page. `process_po` runs both
phases back to back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin

from core.config import EMAILS_OFF, EMAILS_PDF_AND_ATTACHMENTS, RunConfig
from core.errors import (
    BrowserCrashed,
    Cancelled,
    DownloadFailed,
    IncompletePage,
    PageTimeout,
    PortalUnreachable,
    SignInRequired,
)
from core.events import (
    AttachmentsFound,
    EmailConverted,
    Event,
    FileDone,
    FileFailed,
    FileProgress,
    PoStarted,
    WorkerSigningIn,
)
from core.models import AttachmentLink, PoFacts, PoResult, PoStatus, PoTask, SavedFile, derive_status
from core.po.downloads import DownloadBatch, Downloader, FileOutcome
from core.po.emails import EmailOutcome, EmailsConverted, convert_emails, products_of
from core.po.folders import UniqueNames, base_of, finalize_po_dir, po_dir, sha256_file, start_po_dir, status_dirs
from core.po.page_content import PageContent, read_page
from core.po.page_facts import read_facts
from core.po.page_kind import PageKind, classify_page
from core.po.page_tab import LoadedPage
from core.po.session import PortalSession
from core.urls import off_portal_reason, po_url, redact_url, url_as_sent

log = logging.getLogger(__name__)

SESSION_RENEWALS = 2  # per PO: sign in again at most this many times before giving up on it
# Pages and files sent to sign-in are tried again with each newer session, at most this often (other tabs renew it too).
SESSION_RETRIES = 6
SHORT_READ_RELOADS = 2  # a page read with fewer comment files than it states is loaded again at most this often
BROWSER_DOWNLOAD_TIMEOUT = 300.0


class CancelFlag(Protocol):
    def set(self) -> None: ...
    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


@dataclass
class WorkerContext:
    """What the per-PO job needs: a signed-in browser, a downloader, the settings and an event sink."""

    worker_id: int
    config: RunConfig
    session: PortalSession
    downloader: Downloader
    names: UniqueNames
    emit: Callable[[Event], None]
    cancel: CancelFlag


@dataclass
class PoInProgress:
    """A PO whose page has been read and whose files are downloading into `work`."""

    task: PoTask
    attempt: int
    url: str
    started: float
    content: PageContent
    files: list[AttachmentLink]
    work: Path
    kept: dict[str, SavedFile]
    facts: PoFacts
    count: CountCheck
    notes: list[str] = field(default_factory=list)
    batch: DownloadBatch | None = None
    generation: int = 0  # the session its files are being fetched with


@dataclass(frozen=True)
class CountCheck:
    """The comment files read against the number the page states ("View Attachments (N)")."""

    stated: int | None
    read: int
    loads: int

    @property
    def short(self) -> bool:
        return self.stated is not None and self.read < self.stated

    def describe(self) -> str:
        if self.stated is None:
            return "not stated"
        if self.read == self.stated:
            return f"stated by the page ({self.stated})"
        return f"stated by the page ({self.stated}); {self.read} read after {self.loads} load(s)"


def process_po(
    ctx: WorkerContext, task: PoTask, attempt: int = 1, done_files: Mapping[str, SavedFile] | None = None
) -> tuple[PoResult, list[SavedFile]]:
    """Do one PO from page to final folder.

    Raises only BrowserCrashed, SignInRequired, PortalUnreachable (a sign-in on the way) or Cancelled.
    """
    step = read_po(ctx, task, attempt, done_files)
    return step if isinstance(step, tuple) else finish_po(ctx, step)


def read_po(
    ctx: WorkerContext, task: PoTask, attempt: int = 1, done_files: Mapping[str, SavedFile] | None = None
) -> tuple[PoResult, list[SavedFile]] | PoInProgress:
    """The browser phase: a final result (not found, no access, not a PO), or a PO whose files are downloading.

    `done_files` (by URL) are files an earlier, interrupted attempt completed: they are kept, not fetched again.
    """
    started = time.monotonic()
    config = ctx.config
    url = po_url(config.po_url_template, config.base_url, task.po_key)
    ctx.emit(PoStarted(ctx.worker_id, task.po_key, task.folder_name, attempt))
    try:
        kind, page_url, html = _open_classified(ctx, url)
    except IncompletePage as exc:
        kind, page_url, html, failure = PageKind.UNKNOWN, url, "", str(exc)
    else:
        failure = f"The page at {redact_url(page_url)} does not look like a purchase order."
    if kind is not PageKind.PO_PAGE:
        if kind is PageKind.NOT_FOUND:
            status, message = PoStatus.PO_NOT_FOUND, "Coupa says this PO does not exist or you cannot see it."
        elif kind is PageKind.NO_ACCESS:
            status, message = PoStatus.NO_ACCESS, "Coupa says you are not authorized to see this PO."
        else:
            status, message = PoStatus.FAILED, failure
        # A PO without files still gets its status folder.
        work, _kept = _fresh_work_dir(po_dir(config.output_dir, task.levels or ("",), task.folder_name), {})
        final = finalize_po_dir(work, status.value)
        result = _result(task, attempt, url, started, status, error_message=message, folder=str(final.path))
        return result, []

    content, facts, count = _read_complete(ctx, url, html, page_url)
    files = list(content.files)
    notes: list[str] = []
    if count.short:
        notes.append(f"The page states {count.stated} comment file(s) but only {count.read} could be read.")
    from_requisition = False
    if not files and not count.short and config.requisition_fallback and content.requisition_url:
        files, note = _requisition_files(ctx, content.requisition_url)
        from_requisition = bool(files)
        notes += [note] if note else []
        notes += ["Files taken from the requisition (the PO has none)."] if from_requisition else []
    ctx.emit(AttachmentsFound(ctx.worker_id, task.po_key, content.supplier, len(files), from_requisition))
    base = po_dir(config.output_dir, task.levels or (content.supplier,), task.folder_name)
    work, kept = _fresh_work_dir(base, done_files or {})
    job = PoInProgress(task, attempt, url, started, content, files, work, kept, facts, count, notes)
    job.generation = ctx.session.generation
    job.batch = ctx.downloader.start_all(
        [f for f in files if redact_url(f.url) not in kept], work, _progress_for(ctx, task)
    )
    return job


def finish_po(ctx: WorkerContext, job: PoInProgress) -> tuple[PoResult, list[SavedFile]]:
    """Wait for the PO's files (signing in again or letting the browser fetch what needs it), make its saved e-mails
    readable, then finalize. The e-mails never change the status: the portal's files were saved."""
    assert job.batch is not None
    saved, errors = _collect(ctx, job, job.batch.outcomes())
    saved = [job.kept[key] for f in job.files if (key := redact_url(f.url)) in job.kept] + saved
    status = derive_status(len(job.files), len(saved), cancelled=ctx.cancel.is_set())
    if job.count.short and status in (PoStatus.COMPLETED, PoStatus.NO_ATTACHMENTS):
        status = PoStatus.PARTIAL if saved else PoStatus.FAILED  # the page has files we could not read
    emails = _convert_emails(ctx, job, saved)
    final = finalize_po_dir(job.work, status.value, ours=_ours(job.work, saved))
    saved = [replace(f, name=final.renamed.get(f.name, f.name)) for f in saved]
    non_files = [a for a in job.content.attachments if a.kind != "file"]
    result = _result(
        job.task,
        job.attempt,
        job.url,
        job.started,
        status,
        supplier=job.content.supplier,
        attachments_found=len(job.files),
        attachments_downloaded=len(saved),
        attachment_names=[f.name for f in saved] + [f"{a.name} ({a.kind})" for a in non_files],
        folder=str(final.path),
        error_message="; ".join(job.notes + errors + emails.errors),
        bytes_downloaded=sum(f.size for f in saved),
        facts=job.facts,
        count_check=job.count.describe(),
        emails_converted=emails.converted,
        files_extracted=emails.extracted,
    )
    return result, saved


def _convert_emails(ctx: WorkerContext, job: PoInProgress, saved: list[SavedFile]) -> EmailsConverted:
    if ctx.config.emails == EMAILS_OFF:
        return EmailsConverted()

    def report(outcome: EmailOutcome) -> None:
        ctx.emit(
            EmailConverted(ctx.worker_id, job.task.po_key, outcome.name, outcome.pdf, outcome.extracted, outcome.error)
        )

    return convert_emails(
        job.work,
        [f.name for f in saved],
        extract=ctx.config.emails == EMAILS_PDF_AND_ATTACHMENTS,
        printer=ctx.session.browser,
        names=ctx.names,
        on_email=report,
        cancelled=ctx.cancel.is_set,
    )


def _ours(work: Path, saved: list[SavedFile]) -> list[str]:
    """What the PO's folders hold of ours: its saved files, and the PDFs and attachment folders made from its e-mails
    in an earlier attempt (kept e-mails lie in an earlier status folder with what was made from them)."""
    names = [f.name for f in saved]
    made = {product for folder in status_dirs(base_of(work)) for product in products_of(folder, names)}
    return names + sorted(made)


def unexpected_failure(task: PoTask, attempt: int, exc: Exception) -> PoResult:
    return PoResult.failed(task.po_key, f"Unexpected error: {type(exc).__name__}: {exc}", attempt)


def _result(task: PoTask, attempt: int, url: str, started: float, status: PoStatus, **values: Any) -> PoResult:
    return PoResult(
        po_key=task.po_key,
        status=status,
        source_url=redact_url(url),
        seconds=round(time.monotonic() - started, 3),
        attempts=attempt,
        finished_at=datetime.now().isoformat(timespec="seconds"),
        **values,
    )


def _progress_for(ctx: WorkerContext, task: PoTask) -> Callable[[str, int, int | None], None]:
    def progress(name: str, done: int, total: int | None) -> None:
        ctx.emit(FileProgress(ctx.worker_id, task.po_key, name, done, total))

    return progress


# -- pages -------------------------------------------------------------------------------------------------------
@dataclass
class Renewals:
    """A PO's renewals of the session: at most SESSION_RENEWALS made by itself, SESSION_RETRIES in all. With several
    POs in flight other tabs renew the session too; the PO then tries again with theirs, which it does not count."""

    ctx: WorkerContext
    own: int = 0
    tries: int = 0

    @property
    def left(self) -> bool:
        return self.own < SESSION_RENEWALS and self.tries < SESSION_RETRIES

    def renew(self, reason: str, since: int) -> None:
        """Sign in again, unless the session was renewed after generation `since` (the one that failed)."""
        self.tries += 1
        self.ctx.emit(WorkerSigningIn(self.ctx.worker_id, reason))
        self.own += self.ctx.session.sign_in(reason, since=since)


def _open_classified(ctx: WorkerContext, url: str) -> tuple[PageKind, str, str]:
    """Open a portal page and classify it, signing in again (never 'not found') when the session is gone.

    A page whose own data requests failed (the comments, when the session expired between the page and its
    scripts' requests) may be missing attachments: it is loaded again after renewing the session.
    """
    base = ctx.config.base_url
    renewals = Renewals(ctx)
    while True:
        generation = ctx.session.generation
        page = _open(ctx, url)
        kind = classify_page(page.url, page.html, base)
        incomplete = page.failed_requests > 0 and kind in (PageKind.PO_PAGE, PageKind.REQUISITION_PAGE)
        if kind is not PageKind.SIGNED_OUT and (not incomplete or not renewals.left):
            if incomplete:
                raise IncompletePage(f"The page {redact_url(url)} kept failing to load all its parts (comments).")
            return kind, page.url, page.html
        if not renewals.left:
            raise SignInRequired(f"The portal keeps asking to sign in again ({base}).")
        reason = "a page's data requests failed" if incomplete else "the portal asked to sign in again"
        renewals.renew(reason, generation)


def _read_complete(ctx: WorkerContext, url: str, html: str, page_url: str) -> tuple[PageContent, PoFacts, CountCheck]:
    """Read the page; when it states more comment files than were read, load it again (the comments app may not
    have rendered them all yet) at most SHORT_READ_RELOADS times."""
    loads = 1
    while True:
        content, facts = read_page(html, page_url), read_facts(html, page_url)
        comment_files = sum(1 for f in content.files if f.source == "comment")
        count = CountCheck(facts.stated_files, comment_files, loads)
        if not count.short or loads > SHORT_READ_RELOADS:
            return content, facts, count
        log.info("%s: %d of %d stated comment files read; loading it again", url, comment_files, count.stated)
        loads += 1
        try:
            kind, page_url_again, html_again = _open_classified(ctx, url)
        except IncompletePage:
            return content, facts, count
        if kind is not PageKind.PO_PAGE:
            return content, facts, count
        page_url, html = page_url_again, html_again


def _open(ctx: WorkerContext, url: str) -> LoadedPage:
    if ctx.cancel.is_set():
        raise Cancelled("Cancelled.")
    try:
        return ctx.session.open(url)
    except (PageTimeout, PortalUnreachable) as exc:
        # A page that hangs usually means a stuck renderer: a fresh browser is the reliable cure. The supervisor
        # replaces this worker and hands the PO out again (at most `max_po_attempts` tries in all). A page that
        # could not be reached is treated the same: the new worker checks the portal first and stops the run (exit 5)
        # if it is really gone, instead of failing every PO in turn.
        raise BrowserCrashed(str(exc)) from exc


def _requisition_files(ctx: WorkerContext, req_url: str) -> tuple[list[AttachmentLink], str]:
    try:
        kind, page_url, html = _open_classified(ctx, req_url)
    except IncompletePage as exc:
        return [], f"Requisition not read: {exc}"
    if kind not in (PageKind.REQUISITION_PAGE, PageKind.PO_PAGE):
        return [], "The PO has no files and its requisition cannot be opened."
    links = [AttachmentLink(a.name, a.url, a.kind, "requisition") for a in read_page(html, page_url).files]
    return links, ""


# -- folders and files ---------------------------------------------------------------------------------------------
def _fresh_work_dir(base: Path, keep: Mapping[str, SavedFile]) -> tuple[Path, dict[str, SavedFile]]:
    """The PO's `__WORK` folder, and the files an earlier attempt completed (`keep`, by URL) that are still whole on
    disk, in it or in the PO's earlier status folder: they are kept, not fetched again.

    Only our own files are touched: a recorded file found cut short in our `__WORK` folder is removed (it is fetched
    again); anything we do not know, anywhere, stays where it is.
    """
    work = start_po_dir(base)
    folders = [work, *status_dirs(base)]
    kept: dict[str, SavedFile] = {}
    for url, saved in keep.items():
        for folder in folders:
            path = folder / saved.name
            if not path.is_file():
                continue
            if path.stat().st_size == saved.size:
                kept[url] = saved
                break
            if folder == work:
                path.unlink()
    return work, kept


def _collect(ctx: WorkerContext, job: PoInProgress, outcomes: list[FileOutcome]) -> tuple[list[SavedFile], list[str]]:
    """Report each file's outcome; files sent to sign-in are fetched again with a renewed session."""
    saved: list[SavedFile] = []
    errors: list[str] = []
    renewals = Renewals(ctx)
    while True:
        expired = [o.link for o in outcomes if o.session_expired]
        again = bool(expired) and renewals.left
        for outcome in outcomes:
            if outcome.session_expired and again:
                continue
            fallback = outcome.saved is None and outcome.needs_browser and not ctx.cancel.is_set()
            final = _browser_download(ctx, outcome, job.work) if fallback else outcome
            _report_file(ctx, job.task, final, saved, errors)
        if not again or ctx.cancel.is_set():
            break
        renewals.renew("downloads were sent to sign-in", job.generation)
        job.generation = ctx.session.generation
        outcomes = ctx.downloader.download_all(expired, job.work, _progress_for(ctx, job.task))
    return saved, errors


def _report_file(
    ctx: WorkerContext, task: PoTask, outcome: FileOutcome, saved: list[SavedFile], errors: list[str]
) -> None:
    if outcome.saved is not None:
        saved.append(outcome.saved)
        done = outcome.saved
        url = redact_url(outcome.link.url)
        ctx.emit(FileDone(ctx.worker_id, task.po_key, done.name, done.size, url, done.sha256))
    else:
        errors.append(f"{outcome.link.name}: {outcome.error}")
        ctx.emit(FileFailed(ctx.worker_id, task.po_key, outcome.link.name, outcome.error))


def _browser_download(ctx: WorkerContext, outcome: FileOutcome, work: Path) -> FileOutcome:
    """A direct request was refused or could not get through: let the browser fetch it with its own session."""
    link = outcome.link
    url = urljoin(ctx.config.base_url, link.url)
    refused = off_portal_reason(url, ctx.config.base_url)
    if refused:  # the downloader never hands on such a link; the browser must not open one either
        return FileOutcome(link, None, error=f"{outcome.error}; not opened in the browser: {refused}")
    log.info("%s: the browser downloads it instead (%s)", redact_url(url), outcome.error)
    reserved: list[Path] = []

    def destination(name: str) -> Path:
        reserved.append(ctx.names.reserve(work, name))
        return reserved[-1]

    try:
        path = ctx.session.browser.download(
            url_as_sent(url), destination, timeout=BROWSER_DOWNLOAD_TIMEOUT, cancelled=ctx.cancel.is_set
        )
    except DownloadFailed as exc:
        for path in reserved:
            ctx.names.release(path)
        return FileOutcome(link, None, error=f"{outcome.error}; browser download failed: {exc}")
    return FileOutcome(link, SavedFile(path.name, path.stat().st_size, sha256_file(path)))

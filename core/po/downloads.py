"""Threaded HTTP downloads of a PO's files, using the browser's own session cookies.

Downloading over HTTP instead of through the browser lets several files of one PO travel at once and never
blocks the browser. Every file is streamed to `<final name>.part` and renamed only once it is complete and
its size matches Content-Length, so a crash or a cancel never leaves a half file under a real name.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from core.errors import DownloadFailed, SessionExpired
from core.models import AttachmentLink, SavedFile
from core.po.folders import UniqueNames
from core.po.http_headers import (
    filename_from_content_disposition,
    parse_retry_after,
)
from core.po.http_session import (
    RetryableFailure,
    body_chunks,
    content_length,
    is_encoded,
    load_cookies,
    new_session,
    read_head,
    refuse_web_page,
    release,
)
from core.po.path_budget import PART_SUFFIX
from core.po.system_network import failure_cause
from core.urls import (
    hidden_host_reason,
    looks_signed_out,
    name_from_url,
    off_portal_reason,
    redact_url,
    same_origin,
    url_as_sent,
)

log = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, int | None], None]

MAX_REDIRECTS = 5
PROGRESS_INTERVAL = 0.2  # seconds: at most ~5 progress calls per second per file
CANCELLED = "cancelled"

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file link. Exactly one of `saved` / `error` is meaningful."""

    link: AttachmentLink
    saved: SavedFile | None  # set when the file is complete on disk
    error: str = ""  # a user-readable reason when saved is None
    needs_browser: bool = False  # the portal (401/403) or the network (TLS, proxy, connection) refused: use the browser
    session_expired: bool = False  # sent to a login/SSO page or another host: sign in again and retry


class _Cancelled(Exception):
    """Internal: the user cancelled while a file was in flight."""


class DownloadBatch:
    """Files being downloaded in the background; `outcomes()` waits for them, in the order they were given."""

    def __init__(self, futures: list[Future[FileOutcome]]) -> None:
        self._futures = futures

    def outcomes(self) -> list[FileOutcome]:
        return [future.result() for future in self._futures]


class Downloader:
    """Downloads file attachments with a pool of threads, each with its own `requests.Session`.

    The sessions carry the browser's cookies and User-Agent so the portal sees the same signed-in browser.
    """

    def __init__(
        self,
        base_url: str,
        *,
        cookies: Sequence[Mapping[str, Any]] = (),
        user_agent: str = "",
        max_parallel: int = 4,
        attempts: int = 3,
        timeout: float = 30.0,
        backoff: float = 0.5,
        max_retry_after: float = 30.0,
        cancel: threading.Event | None = None,
        progress: ProgressCallback | None = None,
        names: UniqueNames | None = None,
    ) -> None:
        self._base_url = base_url
        self._portal_host = urlsplit(base_url).hostname or ""
        self._user_agent = user_agent
        self._max_parallel = max(1, max_parallel)
        self._attempts = max(1, attempts)
        self._timeout = timeout
        self._backoff = max(0.0, backoff)
        self._max_retry_after = max(0.0, max_retry_after)
        self._cancel = cancel if cancel is not None else threading.Event()
        self._progress = progress
        self._names = names if names is not None else UniqueNames()
        self._lock = threading.Lock()
        self._cookies: tuple[dict[str, Any], ...] = ()
        self._cookie_generation = 0
        self._sessions: list[requests.Session] = []
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(max_workers=self._max_parallel, thread_name_prefix="download")
        self.set_cookies(cookies)

    # -- public API -------------------------------------------------------------------------------------------

    def set_cookies(self, cookies: Sequence[Mapping[str, Any]]) -> None:
        """Replace the session cookies (Selenium cookie dicts). Threads pick them up before their next file."""
        with self._lock:
            self._cookies = tuple(dict(cookie) for cookie in cookies)
            self._cookie_generation += 1
        # Names only: cookie values are credentials and never go to a log.
        log.debug("downloader cookies set: %s", ", ".join(str(c.get("name", "?")) for c in self._cookies))

    def download_all(
        self, links: Sequence[AttachmentLink], folder: Path, progress: ProgressCallback | None = None
    ) -> list[FileOutcome]:
        """Download every link into `folder`; outcomes come back in the order of `links`."""
        return self.start_all(links, folder, progress).outcomes()

    def start_all(
        self, links: Sequence[AttachmentLink], folder: Path, progress: ProgressCallback | None = None
    ) -> DownloadBatch:
        """Start downloading every link into `folder` and return at once (the caller may open the next page).

        `progress`, when given, replaces the downloader's own callback for these files.
        """
        if links:
            folder.mkdir(parents=True, exist_ok=True)
        report = progress or self._progress
        return DownloadBatch([self._executor.submit(self._download_one, link, folder, report) for link in links])

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def __enter__(self) -> Downloader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- one file ---------------------------------------------------------------------------------------------

    def _download_one(self, link: AttachmentLink, folder: Path, progress: ProgressCallback | None) -> FileOutcome:
        self._local.progress = progress
        if link.kind != "file" or not link.url:
            return FileOutcome(link, None, error=f"not a file attachment ({link.kind})")
        url = urljoin(self._base_url, link.url)
        refused = off_portal_reason(url, self._base_url)
        if refused:
            log.warning("refused to download %s: %s", redact_url(url), refused)
            return FileOutcome(link, None, error=refused)
        url = url_as_sent(url)

        last_failure: RetryableFailure | None = None
        for attempt in range(self._attempts):
            if self._cancel.is_set():
                return FileOutcome(link, None, error=CANCELLED)
            try:
                saved = self._try_once(link, url, folder)
            except _Cancelled:
                return FileOutcome(link, None, error=CANCELLED)
            except SessionExpired as exc:
                log.info("download of %s: %s", redact_url(url), exc)
                return FileOutcome(link, None, error=str(exc), session_expired=True)
            except RetryableFailure as exc:
                last_failure = exc
                log.info("download of %s failed (try %d of %d): %s", redact_url(url), attempt + 1, self._attempts, exc)
                if attempt + 1 < self._attempts and self._cancel.wait(self._delay_before_retry(attempt, exc)):
                    return FileOutcome(link, None, error=CANCELLED)
                continue
            except DownloadFailed as exc:
                log.info("download of %s failed: %s", redact_url(url), exc)
                return FileOutcome(link, None, error=str(exc), needs_browser=exc.needs_browser)
            except OSError as exc:
                # The disk, not the network (network errors were turned into DownloadFailed above).
                log.warning("could not save %s: %s", redact_url(url), exc)
                return FileOutcome(link, None, error=f"could not save the file ({exc.strerror or exc})")
            except Exception as exc:
                # One odd file must not sink the other downloads of the PO.
                log.exception("unexpected error downloading %s", redact_url(url))
                return FileOutcome(link, None, error=f"unexpected error ({type(exc).__name__}: {exc})")
            return FileOutcome(link, saved)
        tries = "try" if self._attempts == 1 else "tries"
        error = f"{last_failure} (gave up after {self._attempts} {tries})"
        fallback = last_failure is not None and last_failure.browser_may_help
        if fallback:
            log.warning("direct download of %s failed (%s): the browser fetches it instead", redact_url(url), error)
        return FileOutcome(link, None, error=error, needs_browser=fallback)

    def _delay_before_retry(self, attempt: int, failure: RetryableFailure) -> float:
        if failure.retry_after is not None:
            return min(failure.retry_after, self._max_retry_after)
        delay = self._backoff * 2.0**attempt
        # Jitter keeps parallel threads that failed together from hammering the portal together again.
        return delay + random.uniform(0.0, delay * 0.1)

    def _try_once(self, link: AttachmentLink, url: str, folder: Path) -> SavedFile:
        session = self._session()
        response = self._get_following_redirects(session, url)
        body_read = False
        try:
            self._raise_for_status(response)
            named = filename_from_content_disposition(response.headers.get("Content-Disposition", ""))
            chunks = body_chunks(response)
            head = read_head(chunks)
            refuse_web_page(response, named, link.name, head)
            name = named or link.name or name_from_url(response.url or url) or "download"
            # Reserve only now: the name may come from the headers, and reserving late keeps parallel
            # duplicates (`Invoice.pdf`, `Invoice_2.pdf`) apart without guessing.
            final = self._names.reserve(folder, name)
            part = final.with_name(final.name + PART_SUFFIX)
            try:
                saved = self._stream_to(response, head, chunks, part, final.name)
                body_read = True
                os.replace(part, final)
            except BaseException:
                part.unlink(missing_ok=True)
                self._names.release(final)
                raise
        finally:
            release(response, body_read=body_read)
        # The file on disk now guards its name, so the reservation is no longer needed.
        self._names.release(final)
        return saved

    def _get_following_redirects(self, session: requests.Session, url: str) -> requests.Response:
        """GET with redirects followed by hand, so a hop to a sign-in page or another host is seen, not followed."""
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                response = session.get(url, stream=True, allow_redirects=False, timeout=self._timeout)
            except (requests.exceptions.SSLError, requests.exceptions.ProxyError) as exc:
                # The company network (a TLS-inspecting or authenticating proxy) stops direct requests that the
                # browser, which uses the same system settings plus its own, gets through: let it fetch the file.
                what = "TLS" if isinstance(exc, requests.exceptions.SSLError) else "proxy"
                log.warning("direct download of %s failed on %s: %s", redact_url(url), what, failure_cause(exc))
                raise DownloadFailed(
                    f"a direct request failed on {what} ({failure_cause(exc)})", retryable=False, needs_browser=True
                ) from exc
            except requests.ConnectionError as exc:
                message = f"could not reach the portal ({type(exc).__name__}: {failure_cause(exc)})"
                raise RetryableFailure(message, browser_may_help=True) from exc
            except requests.Timeout as exc:
                raise RetryableFailure(f"could not reach the portal ({type(exc).__name__})") from exc
            except requests.RequestException as exc:
                raise DownloadFailed(f"request failed ({type(exc).__name__})", retryable=False) from exc
            location = response.headers.get("Location")
            if response.status_code not in _REDIRECT_STATUSES or not location:
                return response
            release(response, body_read=False)
            target = urljoin(url, location)
            hidden = hidden_host_reason(target)
            if hidden:
                raise DownloadFailed(f"the portal redirected to a refused address: {hidden}", retryable=False)
            if not same_origin(target, self._base_url):
                host = urlsplit(target).netloc or target
                raise SessionExpired(f"the portal redirected to another host ({host}): sign in again")
            if looks_signed_out(target, self._base_url):
                path = urlsplit(target).path
                raise SessionExpired(f"the portal redirected to a sign-in page ({path}): sign in again")
            url = url_as_sent(target)
        raise DownloadFailed(f"too many redirects (more than {MAX_REDIRECTS})", retryable=False)

    def _raise_for_status(self, response: requests.Response) -> None:
        status = response.status_code
        if 200 <= status < 300:
            return
        reason = f"HTTP {status}{' ' + response.reason if response.reason else ''}"
        if status in (401, 403):
            message = f"the portal refused a direct download ({reason})"
            raise DownloadFailed(message, retryable=False, needs_browser=True)
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After", ""), time.time())
            kind = "the portal is rate limiting downloads" if status == 429 else "the portal had a server error"
            raise RetryableFailure(f"{kind} ({reason})", retry_after=retry_after)
        if status in (404, 410):
            raise DownloadFailed(f"the file is no longer on the portal ({reason})", retryable=False)
        raise DownloadFailed(f"the portal did not send the file ({reason})", retryable=False)

    def _stream_to(
        self, response: requests.Response, head: bytes, chunks: Iterator[bytes], part: Path, name: str
    ) -> SavedFile:
        """Write `head` (the part already read) and the rest of the body to `part`, checking the length."""
        expected = content_length(response)
        digest = hashlib.sha256()
        done = 0
        self._report(name, 0, expected)
        last_report = time.monotonic()
        with part.open("wb") as out:
            for chunk in itertools.chain((head,) if head else (), chunks):
                if self._cancel.is_set():
                    raise _Cancelled
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                now = time.monotonic()
                if now - last_report >= PROGRESS_INTERVAL:
                    self._report(name, done, expected)
                    last_report = now
            out.flush()
            os.fsync(out.fileno())
        if expected is not None:
            # With a content encoding the header counts wire bytes, not the decoded bytes we wrote.
            received = done if not is_encoded(response) else int(response.raw.tell())
            if received != expected:
                raise RetryableFailure(f"the download was cut short ({received} of {expected} bytes)")
        self._report(name, done, expected)
        return SavedFile(name=name, size=done, sha256=digest.hexdigest())

    def _report(self, name: str, done: int, total: int | None) -> None:
        progress: ProgressCallback | None = getattr(self._local, "progress", None)
        if progress is None:
            return
        try:
            progress(name, done, total)
        except Exception:
            # A broken progress display must not fail a download.
            log.exception("progress callback failed")

    # -- sessions ---------------------------------------------------------------------------------------------

    def _session(self) -> requests.Session:
        """This thread's session, with the latest cookies loaded."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = new_session(self._base_url, self._user_agent)
            self._local.session = session
            self._local.generation = -1
            with self._lock:
                self._sessions.append(session)
        with self._lock:
            generation, cookies = self._cookie_generation, self._cookies
        if self._local.generation != generation:
            load_cookies(session, cookies, self._portal_host)
            self._local.generation = generation
        return session

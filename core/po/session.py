"""The signed-in portal session, shared by every worker of a run.

Sign-in happens once: whoever signs in (a person in the visible "Sign in" browser, or the first worker whose SSO chain
completes by itself) saves the cookies of the portal and of the identity provider in the app's private data folder.
Every other worker loads them into its own browser, so N workers never mean N logins. A generation number tells a
worker whether somebody already renewed the session while it was waiting for the lock.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from core.atomic import write_atomically
from core.config import RunConfig
from core.errors import Cancelled, SignInRequired
from core.paths import app_data_dir, profiles_dir
from core.po.browser import Browser, BrowserOptions
from core.po.page_tab import LoadedPage
from core.urls import looks_signed_out, redact_url, same_origin

log = logging.getLogger(__name__)

SIGN_IN_PATH = "/user/home"
# Seamless SSO finishes in 1-3 s on a signed-in company browser; longer means something is waiting for a person.
SSO_HOP_WAIT = 15.0
FRESH_SESSION_SECONDS = 60.0  # a session saved this recently is reused without checking it first
LOGIN_FORM_GRACE = 3.0  # seconds a login form must stay before we conclude that it waits for a person
SIGN_IN_PROFILE_PREFIX = "sign-in-"  # the visible sign-in browser's kept profile: profiles/sign-in-<browser>
PASSWORD_FIELD_JS = "return !!document.querySelector('input[type=password]')"


class LockLike(Protocol):
    def __enter__(self) -> Any: ...
    def __exit__(self, exc_type: Any, exc: Any, tb: Any, /) -> Any: ...


class SessionStore:
    """The shared session: the portal's and the identity provider's cookies, as JSON readable by this user only,
    inside the app's private data folder. Deleted on sign-out."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_portal(cls, base_url: str) -> SessionStore:
        digest = hashlib.sha256(base_url.rstrip("/").encode()).hexdigest()[:16]
        return cls(sessions_dir() / f"{digest}.json")

    def is_fresh(self, seconds: float = FRESH_SESSION_SECONDS) -> bool:
        """Was the session saved (signed in or checked) within the last `seconds`?"""
        try:
            return time.time() - self.path.stat().st_mtime < seconds
        except OSError:
            return False

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def load(self) -> tuple[int, list[dict[str, Any]]]:
        data = self._read()
        try:
            return int(data["generation"]), list(data["cookies"])
        except (ValueError, KeyError, TypeError):
            return 0, []

    def sign_in_hosts(self) -> set[str]:
        """The identity provider's hosts seen while signing in, by any worker so far."""
        hosts = self._read().get("sign_in_hosts", [])
        return {str(host) for host in hosts} if isinstance(hosts, list) else set()

    def save(self, cookies: list[dict[str, Any]], sign_in_hosts: Collection[str]) -> int:
        generation = self.load()[0] + 1
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"generation": generation, "sign_in_hosts": sorted(sign_in_hosts), "cookies": cookies}
        write_atomically(self.path, lambda out: out.write(json.dumps(data).encode("utf-8")), private=True)
        return generation


def sessions_dir() -> Path:
    return app_data_dir() / "sessions"


def sign_out() -> int:
    """Forget every saved session and the sign-in browser's profile (the identity provider's "stay signed in").

    Returns how many saved sessions were deleted; the next run or "Sign in" starts from scratch.
    """
    removed = 0
    for path in sessions_dir().glob("*.json") if sessions_dir().is_dir() else ():
        path.unlink(missing_ok=True)
        removed += 1
    for profile in profiles_dir().glob(f"{SIGN_IN_PROFILE_PREFIX}*"):
        shutil.rmtree(profile, ignore_errors=True)
    log.info("Signed out: %d saved session(s) deleted.", removed)
    return removed


class PortalSession:
    """One worker's browser, kept signed in with the run's shared session."""

    def __init__(
        self,
        browser: Browser,
        base_url: str,
        store: SessionStore,
        lock: LockLike,
        *,
        interactive: bool,
        sign_in_timeout: float,
        headless_sign_in_timeout: float,
        cancelled: Callable[[], bool],
    ) -> None:
        self.browser = browser
        self.base_url = base_url
        self.store = store
        self._lock = lock
        self._interactive = interactive
        self._sign_in_timeout = sign_in_timeout
        self._headless_timeout = headless_sign_in_timeout
        self._cancelled = cancelled
        self.generation = 0
        self._sign_in_hosts: set[str] = set()  # the identity provider's hosts this browser passed through
        self.on_cookies_changed: Callable[[list[dict[str, Any]]], None] = lambda cookies: None

    def adopt_shared(self) -> bool:
        """Load the shared session if it is newer than ours."""
        generation, cookies = self.store.load()
        if not cookies or generation <= self.generation:
            return False
        self.browser.set_cookies(cookies)
        self.generation = generation
        self.on_cookies_changed(self.portal_cookies())
        return True

    @property
    def portal_host(self) -> str:
        return (urlsplit(self.base_url).hostname or "").lower()

    def portal_cookies(self) -> list[dict[str, Any]]:
        """Cookies for direct HTTP downloads: the portal's only, never the identity provider's."""
        return cookies_for_hosts(self.browser.all_cookies(), {self.portal_host})

    def open(self, url: str) -> LoadedPage:
        """Open a portal page; if the portal bounced us through SSO, wait for the chain to bring us back."""
        page = self.browser.open(url)
        if not looks_signed_out(page.url, self.base_url):
            return page
        page = self._wait_for_portal(page, SSO_HOP_WAIT)
        if not looks_signed_out(page.url, self.base_url):
            # The session had expired and SSO renewed it by itself: share the new cookies.
            self._publish()
        return page

    def sign_in(self, reason: str, *, verify: bool = False, since: int | None = None) -> bool:
        """Get a valid session: adopt one another worker just made, or sign in (coordinated, one at a time).

        With `verify`, an adopted session is checked by opening the portal (used when a worker starts), so that the
        first worker signs in and every other one reuses its session instead of running its own SSO chain. `since`:
        the session generation a failed request was made with; a newer one (another tab of this browser renewed it
        meanwhile) is used as it is. Returns whether this call checked the portal itself.
        """
        with self._lock:
            if since is not None and self.generation > since:
                return False
            adopted = self.adopt_shared()
            if adopted and (not verify or self.store.is_fresh()):
                # Another worker just signed in or checked: its session is good; our first page proves it again.
                log.info("Using the session another worker renewed (%s).", reason)
                return False
            log.info("Checking the session on %s (%s).", self.base_url, reason)
            page = self.browser.open(self.base_url + SIGN_IN_PATH)
            hopped = looks_signed_out(page.url, self.base_url)
            timeout = self._sign_in_timeout if self._interactive else self._headless_timeout
            page = self._wait_for_portal(page, timeout, wait_for_person=self._interactive)
            if looks_signed_out(page.url, self.base_url) or not same_origin(page.url, self.base_url):
                raise SignInRequired(
                    f"Signing in to {self.base_url} needs a person (the browser is at {redact_url(page.url)}). "
                    "Use the Sign in button in the window, or run with --visible and complete the sign-in."
                )
            if hopped or not adopted:
                self._publish()
            return True

    def _publish(self) -> None:
        """Share the session: the portal's cookies and the identity provider's, never other sites' (a copied user
        profile holds every site's)."""
        sign_in_hosts = self._sign_in_hosts | self.store.sign_in_hosts()
        cookies = cookies_for_hosts(self.browser.all_cookies(), {self.portal_host, *sign_in_hosts})
        self.generation = self.store.save(cookies, sign_in_hosts)
        self.on_cookies_changed(self.portal_cookies())

    def _note_sign_in_host(self, page: LoadedPage) -> None:
        host = (urlsplit(page.url).hostname or "").lower()
        if host and host != self.portal_host and looks_signed_out(page.url, self.base_url):
            self._sign_in_hosts.add(host)

    def _wait_for_portal(self, page: LoadedPage, timeout: float, *, wait_for_person: bool = False) -> LoadedPage:
        deadline = time.monotonic() + timeout
        form_since: float | None = None
        self._note_sign_in_host(page)
        while looks_signed_out(page.url, self.base_url) and time.monotonic() < deadline:
            if self._cancelled():
                raise Cancelled("Cancelled while waiting for sign-in.")
            if not wait_for_person and self._shows_login_form():
                # Some SSO hops flash a form and submit it by script; one that stays needs a person, and waiting
                # longer will not help a headless run.
                form_since = form_since or time.monotonic()
                if time.monotonic() - form_since >= LOGIN_FORM_GRACE:
                    break
            else:
                form_since = None
            time.sleep(0.25)
            page = self.browser.current_page()
            self._note_sign_in_host(page)
        return page

    def _shows_login_form(self) -> bool:
        try:
            return bool(self.browser.evaluate(PASSWORD_FIELD_JS))
        except Exception:  # the page is navigating: not a settled form
            return False


def _sign_in_browser(config: RunConfig, *, visible: bool) -> Browser:
    options = BrowserOptions.for_run(
        config, headless=not visible, profile_source=None if visible else config.profile_dir
    )
    if visible:
        options = replace(options, keep_profile=profiles_dir() / f"{SIGN_IN_PROFILE_PREFIX}{options.kind}")
    return Browser(options, profiles_root=profiles_dir(), name="sign-in")


def _signed_in(config: RunConfig, *, visible: bool, cancelled: Callable[[], bool]) -> bool:
    browser = _sign_in_browser(config, visible=visible)
    browser.start()
    try:
        session = PortalSession(
            browser,
            config.base_url,
            SessionStore.for_portal(config.base_url),
            threading.Lock(),
            interactive=visible,
            sign_in_timeout=config.sign_in_timeout,
            headless_sign_in_timeout=config.headless_sign_in_timeout,
            cancelled=cancelled,
        )
        session.sign_in("checking the session", verify=True)
        return True
    except SignInRequired:
        return False
    finally:
        browser.quit()


def check_signed_in(config: RunConfig, cancelled: Callable[[], bool] = lambda: False) -> bool:
    """Can a headless run reach the portal signed in (shared session or seamless SSO)? Saves the session if so."""
    return _signed_in(config, visible=False, cancelled=cancelled)


def sign_in_interactively(config: RunConfig, cancelled: Callable[[], bool] = lambda: False) -> bool:
    """Open a visible browser on the portal and wait for the person to sign in (SSO, MFA); share the session.

    The browser keeps an app-owned profile between runs, so the identity provider's "stay signed in" works as it
    does in the person's own browser. Returns False when the person closed it or `sign_in_timeout` passed.
    """
    return _signed_in(config, visible=True, cancelled=cancelled)


def cookies_for_hosts(cookies: list[dict[str, Any]], hosts: Collection[str]) -> list[dict[str, Any]]:
    """The cookies a browser would send to any of `hosts` (a cookie's domain covers the host or a parent of it)."""

    def matches(domain: str) -> bool:
        domain = domain.lstrip(".").lower()
        return bool(domain) and any(host == domain or host.endswith("." + domain) for host in hosts)

    return [c for c in cookies if matches(str(c.get("domain", "")))]

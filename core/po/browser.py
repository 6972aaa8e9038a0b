"""Start, drive and quit one browser (Edge, Chrome or Chromium) through Selenium 4.

Each worker owns one `Browser`: an app-owned temporary profile, explicit driver path when known (so Selenium Manager
never phones home), the PIDs of every process it started (so we kill only our own), and a page-settled detector
injected before any page script runs.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psutil
import urllib3.exceptions
from selenium import webdriver
from selenium.common.exceptions import (
    InvalidSessionIdException,
    JavascriptException,
    NoSuchWindowException,
    TimeoutException,
    WebDriverException,
)

from core.config import RunConfig
from core.errors import BrowserCrashed, BrowserStartError, DownloadFailed, PageTimeout
from core.po.browser_install import (
    browser_kind,
    check_driver_matches,
    find_browser_binary,
    find_driver,
    start_failure_message,
)
from core.po.net_errors import error_page, navigation_error
from core.po.profile_dirs import make_profile_dir
from core.po.settle_js import SETTLE_QUIET_MS, SETTLE_TRACKER_JS, WAIT_SETTLED_JS
from core.processes import kill_pids, process_tree
from core.urls import redact_url

log = logging.getLogger(__name__)

# Flags that keep an automated browser quiet and predictable: no first-run UI, no background traffic (which a closed
# corporate network refuses, slowly), no "restore pages?" bubble after a crash.
CHROMIUM_FLAGS = (
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-features=Translate,MediaRouter,OptimizationHints,DownloadBubble,DownloadBubbleV2",
    "--hide-crash-restore-bubble",
    "--password-store=basic",
    "--window-size=1280,900",
)
# Files Chromium refuses to copy from a live profile (locks) or that would tie the copy to the original.
PROFILE_COPY_IGNORE = ("Singleton*", "lockfile", "LOCK", "*.lock", "Crashpad", "GPUCache", "Code Cache", "Cache")

# While an e-mail is printed the browser may load nothing from the network (its page forbids it too: belt and braces).
PRINT_BLOCKED_URLS = ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]
PRINT_OPTIONS = {  # A4 with 12 mm margins, backgrounds as the sender styled them
    "printBackground": True,
    "paperWidth": 8.27,
    "paperHeight": 11.69,
    **{f"margin{side}": 0.47 for side in ("Top", "Bottom", "Left", "Right")},
}

CRASH_MARKERS = (
    "disconnected",
    "not reachable",
    "session deleted",
    "no such window",
    "target window already closed",
    "invalid session id",
    "tab crashed",
    "unable to receive message from renderer",
)


@dataclass(frozen=True)
class BrowserOptions:
    kind: str = "chromium"
    binary: str | None = None
    driver: str | None = None
    headless: bool = True
    profile_source: str | None = None  # a profile folder to copy at start (never used live)
    keep_profile: Path | None = None  # an app-owned profile kept between runs (the sign-in browser), else temporary
    page_timeout: float = 45.0
    settle_timeout: float = 8.0

    @classmethod
    def for_run(cls, config: RunConfig, **changes: Any) -> BrowserOptions:
        """The browser a run's settings ask for; `changes` override single fields (e.g. a visible sign-in)."""
        options = cls(
            kind=browser_kind(config.browser),
            binary=config.browser_binary,
            driver=config.driver_path,
            headless=config.headless,
            profile_source=config.profile_dir,
            page_timeout=config.page_timeout,
            settle_timeout=config.settle_timeout,
        )
        return replace(options, **changes)


@dataclass(frozen=True)
class LoadedPage:
    url: str
    html: str
    settled: bool
    failed_requests: int = 0  # the page's own data requests (comments…) that failed: it may be missing content


class Browser:
    """One browser with its own temporary profile. Not thread-safe: used by one worker thread."""

    def __init__(self, options: BrowserOptions, profiles_root: Path, name: str = "worker") -> None:
        self.options = options
        self._profiles_root = profiles_root
        self._name = name
        self._driver: webdriver.Chrome | webdriver.Edge | None = None
        self._profile_dir: Path | None = None
        self._download_dir: Path | None = None
        self._pids: list[int] = []

    # -- lifecycle ----------------------------------------------------------------------------------------------
    def start(self) -> None:
        opts = self.options
        binary = opts.binary or find_browser_binary(opts.kind)
        if opts.binary and not Path(opts.binary).exists():
            raise BrowserStartError(f"The browser program {opts.binary} does not exist. Check --browser-binary.")
        if binary is None and opts.kind == "chromium":
            raise BrowserStartError(
                "Chromium is not installed. Install it (Debian/Ubuntu: apt-get install chromium chromium-driver), "
                "or choose another browser with --browser edge|chrome."
            )
        driver_path = opts.driver or find_driver(opts.kind)
        if opts.driver and not Path(opts.driver).exists():
            raise BrowserStartError(f"The driver {opts.driver} does not exist. Check --driver.")
        # A driver for another browser version fails with a cryptic error (or not at all, until a page breaks).
        check_driver_matches(opts.kind, binary, driver_path)
        self._profile_dir = make_profile_dir(self._profiles_root, self._name)
        self._download_dir = self._profile_dir / "downloads"
        self._download_dir.mkdir()
        if opts.profile_source:
            self._copy_profile(Path(opts.profile_source))
        user_data_dir = opts.keep_profile or self._profile_dir / "profile"

        options = webdriver.EdgeOptions() if opts.kind == "edge" else webdriver.ChromeOptions()
        if binary:
            options.binary_location = binary
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={user_data_dir}")
        if opts.headless:
            options.add_argument("--headless=new")
            options.add_argument("--disable-gpu")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to run as root with its sandbox (containers, CI).
            options.add_argument("--no-sandbox")
        options.page_load_strategy = "eager"  # Coupa pages keep loading scripts long after the DOM is ready.
        options.add_experimental_option("excludeSwitches", ["enable-automation", "enable-logging"])
        options.add_experimental_option(
            "prefs",
            {
                "download.default_directory": str(self._download_dir),
                "download.prompt_for_download": False,
                "download.directory_upgrade": True,
                "plugins.always_open_pdf_externally": True,
                "profile.default_content_setting_values.automatic_downloads": 1,
                "credentials_enable_service": False,
                "profile.password_manager_enabled": False,
            },
        )
        service_cls = webdriver.EdgeService if opts.kind == "edge" else webdriver.ChromeService
        # An explicit driver path keeps Selenium Manager from going online; without one it resolves (and caches) it.
        service = service_cls(executable_path=driver_path) if driver_path else service_cls()
        try:
            if opts.kind == "edge":
                self._driver = webdriver.Edge(options=options, service=service)  # type: ignore[arg-type]
            else:
                self._driver = webdriver.Chrome(options=options, service=service)  # type: ignore[arg-type]
        except WebDriverException as exc:
            self.quit()
            raise BrowserStartError(start_failure_message(opts.kind, driver_path, _first_line(exc))) from exc
        except OSError as exc:
            self.quit()
            raise BrowserStartError(f"Could not run the {opts.kind} driver ({driver_path}): {exc}") from exc
        if service.process is not None:
            self._pids = process_tree(service.process.pid)
        driver = self._driver
        try:
            # A run that stops (another worker's fatal error, a cancel) may kill this browser while it starts.
            with self._translate_errors():
                driver.set_page_load_timeout(opts.page_timeout)
                driver.set_script_timeout(opts.settle_timeout + 5)
                self._cdp("Page.addScriptToEvaluateOnNewDocument", {"source": SETTLE_TRACKER_JS})
                self._cdp("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(self._download_dir)})
        except BrowserCrashed:
            self.quit()
            raise

    def _copy_profile(self, source: Path) -> None:
        assert self._profile_dir is not None
        if not source.is_dir():
            raise BrowserStartError(f"The browser profile folder {source} does not exist (--profile-dir).")
        try:
            shutil.copytree(source, self._profile_dir / "profile", ignore=shutil.ignore_patterns(*PROFILE_COPY_IGNORE))
        except (OSError, shutil.Error) as exc:
            raise BrowserStartError(
                f"Could not copy the browser profile {source}: {exc}. Close that browser and try again."
            ) from exc

    @property
    def pids(self) -> list[int]:
        """The driver and every browser process it started (refreshed: renderers come and go)."""
        if self._driver is not None and self._pids:
            known = set(self._pids)
            self._pids += [pid for pid in process_tree(self._pids[0]) if pid not in known]
        return list(self._pids)

    def quit(self) -> None:
        """Stop the browser and its driver (only the processes we started), then delete the temporary profile."""
        pids = self.pids
        if self._driver is not None:
            if self.options.keep_profile is not None:
                # A kept profile (the sign-in browser) must close properly so its cookies reach the disk. A temporary
                # one is deleted anyway: killing it is ~1.5 s faster than a polite quit.
                with contextlib.suppress(Exception):
                    self._driver.quit()
            self._driver = None
        kill_pids([pid for pid in pids if psutil.pid_exists(pid)])
        if self._profile_dir is not None:
            shutil.rmtree(self._profile_dir, ignore_errors=True)
            self._profile_dir = None

    @property
    def driver(self) -> webdriver.Chrome | webdriver.Edge:
        if self._driver is None:
            raise BrowserCrashed("The browser is not running.")
        return self._driver

    # -- pages ---------------------------------------------------------------------------------------------------
    def open(self, url: str) -> LoadedPage:
        """Load a URL and wait until its scripts have settled (or the settle timeout passed)."""
        with self._translate_errors():
            try:
                self.driver.get(url)
            except TimeoutException as exc:
                with contextlib.suppress(WebDriverException):
                    self.driver.execute_script("window.stop();")
                raise PageTimeout(
                    f"The page {redact_url(url)} did not load within {self.options.page_timeout:.0f} s."
                ) from exc
            except WebDriverException as exc:
                # DNS, refused, proxy: the navigation itself failed. Name the host it failed on (maybe a redirect's).
                unreachable = navigation_error(str(exc), self._address(url))
                if unreachable is None:
                    raise
                raise unreachable from exc
            return self.current_page()

    def current_page(self) -> LoadedPage:
        """Wait for the current page to settle, then return its URL and live DOM, taken from that same document.

        A page that navigates while we wait (an SSO hop, an auto-submitted form) is waited for again, so the HTML
        never comes from a half-loaded page.
        """
        deadline = time.monotonic() + self.options.settle_timeout
        with self._translate_errors():
            while True:
                snapshot = self.wait_settled()
                if snapshot is None and time.monotonic() > deadline:
                    snapshot = LoadedPage(url=self.driver.current_url, html=self.driver.page_source, settled=False)
                if snapshot is not None:
                    # The browser's error page (certificate, blocked port, a sign-in hop that failed) is no page.
                    unreachable = error_page(snapshot.url, snapshot.html, self._address(snapshot.url))
                    if unreachable is not None:
                        raise unreachable
                    return snapshot
                time.sleep(0.05)

    def wait_settled(self) -> LoadedPage | None:
        """The settled page (or the page as it is when the settle timeout passed); None if it navigated away."""
        timeout_ms = int(self.options.settle_timeout * 1000)
        try:
            found = self.driver.execute_async_script(WAIT_SETTLED_JS, timeout_ms, SETTLE_QUIET_MS, 2500)
        except (JavascriptException, TimeoutException):
            return None
        if not isinstance(found, dict):
            return None
        return LoadedPage(
            url=str(found["url"]),
            html=str(found["html"]),
            settled=bool(found["settled"]),
            failed_requests=int(found.get("failed") or 0),
        )

    def _address(self, fallback: str) -> str:
        """The address the browser tried last (an error page keeps it), else `fallback`."""
        with contextlib.suppress(WebDriverException):
            current = str(self.driver.current_url)
            if current.startswith(("http://", "https://")):
                return current
        return fallback

    def reset_page_state(self) -> None:
        """Between POs: drop the page (and its timers, memory) but keep cookies, so the session lives on."""
        with self._translate_errors():
            self.driver.get("about:blank")

    def user_agent(self) -> str:
        with self._translate_errors():
            return str(self.driver.execute_script("return navigator.userAgent"))

    def print_to_pdf(self, html: str) -> bytes:
        """Print an HTML document to PDF: loaded from a file in this browser's own folder, the network blocked."""
        assert self._profile_dir is not None
        page = self._profile_dir / "print.html"
        page.write_text(html, encoding="utf-8-sig")  # the BOM wins over any charset the document declares
        try:
            with self._translate_errors():
                self._cdp("Network.enable", {})
                self._cdp("Network.setBlockedURLs", {"urls": PRINT_BLOCKED_URLS})
                try:
                    self.driver.get(page.as_uri())
                    deadline = time.monotonic() + self.options.settle_timeout
                    while self.driver.execute_script("return document.readyState") != "complete":
                        if time.monotonic() > deadline:
                            break
                        time.sleep(0.02)
                    printed = self._cdp("Page.printToPDF", PRINT_OPTIONS)
                finally:
                    self._cdp("Network.setBlockedURLs", {"urls": []})
                    self.driver.get("about:blank")
        finally:
            page.unlink(missing_ok=True)
        return base64.b64decode(printed["data"])

    # -- cookies (the shared session) --------------------------------------------------------------------------
    def all_cookies(self) -> list[dict[str, Any]]:
        """Every cookie of the profile, portal and identity provider alike."""
        with self._translate_errors():
            return list(self._cdp("Network.getAllCookies", {}).get("cookies", []))

    def set_cookies(self, cookies: Sequence[dict[str, Any]]) -> None:
        keep = ("name", "value", "domain", "path", "secure", "httpOnly", "sameSite", "expires")
        params = []
        for cookie in cookies:
            param = {k: cookie[k] for k in keep if k in cookie}
            if cookie.get("session") or param.get("expires", 0) in (-1, 0):
                param.pop("expires", None)
            params.append(param)
        with self._translate_errors():
            self._cdp("Network.setCookies", {"cookies": params})

    # -- browser download (fallback when the portal refuses direct requests) -----------------------------------
    def download(self, url: str, dest: Callable[[str], Path], timeout: float, cancelled: Callable[[], bool]) -> Path:
        """Let the browser download `url`; move the finished file to `dest(name)`. Raises DownloadFailed."""
        assert self._download_dir is not None
        for leftover in self._download_dir.iterdir():
            leftover.unlink(missing_ok=True)
        with self._translate_errors():
            # A new tab, so the page the worker is reading stays where it is.
            self.driver.execute_script("window.open(arguments[0], '_blank');", url)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if cancelled():
                    raise DownloadFailed("cancelled", retryable=False)
                done = [p for p in self._download_dir.iterdir() if not p.name.endswith((".crdownload", ".tmp"))]
                if done and not any(p.name.endswith(".crdownload") for p in self._download_dir.iterdir()):
                    target = dest(done[0].name)
                    shutil.move(str(done[0]), target)
                    return target
                time.sleep(0.2)
            raise DownloadFailed(f"the browser did not finish downloading within {timeout:.0f} s", retryable=True)
        finally:
            self._close_extra_tabs()

    def _close_extra_tabs(self) -> None:
        with contextlib.suppress(WebDriverException), self._translate_errors():
            handles = self.driver.window_handles
            for handle in handles[1:]:
                self.driver.switch_to.window(handle)
                self.driver.close()
            self.driver.switch_to.window(handles[0])

    # -- internals ----------------------------------------------------------------------------------------------
    def _cdp(self, command: str, params: dict[str, Any]) -> dict[str, Any]:
        result = self.driver.execute_cdp_cmd(command, params)
        return dict(result or {})

    @contextlib.contextmanager
    def _translate_errors(self) -> Any:
        try:
            yield
        except (InvalidSessionIdException, NoSuchWindowException) as exc:
            raise BrowserCrashed(f"The browser stopped responding ({type(exc).__name__}).") from exc
        except WebDriverException as exc:
            text = str(exc).lower()
            if any(marker in text for marker in CRASH_MARKERS):
                raise BrowserCrashed(f"The browser stopped responding: {_first_line(exc)}") from exc
            raise
        except (ConnectionError, OSError, urllib3.exceptions.HTTPError) as exc:
            # The driver process died mid-call: Selenium's HTTP client raises urllib3's own errors then.
            raise BrowserCrashed(f"Lost the connection to the browser driver: {exc}") from exc


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "msg", None) or str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__

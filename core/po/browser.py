"""Start, drive and quit one browser (Edge, Chrome or Chromium) through Selenium 4.

Each worker owns one `Browser`: an app-owned temporary profile, explicit driver path when known (so Selenium Manager
never phones home), the PIDs of every process it started (so we kill only our own), and a page-settled detector
injected before any page script runs.

Several POs are read at once in one browser: each thread that reads pages gets a tab of its own, which it drives over
that tab's own DevTools socket (`page_tab`), so one tab's slow page never holds up the others. ChromeDriver starts and
stops the browser, opens the tabs and does browser downloads.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psutil
import urllib3.exceptions
from selenium import webdriver
from selenium.common.exceptions import (
    InvalidSessionIdException,
    NoSuchWindowException,
    WebDriverException,
)

from core.config import RunConfig
from core.errors import BrowserCrashed, BrowserStartError, DownloadFailed
from core.po.browser_install import (
    browser_kind,
    check_driver_matches,
    find_browser_binary,
    find_driver,
    start_failure_message,
)
from core.po.devtools import DevToolsTab
from core.po.page_tab import LoadedPage, PageTab
from core.po.profile_dirs import make_profile_dir
from core.processes import kill_pids, process_tree

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
    # Every tab reads a PO: none of them is a background tab whose timers (the comments app's) may be slowed down.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    # The portal's tabs share one renderer process: K pages in flight cost ~10 MiB more than one, not K renderers
    # (measured with 8 tabs: 254 MiB for the whole browser instead of 348).
    "--process-per-site",
)
# Files Chromium refuses to copy from a live profile (locks) or that would tie the copy to the original.
PROFILE_COPY_IGNORE = ("Singleton*", "lockfile", "LOCK", "*.lock", "Crashpad", "GPUCache", "Code Cache", "Cache")

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


_STARTED: weakref.WeakSet[Browser] = weakref.WeakSet()  # browsers started and not quit yet


@atexit.register
def _quit_forgotten_browsers() -> None:
    """A program that ends with a browser still open (a window closed during a sign-in check on another thread) takes
    it along: no orphan browser outlives the app."""
    for browser in list(_STARTED):
        browser.quit()


class Browser:
    """One browser with its own temporary profile.

    Thread-safe: each thread that opens pages works in a tab of its own (the first such thread in the browser's first
    tab); ChromeDriver commands run one at a time. `cancelled` lets a cancel end a wait for a page at once.
    """

    def __init__(self, options: BrowserOptions, profiles_root: Path, name: str = "worker") -> None:
        self.options = options
        self._profiles_root = profiles_root
        self._name = name
        self._driver: webdriver.Chrome | webdriver.Edge | None = None
        self._profile_dir: Path | None = None
        self._download_dir: Path | None = None
        self._pids: list[int] = []
        self._driver_lock = threading.Lock()  # ChromeDriver commands, one at a time
        self._download_lock = threading.Lock()  # browser downloads share the download folder: one at a time
        self._print_lock = threading.Lock()  # e-mails are printed in one tab kept for it
        self._thread_tab = threading.local()
        self._tabs: list[PageTab] = []
        self._print_tab: PageTab | None = None
        self._unclaimed: str | None = None  # the first tab, until a thread takes it
        self._home = ""  # the first tab, never closed: ChromeDriver's window whenever a download's tab is gone
        self.cancelled: Callable[[], bool] = lambda: False

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
        _STARTED.add(self)
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
        options.page_load_strategy = "none"  # pages are waited for in their own tabs (`page_tab`), not by ChromeDriver
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
        except (OSError, urllib3.exceptions.HTTPError) as exc:  # the driver died while it started
            self.quit()
            raise BrowserStartError(f"Could not run the {opts.kind} driver ({driver_path}): {exc}") from exc
        if service.process is not None:
            self._pids = process_tree(service.process.pid)
        driver = self._driver
        try:
            # A run that stops (another worker's fatal error, a cancel) may kill this browser while it starts.
            with self._translate_errors():
                self._unclaimed = self._home = driver.current_window_handle
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
        _STARTED.discard(self)
        pids = self.pids
        for tab in self._tabs:
            tab.devtools.close()
        self._tabs, self._print_tab = [], None
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

    # -- tabs --------------------------------------------------------------------------------------------------
    def tab(self) -> PageTab:
        """The calling thread's tab (opened on its first use)."""
        tab: PageTab | None = getattr(self._thread_tab, "tab", None)
        if tab is None:
            tab = self._thread_tab.tab = self._new_tab()
        return tab

    def _new_tab(self) -> PageTab:
        with self._driver_lock, self._translate_errors():
            driver = self.driver
            if self._unclaimed is not None:
                handle, self._unclaimed = self._unclaimed, None
            else:
                driver.switch_to.new_window("tab")
                handle = driver.current_window_handle
            address = self._debugger_address(driver)
        # ChromeDriver's window handles are the tabs' DevTools target ids.
        devtools = DevToolsTab(address, handle, self._cancelled_or_gone)
        tab = PageTab(devtools, page_timeout=self.options.page_timeout, settle_timeout=self.options.settle_timeout)
        self._tabs.append(tab)
        return tab

    def _debugger_address(self, driver: webdriver.Chrome | webdriver.Edge) -> str:
        key = "ms:edgeOptions" if self.options.kind == "edge" else "goog:chromeOptions"
        address = (driver.capabilities.get(key) or {}).get("debuggerAddress")
        if not address:
            raise BrowserCrashed("The browser did not say where its DevTools listen.")
        return str(address)

    def _cancelled_or_gone(self) -> bool:
        return self.cancelled() or self._driver is None

    # -- pages (in the calling thread's tab) ---------------------------------------------------------------------
    def open(self, url: str) -> LoadedPage:
        """Load a URL and wait until its scripts have settled (or the settle timeout passed)."""
        return self.tab().open(url)

    def current_page(self) -> LoadedPage:
        """Wait for the current page to settle, then return its URL and live DOM (see `PageTab.current_page`)."""
        return self.tab().current_page()

    def evaluate(self, body: str) -> Any:
        """Run a function body (`return …`) in this thread's page."""
        return self.tab().evaluate(body)

    def reset_page_state(self) -> None:
        """Between POs: drop the page (and its timers, memory) but keep cookies, so the session lives on."""
        self.tab().blank()

    def user_agent(self) -> str:
        return str(self.evaluate("return navigator.userAgent"))

    def print_to_pdf(self, html: str) -> bytes:
        """Print an HTML document to PDF: loaded from a file in this browser's own folder, the network blocked."""
        assert self._profile_dir is not None
        with self._print_lock:
            if self._print_tab is None:
                self._print_tab = self._new_tab()
            page = self._profile_dir / "print.html"
            page.write_text(html, encoding="utf-8-sig")  # the BOM wins over any charset the document declares
            try:
                return self._print_tab.print_to_pdf(page)
            finally:
                page.unlink(missing_ok=True)

    # -- cookies (the shared session) --------------------------------------------------------------------------
    def all_cookies(self) -> list[dict[str, Any]]:
        """Every cookie of the profile, portal and identity provider alike."""
        return list(self.tab().devtools.call("Network.getAllCookies").get("cookies", []))

    def set_cookies(self, cookies: Sequence[dict[str, Any]]) -> None:
        keep = ("name", "value", "domain", "path", "secure", "httpOnly", "sameSite", "expires")
        params = []
        for cookie in cookies:
            param = {k: cookie[k] for k in keep if k in cookie}
            if cookie.get("session") or param.get("expires", 0) in (-1, 0):
                param.pop("expires", None)
            params.append(param)
        self.tab().devtools.call("Network.setCookies", {"cookies": params})

    # -- browser download (fallback when the portal refuses direct requests) -----------------------------------
    def download(self, url: str, dest: Callable[[str], Path], timeout: float, cancelled: Callable[[], bool]) -> Path:
        """Let the browser download `url`; move the finished file to `dest(name)`. Raises DownloadFailed."""
        assert self._download_dir is not None
        with self._download_lock:
            for leftover in self._download_dir.iterdir():
                leftover.unlink(missing_ok=True)
            with self._driver_lock, self._translate_errors():
                # A tab of its own, so the pages being read stay where they are.
                self.driver.switch_to.new_window("tab")
                handle = self.driver.current_window_handle
                self.driver.get(url)  # returns at once (page load strategy "none")
            try:
                return self._finished_download(dest, timeout, cancelled)
            finally:
                self._close_tab(handle)

    def _close_tab(self, handle: str) -> None:
        with contextlib.suppress(WebDriverException, BrowserCrashed), self._driver_lock, self._translate_errors():
            self.driver.switch_to.window(handle)
            self.driver.close()
            # ChromeDriver opens new tabs only from a window that is still open.
            self.driver.switch_to.window(self._home)

    def _finished_download(self, dest: Callable[[str], Path], timeout: float, cancelled: Callable[[], bool]) -> Path:
        assert self._download_dir is not None
        deadline = time.monotonic() + timeout
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

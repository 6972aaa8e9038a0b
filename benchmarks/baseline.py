"""A faithful re-implementation of the OLD approach, written directly on Selenium (it does not use our engine).

What the old tool did, and this does, for every PO:
  * start a NEW Chromium (temporary profile, headless, the usual quiet flags) through chromedriver;
  * open the PO page; the portal's SSO chain signs the fresh browser in on the way;
  * wait a FIXED time (WebDriverWait up to `selector_wait`) for `li.attachment`, even on pages that have none,
    and again for the script-rendered comments;
  * click each attachment, one at a time, and wait for the browser's download to finish (poll the download
    folder until no `.crdownload` is left); if a click starts nothing, navigate to the link instead;
  * move the files into the PO's folder and quit the browser.
A PO without files of its own falls back to its requisition page the same way, so both tools do the same work.
Parallelism: N worker processes, each doing browser-per-PO, pulling PO numbers from one queue.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import queue
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

log = logging.getLogger(__name__)

FLAGS = (
    "--headless=new",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)
FILE_SELECTOR = "li.attachment span.attachment-file"  # header and line files (text/url spans are not files)
COMMENT_FILE_SELECTOR = "li.s-attachmentFile a"
CLICK_START_WAIT = 3.0  # a click that has not started a download by then is replaced by navigating to the link
DOWNLOAD_TIMEOUT = 180.0


@dataclass
class BaselinePo:
    po_key: str
    seconds: float
    not_found: bool
    files: list[tuple[str, int, str]] = field(default_factory=list)  # (name, size, sha256)
    error: str = ""
    started: float = 0.0  # monotonic, for the breakdown
    browser_start: float = 0.0  # seconds to start the browser
    page: float = 0.0  # seconds: navigation incl. sign-in chain
    fixed_waits: float = 0.0  # seconds spent in the selector waits
    downloading: float = 0.0


def _driver_path() -> str:
    return shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _browser_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _start_browser(profile: Path, downloads: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    binary = _browser_path()
    if binary:
        options.binary_location = binary
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "plugins.always_open_pdf_externally": True,
            "profile.default_content_setting_values.automatic_downloads": 1,
        },
    )
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=_driver_path()))
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def _fixed_wait(driver: webdriver.Chrome, css: str, seconds: float) -> None:
    with contextlib.suppress(TimeoutException):
        WebDriverWait(driver, seconds, poll_frequency=0.5).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _wait_download(folder: Path, before: set[str], started_within: float, timeout: float) -> str | None:
    """The name of the file a download added to `folder`, once it is complete; None if none started in time."""
    start = time.monotonic()
    while True:
        new = _entries(folder) - before
        done = [n for n in new if not n.endswith((".crdownload", ".tmp")) and not n.startswith(".")]
        busy = [n for n in new if n.endswith(".crdownload")]
        if done and not busy:
            return done[0]
        elapsed = time.monotonic() - start
        if (not new and elapsed > started_within) or elapsed > timeout:
            return None
        time.sleep(0.2)


def _collect(driver: webdriver.Chrome, selector_wait: float) -> tuple[list[WebElement], float]:
    waited = time.monotonic()
    _fixed_wait(driver, "li.attachment", selector_wait)
    if driver.find_elements(By.CSS_SELECTOR, "section#comments"):  # error pages have no comments to wait for
        _fixed_wait(driver, "section#comments[data-loaded]", selector_wait)
    elements = driver.find_elements(By.CSS_SELECTOR, FILE_SELECTOR)
    elements += driver.find_elements(By.CSS_SELECTOR, COMMENT_FILE_SELECTOR)
    return elements, time.monotonic() - waited


def _download_one(driver: webdriver.Chrome, element: WebElement, downloads: Path) -> str | None:
    url = element.get_attribute("data-url") or element.get_attribute("href") or ""
    main = driver.current_window_handle
    before = _entries(downloads)
    with contextlib.suppress(WebDriverException):
        driver.execute_script("arguments[0].scrollIntoView({block:'center'});", element)
        target = element.find_elements(By.CSS_SELECTOR, "span[role=button]") or [element]
        target[0].click()
    name = _wait_download(downloads, before, CLICK_START_WAIT, DOWNLOAD_TIMEOUT)
    for handle in driver.window_handles:  # a click opens a tab for the download; the old tool closed it
        if handle != main:
            with contextlib.suppress(WebDriverException):
                driver.switch_to.window(handle)
                driver.close()
    driver.switch_to.window(main)
    if name is None and url:
        before = _entries(downloads)
        with contextlib.suppress(WebDriverException):
            driver.get(url)
        name = _wait_download(downloads, before, CLICK_START_WAIT * 2, DOWNLOAD_TIMEOUT)
    return name


def process_po(base_url: str, po_key: str, output_dir: Path, selector_wait: float) -> BaselinePo:
    started = time.monotonic()
    record = BaselinePo(po_key, 0.0, False, started=started)
    scratch = Path(tempfile.mkdtemp(prefix=f"baseline-{po_key}-"))
    downloads = scratch / "downloads"
    downloads.mkdir()
    driver: webdriver.Chrome | None = None
    try:
        driver = _start_browser(scratch / "profile", downloads)
        record.browser_start = time.monotonic() - started
        mark = time.monotonic()
        driver.get(f"{base_url}/order_headers/{po_key}")  # the SSO chain runs on the way
        record.page = time.monotonic() - mark
        elements, waited = _collect(driver, selector_wait)
        record.fixed_waits = waited
        if driver.find_elements(By.CSS_SELECTOR, "h1#error-message"):
            record.not_found = True
        elif not elements:
            links = driver.find_elements(By.CSS_SELECTOR, "#order_header_requisition_header")
            if links:
                mark = time.monotonic()
                driver.get(links[0].get_attribute("href") or "")
                record.page += time.monotonic() - mark
                elements, waited = _collect(driver, selector_wait)
                record.fixed_waits += waited
        mark = time.monotonic()
        target = output_dir / po_key
        target.mkdir(parents=True, exist_ok=True)
        for element in elements:
            name = _download_one(driver, element, downloads)
            if name is None:
                record.error += f"no download for {element.text!r}; "
                continue
            final = target / name
            shutil.move(str(downloads / name), final)
            data = final.read_bytes()
            record.files.append((name, len(data), hashlib.sha256(data).hexdigest()))
        record.downloading = time.monotonic() - mark
    except WebDriverException as exc:
        record.error += f"browser error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    finally:
        if driver is not None:
            with contextlib.suppress(Exception):
                driver.quit()
        shutil.rmtree(scratch, ignore_errors=True)
    record.seconds = time.monotonic() - started
    return record


def _worker(base_url: str, tasks: Any, results: Any, output_dir: str, selector_wait: float) -> None:
    while True:
        try:
            po_key = tasks.get(timeout=1)
        except queue.Empty:
            return
        if po_key is None:
            return
        results.put(process_po(base_url, po_key, Path(output_dir), selector_wait))


def run_baseline(
    base_url: str, po_keys: list[str], output_dir: Path, workers: int, selector_wait: float
) -> list[BaselinePo]:
    """Process the POs with `workers` processes of the old approach; returns one record per PO."""
    ctx = multiprocessing.get_context("spawn")
    tasks: Any = ctx.Queue()
    results: Any = ctx.Queue()
    for key in po_keys:
        tasks.put(key)
    for _ in range(workers):
        tasks.put(None)
    processes = [
        ctx.Process(
            target=_worker,
            args=(base_url, tasks, results, str(output_dir), selector_wait),
            name=f"baseline-{i}",
            daemon=True,
        )
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    records: list[BaselinePo] = []
    while len(records) < len(po_keys):
        try:
            records.append(results.get(timeout=5))
        except queue.Empty:
            if not any(p.is_alive() for p in processes):
                break
    for process in processes:
        process.join(timeout=30)
    return records

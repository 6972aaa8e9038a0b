"""Where one of our workers spends its time, split finer than the engine's events allow.

    python -m benchmarks.breakdown [--quick] [--pos N]

Runs one worker IN THIS PROCESS (the same `start_context` + `process_po` the worker process runs) against the
scenario's demo portal, with timers wrapped around the engine's steps: browser start, sign-in, page navigation
(the tab's `Page.navigate`, answered with the server's response), waiting for the page's load and scripts to settle
(the DOM comes with the settled look), every other DevTools command, classifying and reading the HTML, downloading,
finalizing the folder and resetting the page between POs. Logs a table of totals; nothing
in core/ is changed (the wrappers are installed on the classes and modules at run time).
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.scenario import FULL, QUICK
from core.demo_portal import DemoPortal
from core.demo_portal.dataset import write_sample_spreadsheet

log = logging.getLogger("benchmarks.breakdown")

TOTALS: dict[str, float] = defaultdict(float)
COUNTS: dict[str, int] = defaultdict(int)


def _timed(label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            TOTALS[label] += time.perf_counter() - start
            COUNTS[label] += 1

    return wrapper


def _instrument() -> None:
    from core.po import browser, job
    from core.po.devtools import DevToolsTab
    from core.po.downloads import Downloader
    from core.po.page_tab import PageTab

    browser.Browser.start = _timed("browser start", browser.Browser.start)  # type: ignore[method-assign]
    PageTab.wait_settled = _timed("wait for load + scripts (settle)", PageTab.wait_settled)  # type: ignore[method-assign]
    PageTab.blank = _timed("reset page (about:blank)", PageTab.blank)  # type: ignore[method-assign]
    original_call = DevToolsTab.call

    def call(self: DevToolsTab, method: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        start = time.perf_counter()
        try:
            return original_call(self, method, *args, **kwargs)
        finally:
            label = "navigation (to the server's answer)" if method == "Page.navigate" else f"devtools {method}"
            TOTALS[label] += time.perf_counter() - start
            COUNTS[label] += 1

    DevToolsTab.call = call  # type: ignore[method-assign]
    # Replaced where the job looks them up (its module globals), so its own calls are timed.
    for name, label in (
        ("classify_page", "classify page (parse)"),
        ("read_page", "read page"),
        ("finalize_po_dir", "finalize folder"),
        ("_fresh_work_dir", "make work folder"),
    ):
        setattr(job, name, _timed(label, getattr(job, name)))
    Downloader.download_all = _timed("download_all", Downloader.download_all)  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.breakdown")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pos", type=int, default=0, help="process only the first N POs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("core").setLevel(logging.WARNING)
    scenario = QUICK if args.quick else FULL
    scratch = Path(tempfile.mkdtemp(prefix="coupa-breakdown-"))
    os.environ["COUPA_DATA_DIR"] = str(scratch / "appdata")
    _instrument()
    from core.config import RunConfig
    from core.po.job import process_po
    from core.run.worker import start_context
    from core.workbook.spreadsheet import read_input

    portal = DemoPortal(scenario.knobs()).start()
    ctx = None
    try:
        sheet = write_sample_spreadsheet(portal.dataset, scratch / "input.xlsx")
        config = RunConfig(sheet, scratch / "out", portal.base_url, workers=1, headless=True).validated()
        tasks = read_input(sheet).tasks()
        if args.pos:
            tasks = tasks[: args.pos]
        cancel = threading.Event()
        started = time.perf_counter()
        ctx = start_context(1, config, lambda _event: None, cancel, threading.Lock())
        mark = time.perf_counter()
        ctx.session.sign_in("benchmark", verify=True)
        TOTALS["sign in"] += time.perf_counter() - mark
        work_start = time.perf_counter()
        per_po: list[tuple[str, float, str]] = []
        for task in tasks:
            mark = time.perf_counter()
            result, _files = process_po(ctx, task)
            ctx.session.browser.reset_page_state()
            per_po.append((task.po_key, time.perf_counter() - mark, result.status.value))
        work = time.perf_counter() - work_start
        total = time.perf_counter() - started
    finally:
        if ctx is not None:
            ctx.downloader.close()
            ctx.session.browser.quit()
        portal.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    nf = [s for _k, s, status in per_po if status in ("PO_NOT_FOUND", "NO_ACCESS")]
    log.info("%d POs in %.2f s of PO work (%.2f s incl. start and sign-in)", len(per_po), work, total)
    log.info("not-found POs: %s s each", ", ".join(f"{s:.2f}" for s in nf))
    log.info("%-32s %9s %6s %9s", "step", "total s", "calls", "mean ms")
    for label, seconds in sorted(TOTALS.items(), key=lambda kv: -kv[1]):
        log.info("%-32s %9.2f %6d %9.1f", label, seconds, COUNTS[label], 1000 * seconds / max(1, COUNTS[label]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

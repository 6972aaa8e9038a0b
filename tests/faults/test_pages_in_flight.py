"""One worker keeps several POs in flight (one tab each): every file still right, a cancel stops them all in time,
a crash hands every one of them out again, and a PO retried after a crash is read alone."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.events import AttachmentsFound, Event, PoFinished, PoRequeued, PoStarted, WorkerRestarted
from core.po.browser import Browser, BrowserOptions
from core.run.supervisor import Supervisor
from tests.faults.conftest import RunSpec, assert_no_browsers_left, assert_true_outcome, run_supervised
from tests.faults.test_worker_failures import Killer

pytestmark = pytest.mark.integration

PAGES = 3


@pytest.fixture(scope="module")
def portal() -> DemoPortal:
    # Pages that take a while (like a real tenant's), so several of one worker are open at the same time.
    with DemoPortal(PortalKnobs(po_count=12, page_latency=0.6, comments_delay=0.3)).start() as server:
        yield server  # type: ignore[misc]


class InFlight:
    """Counts, from the events, the POs whose pages a worker has open at the same time."""

    def __init__(self) -> None:
        self.reading: set[str] = set()
        self.most = 0
        self._lock = threading.Lock()

    def __call__(self, event: Event, supervisor: Supervisor) -> None:
        with self._lock:
            if isinstance(event, PoStarted):
                self.reading.add(event.po_key)
            elif isinstance(event, AttachmentsFound):
                self.reading.discard(event.po_key)
            elif isinstance(event, PoFinished):
                self.reading.discard(event.result.po_key)
            elif isinstance(event, PoRequeued):
                self.reading.discard(event.po_key)
            self.most = max(self.most, len(self.reading))


def test_one_worker_reads_several_pages_at_once_and_every_file_is_right(portal: DemoPortal, tmp_path: Path) -> None:
    counter = InFlight()
    spec = RunSpec(portal, tmp_path, count=10, workers=1, overrides={"pages_per_worker": PAGES}, on_event=counter)
    run = run_supervised(spec)
    assert run.outcome.exit_code == 0
    assert counter.most == PAGES  # as many pages open at once as asked, never more
    assert len(run.results) == 10
    assert_true_outcome(portal, run)


def test_a_cancel_stops_every_po_in_flight_in_time(portal: DemoPortal, tmp_path: Path) -> None:
    since = time.time() - 0.5
    counter = InFlight()
    cancelled_at: list[float] = []

    def cancel_when_full(event: Event, supervisor: Supervisor) -> None:
        counter(event, supervisor)
        if len(counter.reading) == PAGES and not cancelled_at:
            cancelled_at.append(time.monotonic())
            supervisor.cancel()

    spec = RunSpec(portal, tmp_path, count=10, workers=1, overrides={"pages_per_worker": PAGES})
    spec.on_event = cancel_when_full
    run = run_supervised(spec)
    assert cancelled_at, "the worker never had all its pages open"
    assert time.monotonic() - cancelled_at[0] < 10.0  # the contract: stopped within 10 s
    assert run.outcome.exit_code == 130 and run.outcome.cancelled
    statuses = {r.status.value for r in run.results.values()}
    assert "CANCELLED" in statuses
    assert_no_browsers_left(since)


def test_a_crash_hands_every_po_in_flight_out_again(portal: DemoPortal, tmp_path: Path) -> None:
    since = time.time() - 0.5
    counter = InFlight()
    killer = Killer("browser", on_po=PAGES)  # the browser dies when its third page opens: three POs in flight
    crashed_with: list[set[str]] = []

    def on_event(event: Event, supervisor: Supervisor) -> None:
        counter(event, supervisor)
        if isinstance(event, PoStarted) and killer.kills == 0 and len(counter.reading) == PAGES:
            crashed_with.append(set(counter.reading))
        killer(event, supervisor)

    spec = RunSpec(portal, tmp_path, count=8, workers=1, overrides={"pages_per_worker": PAGES}, on_event=on_event)
    run = run_supervised(spec)
    assert killer.kills == 1 and crashed_with
    assert run.outcome.exit_code == 0
    assert len(run.of(WorkerRestarted)) == 1
    requeued = {e.po_key for e in run.of(PoRequeued) if isinstance(e, PoRequeued)}
    assert crashed_with[0] <= requeued  # every page open at the crash went back to the queue
    assert len(run.results) == 8
    for key in crashed_with[0]:
        assert run.results[key].attempts == 2  # read again, alone, and done
    assert_true_outcome(portal, run)
    assert_no_browsers_left(since)


def test_every_tab_runs_the_settle_detector_before_the_pages_scripts(portal: DemoPortal, tmp_path: Path) -> None:
    """Without it a page counts as read when its document is complete, before its comments app ran."""
    browser = Browser(BrowserOptions(), profiles_root=tmp_path, name="tabs")
    browser.start()
    tracked: dict[int, object] = {}

    def lane(n: int) -> None:
        tab = browser.tab()
        tab.open(portal.base_url + "/order_headers/" + portal.dataset.pos[n].po_key)
        tracked[n] = tab.evaluate("return typeof window.__cdPending === 'object'")

    try:
        threads = [threading.Thread(target=lane, args=(n,)) for n in range(PAGES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert tracked == dict.fromkeys(range(PAGES), True)
    finally:
        browser.quit()

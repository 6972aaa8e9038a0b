"""The old approach within a time budget: estimate its wall time first, and when it would take longer than the budget,
run it on the first POs only and scale its wall time per PO.

Scaling per PO is fair for the old approach: it starts a new browser for every PO and carries nothing from one PO to
the next, so its time grows with the POs it does. The first POs of the demo dataset hold every case in a fixed cycle
(13 cases, not-found POs spread evenly), so a sample of 13 or more POs has the mix of the whole; the output says how
many POs were run and how their bytes compare with the whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.scenario import Scenario
from core.demo_portal.dataset import DemoDataset

OLD_BUDGET_SECONDS = 720.0  # above ~12 minutes the old approach runs a sample of the POs
MIN_SAMPLE = 13  # one full cycle of the dataset's cases
BROWSER_SECONDS = 1.6  # start Chromium + chromedriver, quit it (measured on `full`: 1.4-1.9 s)
NAVIGATION_SECONDS = 0.7  # SSO chain and page load on top of the page latency
POLL_SECONDS = 0.5  # WebDriverWait's poll interval: a wait ends up to this late
SECONDS_PER_FILE = 0.6  # click, new tab, .crdownload polling, move


@dataclass(frozen=True)
class OldPlan:
    estimate: float  # seconds the old approach would take on all POs
    keys: list[str]  # the POs it runs
    total: int  # all POs of the scenario

    @property
    def sampled(self) -> bool:
        return len(self.keys) < self.total

    def scaled(self, measured_wall: float) -> float:
        """The wall time on all POs, from the time measured on the sample."""
        return measured_wall * self.total / max(1, len(self.keys))


def _page_seconds(scenario: Scenario, has_files_listed: bool, has_comments: bool) -> float:
    """One page of the old tool: navigate, wait for `li.attachment` (the whole wait when there is none), wait for the
    script-rendered comments."""
    wait = scenario.baseline_selector_wait
    seconds = scenario.page_latency + NAVIGATION_SECONDS + (POLL_SECONDS if has_files_listed else wait)
    if has_comments:
        seconds += min(wait, scenario.comments_delay + scenario.page_latency + POLL_SECONDS)
    return seconds


def po_seconds(dataset: DemoDataset, key: str, scenario: Scenario) -> float:
    """What one PO costs the old approach, from the dataset's facts about it."""
    po = dataset.get(key)
    seconds = BROWSER_SECONDS
    if po is None or po.not_found or po.no_access:
        return seconds + _page_seconds(scenario, False, False)
    listed = any(f.source in ("header", "line") for f in po.files)
    seconds += _page_seconds(scenario, listed, True)
    own = [f for f in po.files if f.source != "requisition"]
    if not own and po.requisition_id:
        seconds += _page_seconds(scenario, True, True)
    files = dataset.expected_files(key)
    per_connection = scenario.per_connection_bandwidth or 1e12
    return seconds + sum(f.size / per_connection + SECONDS_PER_FILE for f in files)


def plan_old(dataset: DemoDataset, keys: list[str], scenario: Scenario, workers: int, budget: float) -> OldPlan:
    """All POs if the estimate fits the budget, else the first POs that fit (at least one cycle of cases)."""
    each = [po_seconds(dataset, key, scenario) for key in keys]
    estimate = sum(each) / max(1, workers)
    if estimate <= budget:
        return OldPlan(estimate, list(keys), len(keys))
    per_po = estimate / max(1, len(keys))
    count = max(MIN_SAMPLE, workers, int(budget / per_po))
    return OldPlan(estimate, list(keys[: min(count, len(keys))]), len(keys))

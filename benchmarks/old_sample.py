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
BROWSER_SECONDS = 1.2  # start Chromium + chromedriver, quit it (measured: 0.6-1.9 s with the machine's load)
NAVIGATION_SECONDS = 0.2  # SSO chain and rendering on top of the page latency and the page's script
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
    """One page of the old tool: navigate (the load event waits for the page's async script, `comments_delay`), wait
    for `li.attachment` (the whole wait when there is none) while the script fetches the comments (one more page
    latency), and wait for those comments."""
    wait = scenario.baseline_selector_wait
    loaded = scenario.page_latency + scenario.comments_delay + NAVIGATION_SECONDS
    listed = 0.0 if has_files_listed else wait
    comments = min(wait, scenario.page_latency + POLL_SECONDS) if has_comments else 0.0
    return loaded + max(listed, comments)


def po_seconds(dataset: DemoDataset, key: str, scenario: Scenario) -> float:
    """What one PO costs the old approach, from the dataset's facts about it (checked against measured runs)."""
    po = dataset.get(key)
    seconds = BROWSER_SECONDS
    if po is None or po.not_found or po.no_access:
        return seconds + _page_seconds(scenario, False, False)
    seconds += _page_seconds(scenario, any(f.source in ("header", "line") for f in po.files), True)
    if po.requisition_id and not any(f.source != "requisition" for f in po.files):
        # Nothing on the PO: the old tool opens the requisition (an error page without comments if not accessible).
        readable = po.requisition_accessible
        seconds += _page_seconds(scenario, readable and any(f.source == "requisition" for f in po.files), readable)
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

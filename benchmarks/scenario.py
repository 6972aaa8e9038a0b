"""The benchmark scenarios: the demo portal's knobs (our stand-in for a real network) and the link-limit arithmetic.

Three scenarios: `full` (the 50-PO scenario), `tenant` (a real tenant's slow pages: 2.5 s per page, comments 1.0 s
after load, 1.5 MB/s per connection; the page chain, not the link, sets the pace) and `quick` (the shape of `full`
with fewer POs and smaller files, so a whole side-by-side run stays under three minutes on a small machine).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.demo_portal import PortalKnobs

MB = 1_000_000


@dataclass(frozen=True)
class Scenario:
    name: str
    po_count: int
    worker_counts: tuple[int, ...]
    page_latency: float = 0.4  # seconds before every HTML page (and the comments JSON) is answered
    comments_delay: float = 0.3  # the page's script fetches and renders comments this long after load
    min_file_size: int = 50_000
    max_file_size: int = 5 * MB
    max_files_per_po: int = 5
    not_found_share: float = 0.15
    per_connection_bandwidth: int = 2 * MB  # bytes/s for one download
    link_bandwidth: int = 8 * MB  # bytes/s shared by every download: the "network"
    baseline_selector_wait: float = 5.0  # the old tool's fixed WebDriverWait for attachment selectors
    seed: int = 7

    def knobs(self) -> PortalKnobs:
        return PortalKnobs(
            po_count=self.po_count,
            seed=self.seed,
            page_latency=self.page_latency,
            comments_delay=self.comments_delay,
            per_connection_bandwidth=self.per_connection_bandwidth,
            total_bandwidth=self.link_bandwidth,
            min_file_size=self.min_file_size,
            max_file_size=self.max_file_size,
            max_files_per_po=self.max_files_per_po,
            not_found_share=self.not_found_share,
        )

    @property
    def first_page_seconds(self) -> float:
        """The least time before any byte can flow: the PO page's latency, the comments script's delay and the
        comments request's latency (a PO is only fully read once its script-rendered comments are in)."""
        return self.page_latency + self.comments_delay + self.page_latency


FULL = Scenario(name="full", po_count=50, worker_counts=(1, 2, 4))
QUICK = Scenario(name="quick", po_count=8, worker_counts=(1, 2, 4), max_file_size=1 * MB)
# Files of a real PO (quotes, invoices: 50 KB-2 MB) and a 12 MB/s link: the 52 MB take 4.3 s on the link, a fraction
# of the page chain (40 POs x 6 s of page + comments), so the link never dominates and pages set the pace.
TENANT = Scenario(
    name="tenant",
    po_count=40,
    worker_counts=(1, 4),
    page_latency=2.5,
    comments_delay=1.0,
    max_file_size=2 * MB,
    per_connection_bandwidth=1_500_000,
    link_bandwidth=12 * MB,
)
SCENARIOS = {s.name: s for s in (FULL, TENANT, QUICK)}


def link_limit_seconds(total_bytes: int, largest_file: int, scenario: Scenario) -> float:
    """The fastest any tool could finish, set by the network alone.

    limit = max(total bytes / link cap, largest file / per-connection cap) + first page time.
    The link carries every byte at most at its cap; no single file can go faster than one connection's cap; and
    before the first byte the first PO page (latency + script-rendered comments) must have been read. All other
    page loads can overlap with other workers' downloads, so they are not counted: this is a strict limit.
    """
    if total_bytes <= 0:
        return scenario.first_page_seconds
    transfer = total_bytes / scenario.link_bandwidth
    single = largest_file / scenario.per_connection_bandwidth if scenario.per_connection_bandwidth else 0.0
    return max(transfer, single) + scenario.first_page_seconds


def lenient_limit_seconds(total_bytes: int, page_count: int, workers: int, scenario: Scenario) -> float:
    """The issue's literal reading: bytes / link cap + every page's latency, shared out over the workers."""
    pages = page_count * scenario.first_page_seconds / max(1, workers)
    return total_bytes / scenario.link_bandwidth + pages


def link_share(limit_seconds: float, wall_seconds: float) -> float:
    """Achieved throughput as a share of the link limit (1.0 = as fast as the network allows)."""
    if wall_seconds <= 0:
        return 0.0
    return limit_seconds / wall_seconds

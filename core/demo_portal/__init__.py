"""The embedded Coupa-like demo portal: made-up POs and files, an SSO chain and fault knobs.

Used by the product's demo, the integration tests and the benchmarks (it is their network).
"""

from __future__ import annotations

from core.demo_portal.dataset import DemoDataset, DemoFile, DemoPo, PortalKnobs, write_default_sample
from core.demo_portal.server import DemoPortal

__all__ = ["DemoDataset", "DemoFile", "DemoPo", "DemoPortal", "PortalKnobs", "write_default_sample"]

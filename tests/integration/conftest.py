"""Integration fixtures: one demo portal per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.demo_portal import DemoPortal, PortalKnobs


@pytest.fixture(scope="module")
def portal() -> Iterator[DemoPortal]:
    with DemoPortal(PortalKnobs(po_count=30)).start() as server:
        yield server

"""The embedded demo portal behind "Try with demo data": started on first use, stopped with the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.demo_portal import DemoPortal


class DemoSource:
    def __init__(self) -> None:
        self._own: DemoPortal | None = None
        self.url = ""  # the portal URL in use ("" before the demo was tried): never remembered as the real portal

    def portal(self, given: DemoPortal | None = None) -> DemoPortal:
        """`given` (a test's or the screenshots' portal), else this window's own, started now if needed."""
        from core.demo_portal import DemoPortal, PortalKnobs  # the demo's web server loads only when tried

        if given is None:
            if self._own is None:
                self._own = DemoPortal(PortalKnobs()).start()
            given = self._own
        self.url = given.base_url
        return given

    @staticmethod
    def sample() -> Path:
        from core.paths import resource_path

        return resource_path("sample_pos.xlsx")

    def stop(self) -> None:
        if self._own is not None:
            self._own.stop()
            self._own = None

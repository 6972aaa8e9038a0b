"""Fault-injection fixtures: a supervisor run in this process (so tests can kill workers and browsers by PID and
watch every event) against the demo portal with its fault knobs, and checks on statuses, files and processes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.config import RunConfig
from core.demo_portal import DemoPortal
from core.demo_portal.dataset import write_sample_spreadsheet
from core.events import Event
from core.models import PoResult
from core.run.journal import Journal
from core.run.supervisor import RunOutcome, Supervisor
from tests.support import assert_no_browsers_left, expected_status, portal_files, sha256_of


@dataclass
class FaultRun:
    outcome: RunOutcome
    events: list[Event]
    results: dict[str, PoResult]
    seconds: float
    output: Path

    def of(self, kind: type[Event]) -> list[Event]:
        return [e for e in self.events if isinstance(e, kind)]


@dataclass
class RunSpec:
    portal: DemoPortal
    tmp_path: Path
    count: int | None = None
    workers: int | None = 2
    overrides: dict[str, object] = field(default_factory=dict)
    on_event: Callable[[Event, Supervisor], None] | None = None
    memory_percent: Callable[[], float] | None = None


def run_supervised(spec: RunSpec) -> FaultRun:
    sample = write_sample_spreadsheet(spec.portal.dataset, spec.tmp_path / "input.xlsx", spec.count)
    output = spec.tmp_path / "run"
    config = replace(
        RunConfig(input_path=sample, output_dir=output, base_url=spec.portal.base_url, workers=spec.workers),
        **spec.overrides,  # type: ignore[arg-type]
    ).validated()
    events: list[Event] = []
    lock = threading.Lock()
    holder: list[Supervisor] = []

    def on_event(event: Event) -> None:
        with lock:
            events.append(event)
        if spec.on_event is not None:
            spec.on_event(event, holder[0])

    supervisor = Supervisor(config, on_event, memory_percent=spec.memory_percent)
    holder.append(supervisor)
    started = time.monotonic()
    outcome = supervisor.run()
    seconds = time.monotonic() - started
    with Journal(config.journal_path) as journal:
        results = journal.results()
    return FaultRun(outcome, events, results, seconds, output)


def assert_true_outcome(portal: DemoPortal, run: FaultRun, *, except_keys: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Every PO has the status the portal implies and every file is byte-identical to what it served."""
    assert run.results, "no results journaled"
    for key, result in run.results.items():
        if key in except_keys:
            continue
        assert result.status.value == expected_status(portal, key), (key, result.error_message)
        folder = Path(result.folder)
        served = sorted(f.sha256 for f in portal.dataset.expected_files(key))
        assert sorted(sha256_of(p) for p in portal_files(folder)) == served, key
    leftovers = [p for p in run.output.rglob("*") if p.name.endswith((".part", "__WORK"))]
    assert leftovers == []


__all__ = ["FaultRun", "RunSpec", "assert_no_browsers_left", "assert_true_outcome", "expected_status", "run_supervised"]

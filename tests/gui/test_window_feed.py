"""The window fed a generated run through the bridge, as benchmarks/window_feed.py does (no browser): every result
shows, the workers' rows showed their POs in flight several at a time, and the final results touch only the rows
that changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.window_feed import FeedEngine, generated_pos, schedule
from core.config import RunConfig
from core.events import PoFinished, PoStarted
from core.models import PoResult, PoStatus
from core.run.supervisor import RunOutcome
from gui.models import STATE_STOPPED, WorkersModel
from gui.results_area import ResultsFilter, ResultsModel

pytestmark = pytest.mark.timeout(60)


def test_the_schedule_interleaves_pos_over_every_tab_of_every_worker(tmp_path: Path) -> None:
    pos = generated_pos(60, tmp_path)
    events = [event for _at, _order, event in schedule(pos, workers=2, pages=3, seconds=1.0, output=tmp_path)]
    started = [event for event in events if isinstance(event, PoStarted)]
    assert sorted(event.po_key for event in started) == sorted(result.po_key for result, _f, _d in pos)
    in_flight: Counter[int] = Counter()
    most: Counter[int] = Counter()
    for event in events:
        if isinstance(event, PoStarted):
            in_flight[event.worker_id] += 1
            most[event.worker_id] = max(most[event.worker_id], in_flight[event.worker_id])
        elif isinstance(event, PoFinished):
            in_flight[event.worker_id] -= 1
    assert dict(most) == {1: 3, 2: 3} and not +in_flight  # 3 tabs each, every PO finished


def test_the_window_shows_every_result_and_several_pos_per_worker(qtbot, window, tmp_path: Path) -> None:
    pos = generated_pos(300, tmp_path)
    events = schedule(pos, workers=2, pages=3, seconds=2.0, output=tmp_path)
    results = [result for result, _files, _duration in pos]
    outcome = RunOutcome(0, tmp_path / "report.xlsx", dict(Counter(r.status.value for r in results)), results=results)
    window.bridge.make_engine = lambda _config, on_event: FeedEngine(events, outcome, on_event)
    model = window.workers_pane.model
    shown: list[int] = []  # the most POs a worker row showed, after each refresh
    window.bridge.batch.connect(lambda _batch: shown.append(max((len(r.shown) for r in model.rows()), default=0)))
    window.start_run(RunConfig(tmp_path / "in.xlsx", tmp_path, "https://acme.coupahost.com", workers=2))
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=30_000)

    assert window.results_pane.model.rowCount() == 300
    assert window.overall.progress.text() == "300 of 300 done"
    assert max(shown) == 3  # a row listed its three tabs' POs ("3 POs: …")
    assert [model.index(r, WorkersModel.COL_STATE).data() for r in range(2)] == [STATE_STOPPED] * 2
    assert sum(int(model.index(r, WorkersModel.COL_POS).data()) for r in range(2)) == 300


def test_the_final_results_change_only_the_rows_that_read_differently(qtmodeltester) -> None:
    """At a run's end the journal's answers replace the live ones: a sorted view of thousands of POs must not be
    reset and sorted all again when nearly every row reads the same."""
    model = ResultsModel()
    live = [
        PoResult(str(n), PoStatus.COMPLETED, supplier="Acme", attachments_found=1, attachments_downloaded=1)
        for n in range(5)
    ]
    model.add_results(live)
    proxy = ResultsFilter()
    proxy.setSourceModel(model)
    proxy.sort(ResultsModel.COL_STATUS)
    signals: list[str] = []
    model.modelReset.connect(lambda: signals.append("reset"))
    model.dataChanged.connect(lambda top, _bottom, _roles=None: signals.append(f"changed {top.row()}"))
    model.rowsInserted.connect(lambda _parent, first, _last: signals.append(f"inserted {first}"))

    journal = [replace(result, seconds=1.5, finished_at="2026-12-07T05:00:00") for result in live]
    journal[3] = replace(journal[3], status=PoStatus.PARTIAL, error_message="1 file failed")
    model.settle([*journal, PoResult("9", PoStatus.CANCELLED)])
    assert signals == ["changed 3", "inserted 5"]  # the row that reads differently, and the PO never shown
    assert model.results()[0].seconds == 1.5  # the journal's answer is kept, silently where it reads the same
    assert proxy.index(proxy.rowCount() - 1, ResultsModel.COL_STATUS).data() == "Partial"  # still sorted

    signals.clear()
    model.settle(journal[:2])  # a list without POs shown: shown afresh
    assert signals == ["reset"] and model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)

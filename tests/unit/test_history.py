"""The run history: records survive two app instances writing at once, and give the ETA's starting rate."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from core.run.history import KIND_RUN, STATE_RUNNING, History, RunRecord, new_run_id


def _record_many(path: str, label: str, count: int) -> None:
    history = History(Path(path))
    for index in range(count):
        history.record(RunRecord(new_run_id(), f"2026-01-01T00:00:{index:02d}", KIND_RUN, f"/runs/{label}{index}"))


def test_two_instances_recording_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_record_many, args=(str(path), label, 40)) for label in "ab"]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0
    folders = {run.folder for run in History(path).runs()}
    assert len(folders) == 80


def test_a_run_is_updated_in_place_and_listed_newest_first(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    older = RunRecord(new_run_id(), "2026-01-01T10:00:00", KIND_RUN, "/runs/old", description="first")
    newer = RunRecord(new_run_id(), "2026-01-02T10:00:00", KIND_RUN, "/runs/new")
    history.record(older)
    history.record(newer)
    older.state, older.processed, older.seconds, older.counts = "finished", 30, 60.0, {"COMPLETED": 30}
    history.record(older)
    runs = history.runs()
    assert [r.folder for r in runs] == ["/runs/new", "/runs/old"]
    assert runs[1].state == "finished" and runs[1].counts == {"COMPLETED": 30} and runs[1].pos_per_minute == 30.0
    assert runs[1].as_dict()["description"] == "first"


def test_rate_per_worker_comes_from_finished_runs_only(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    assert history.pos_per_minute_per_worker() is None
    history.record(RunRecord(new_run_id(), "2026-01-01T10:00:00", KIND_RUN, "/a", state=STATE_RUNNING, workers=2))
    done = RunRecord(new_run_id(), "2026-01-01T11:00:00", KIND_RUN, "/b", state="finished", workers=2)
    done.processed, done.seconds = 40, 120.0
    history.record(done)
    # 40 POs in 2 minutes with 2 workers: 10 POs per minute per worker.
    assert history.pos_per_minute_per_worker() == 10.0

"""The benchmark's arithmetic and formatting (no browser, no portal)."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest

from benchmarks.old_sample import MIN_SAMPLE, plan_old, po_seconds
from benchmarks.report import HAND_WRITTEN, derived, format_table, hand_written, render_markdown, targets
from benchmarks.run import compare_files
from benchmarks.scenario import FULL, MB, QUICK, TENANT, lenient_limit_seconds, link_limit_seconds, link_share
from benchmarks.sections import soak_targets, sweep_section
from benchmarks.soak import rate_per_minute, tenth_pss, tenth_rates
from core.demo_portal.dataset import DemoDataset


def test_link_limit_is_transfer_time_plus_first_page() -> None:
    scenario = replace(
        FULL, link_bandwidth=8 * MB, per_connection_bandwidth=2 * MB, page_latency=0.4, comments_delay=0.3
    )
    # 80 MB over an 8 MB/s link is 10 s; the first page costs 0.4 + 0.3 + 0.4 = 1.1 s.
    assert link_limit_seconds(80 * MB, 5 * MB, scenario) == pytest.approx(11.1)


def test_link_limit_is_bounded_by_the_largest_file_on_one_connection() -> None:
    scenario = replace(
        FULL, link_bandwidth=8 * MB, per_connection_bandwidth=1 * MB, page_latency=0.0, comments_delay=0.0
    )
    # 8 MB would take 1 s on the link, but one 4 MB file alone takes 4 s on its single capped connection.
    assert link_limit_seconds(8 * MB, 4 * MB, scenario) == pytest.approx(4.0)


def test_link_limit_without_bytes_is_the_first_page() -> None:
    assert link_limit_seconds(0, 0, QUICK) == pytest.approx(QUICK.first_page_seconds)


def test_lenient_limit_shares_page_time_over_workers() -> None:
    scenario = replace(FULL, link_bandwidth=10 * MB, page_latency=0.5, comments_delay=0.0)
    # 100 MB / 10 MB/s = 10 s, plus 40 pages x 1.0 s / 4 workers = 10 s.
    assert lenient_limit_seconds(100 * MB, 40, 4, scenario) == pytest.approx(20.0)


def test_link_share() -> None:
    assert link_share(10.0, 20.0) == pytest.approx(0.5)
    assert link_share(10.0, 0.0) == 0.0


def test_compare_files_reports_missing_and_wrong_files() -> None:
    assert compare_files("1", ["a", "b", "b"], ["b", "a", "b"]) == ""
    problem = compare_files("16928000", ["a", "b", "b"], ["a", "b", "c"])
    assert "PO 16928000" in problem
    assert "expected 3 files, got 3" in problem
    assert "1 missing/short, 1 extra/wrong" in problem


def _row(approach: str, workers: int, wall: float, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "approach": approach,
        "workers": workers,
        "wall": wall,
        "bytes_ok": 40 * MB,
        "pos": 50,
        "mismatches": [],
        "not_found_seconds": 1.0,
        "peak_pss_mib": 300.0,
        "cpu_seconds": 10.0,
        "system_cpu_percent": 50.0,
        "breakdown": {"page": 1.0, "downloading": 2.0, "total": 3.0},
        "startup": 2.0,
        "shutdown": 0.5,
    }
    row.update(extra)
    return row


def _data(rows: list[dict[str, Any]]) -> dict[str, Any]:
    scenario = replace(
        FULL, link_bandwidth=8 * MB, per_connection_bandwidth=2 * MB, page_latency=0.4, comments_delay=0.2
    )
    return {
        "scenario": asdict(scenario),
        "rows": rows,
        "total_bytes": 80 * MB,
        "largest_file": 5 * MB,
        "files": 30,
        "not_found": 7,
        "pages": 50,
        "run_at": "2025-01-01T00:00:00",
        "command": "python -m benchmarks.run",
        "machine": {"cpu": "2 logical"},
    }


def test_derived_rows_get_ratio_and_link_share() -> None:
    data = _data([_row("baseline", 4, 100.0), _row("ours", 4, 20.0)])
    rows = {r["approach"]: r for r in derived(data["rows"], data)}
    assert rows["ours"]["ratio"] == pytest.approx(0.2)
    # limit = 80 MB / 8 MB/s + (0.4 + 0.2 + 0.4) = 11 s; 11 / 20 = 55 %.
    assert rows["ours"]["link_share"] == pytest.approx(0.55)
    assert rows["ours"]["mb_per_s"] == pytest.approx(2.0)
    assert rows["ours"]["pos_per_min"] == pytest.approx(150.0)


def test_targets_say_which_are_met() -> None:
    data = _data(
        [
            _row("baseline", 1, 100.0),
            _row("ours", 1, 20.0, pages_per_worker=4, peak_pss_mib=320.0),
            _row("baseline", 4, 40.0),
            _row("ours", 4, 12.0, not_found_seconds=2.0, peak_pss_mib=360.0, pages_per_worker=2),
        ]
    )
    verdicts = {t: (m, ok) for t, m, ok in targets(derived(data["rows"], data), "full")}
    # limit 11 s: 11 / 20 = 55% at 1 worker, 11 / 12 = 92% at 4.
    assert verdicts["full: ≥ 75% of the strict link limit at 1 worker(s)"] == ("55%", False)
    assert verdicts["full: ≥ 90% of the strict link limit at 4 worker(s)"] == ("92%", True)
    assert verdicts["full: not-found PO < 1.5 s of a worker's time"] == ("max 2.00 s", False)
    assert verdicts["full: peak PSS per worker at every worker count ≤ 350 MiB"] == ("max 360 MiB (4 w, K=2)", False)
    assert verdicts["full: PSS per PO in flight ≤ 150 MiB"] == ("max 180 MiB (4 w, K=2)", False)


def test_tenant_targets_are_the_ratio_at_1_and_4_workers() -> None:
    data = _data(
        [
            _row("baseline", 1, 500.0),
            _row("ours", 1, 45.0, pages_per_worker=4),
            _row("baseline", 4, 150.0),
            _row("ours", 4, 16.5, pages_per_worker=4),
        ]
    )
    verdicts = {t: (m, ok) for t, m, ok in targets(derived(data["rows"], data), "tenant")}
    assert verdicts["tenant: ours / old ≤ 0.10 at 1 and 4 workers"] == ("1 w: 0.090, 4 w: 0.110", False)
    assert verdicts["tenant: PSS per PO in flight ≤ 150 MiB"] == ("max 75 MiB (1 w, K=4)", True)
    assert not any("link limit" in target for target in verdicts)


def test_a_sampled_old_row_is_marked_and_its_bytes_flow_in_the_measured_time() -> None:
    old = _row("baseline", 1, 400.0, sampled_pos=20, measured_wall=160.0, sampled_bytes_share=0.38, estimate=450.0)
    data = _data([old, _row("ours", 1, 40.0, pages_per_worker=4)])
    rows = derived(data["rows"], data)
    assert rows[0]["mb_per_s"] == pytest.approx(40 / 160.0)  # 40 MB verified in the sample's 160 s
    assert rows[0]["pos_per_min"] == pytest.approx(7.5)  # 50 POs in the scaled 400 s
    assert rows[1]["ratio"] == pytest.approx(0.1)
    assert "| old | 1 | 1 | 400.0* |" in format_table(rows)
    text = render_markdown([data])
    assert "run on the first 20 of 50 POs (38% of the bytes), 160.0 s measured" in text
    assert "| ours | 1 | 4 | 40.0 |" in text


def test_the_old_approach_runs_every_po_within_its_budget_else_a_sample_scaled_per_po() -> None:
    dataset = DemoDataset(TENANT.knobs())
    keys = [po.po_key for po in dataset.pos]
    each = sum(po_seconds(dataset, key, TENANT) for key in keys)
    whole = plan_old(dataset, keys, TENANT, 4, budget=each)
    assert not whole.sampled and whole.keys == keys
    assert whole.estimate == pytest.approx(each / 4)
    sample = plan_old(dataset, keys, TENANT, 1, budget=each / 2)
    assert sample.sampled and len(sample.keys) == len(keys) // 2
    assert sample.keys == keys[: len(sample.keys)]
    assert sample.scaled(100.0) == pytest.approx(100.0 * len(keys) / len(sample.keys))
    tiny = plan_old(dataset, keys, TENANT, 1, budget=1.0)
    assert len(tiny.keys) == MIN_SAMPLE  # at least one cycle of the dataset's cases


def test_a_slow_page_costs_the_old_approach_more_than_a_fast_one() -> None:
    dataset = DemoDataset(FULL.knobs())
    key = dataset.pos[0].po_key
    assert po_seconds(dataset, key, replace(FULL, page_latency=2.5)) > po_seconds(dataset, key, FULL) + 2.0


def test_soak_rates_of_the_first_and_last_tenth() -> None:
    # 100 POs: the first ten finish one per second, the last ten one every two seconds.
    times = [float(i) for i in range(10)] + [10.0 + i for i in range(80)] + [100.0 + 2 * i for i in range(10)]
    first, last = tenth_rates(times)
    assert first == pytest.approx(60.0)
    assert last == pytest.approx(30.0)
    assert rate_per_minute([5.0]) == 0.0


def test_soak_pss_means_of_the_first_and_last_tenth_of_the_time() -> None:
    mib = 1024 * 1024
    samples = [(float(t), (100 if t < 50 else 120) * mib) for t in range(0, 101, 2)]
    first, last = tenth_pss(samples, 0.0, 100.0)
    assert (first, last) == (pytest.approx(100.0), pytest.approx(120.0))
    # A run shorter than the sampling interval: the nearest sample stands for each tenth.
    assert tenth_pss([(0.0, 90 * mib), (3.0, 95 * mib)], 1.0, 2.5) == (pytest.approx(90.0), pytest.approx(95.0))


def test_soak_targets_say_what_was_not_run() -> None:
    data = {
        "pos": 5000,
        "first_rate": 300.0,
        "last_rate": 270.0,
        "rate_change": -0.1,
        "pss_first_mib": 600.0,
        "pss_last_mib": 690.0,
        "pss_change": 0.15,
        "report_seconds": 4.0,
        "window_feed": {"note": "not run: benchmarks/window_feed.py is not on main"},
    }
    verdicts = [ok for _t, _m, ok in soak_targets(data)]
    assert verdicts == [True, False, True, None]
    data["window_feed"] = {"worst_ms": 42.0}
    assert soak_targets(data)[-1][1:] == ("42 ms", True)


def test_sweep_section_has_one_row_per_k() -> None:
    rows = [
        {"pages_per_worker": k, "wall": 60.0 / k, "pos_per_min": 40.0 * k, "peak_pss_mib": 300.0 + 40 * k,
         "pss_per_page_mib": (300.0 + 40 * k) / k, "cpu_seconds": 20.0, "load_average": 1.5, "wrong_files": 0}
        for k in (8, 1, 2, 4)
    ]  # fmt: skip
    data = {"scenario": {"name": "tenant", "po_count": 40}, "workers": 1, "command": "x", "run_at": "t", "rows": rows}
    lines = sweep_section([data])
    table = [line for line in lines if line.startswith("| ") and line[2].isdigit()]
    assert [line.split(" | ")[0] for line in table] == ["| 1", "| 2", "| 4", "| 8"]
    assert "| 4 | 15.0 | 160.0 | 460 | 115 | 20 | 1.5 | 0 |" in lines


def test_the_hand_written_part_of_results_is_kept(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    assert hand_written(results) == HAND_WRITTEN + "\n"
    results.write_text(f"# generated\n\n{HAND_WRITTEN}\n## Decision\nK = 4 because ...\n", encoding="utf-8")
    assert hand_written(results) == f"{HAND_WRITTEN}\n## Decision\nK = 4 because ...\n"


def test_table_and_markdown_show_rows_and_mismatches() -> None:
    data = _data([_row("baseline", 2, 50.0, mismatches=["PO 1: expected 2 files, got 1"]), _row("ours", 2, 10.0)])
    rows = derived(data["rows"], data)
    table = format_table(rows).splitlines()
    assert len(table) == 4  # header, separator, two rows; baseline first
    assert table[2].startswith("| old | 2 | 1 | 50.0 |")
    assert "| 0.20 |" in table[3]
    text = render_markdown([data])
    assert "old 2 w: PO 1: expected 2 files, got 1" in text
    assert "Command: `python -m benchmarks.run`" in text

"""The benchmark's arithmetic and formatting (no browser, no portal)."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

import pytest

from benchmarks.run import compare_files, derived, format_table, render_markdown, targets
from benchmarks.scenario import FULL, MB, QUICK, lenient_limit_seconds, link_limit_seconds, link_share


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
            _row("ours", 1, 20.0),
            _row("baseline", 4, 40.0),
            _row("ours", 4, 12.0, not_found_seconds=2.0, peak_pss_mib=360.0),
        ]
    )
    verdicts = {t: (m, ok) for t, m, ok in targets(derived(data["rows"], data))}
    ratio_text, ratio_ok = verdicts["ours / baseline ≤ 0.25 at 1, 2, 4 workers"]
    assert ratio_text == "1 w: 0.20, 4 w: 0.30" and not ratio_ok
    assert verdicts["≥ 70% of the link limit with 4 workers"] == ("92% (strict)", True)
    assert verdicts["not-found PO < 1.5 s of a worker's time"] == ("max 2.00 s", False)
    assert verdicts["≤ 350 MB PSS per worker incl. browser"] == ("max 360 MiB", False)


def test_table_and_markdown_show_rows_and_mismatches() -> None:
    data = _data([_row("baseline", 2, 50.0, mismatches=["PO 1: expected 2 files, got 1"]), _row("ours", 2, 10.0)])
    rows = derived(data["rows"], data)
    table = format_table(rows).splitlines()
    assert len(table) == 4  # header, separator, two rows; baseline first
    assert table[2].startswith("| baseline | 2 | 50.0 |")
    assert "| 0.20 |" in table[3]
    text = render_markdown([data])
    assert "baseline 2 w: PO 1: expected 2 files, got 1" in text
    assert "Command: `python -m benchmarks.run`" in text

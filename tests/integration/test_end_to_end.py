"""The whole job, as a user runs it: real Chromium, the demo portal, a real spreadsheet, real folders and report."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.workbook.report import REPORT_NAME
from tests.support import assert_no_browsers_left, expected_status, run_app, sha256_of

pytestmark = pytest.mark.integration


def report_rows(report: Path) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(report)["PO_Data"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


@pytest.mark.parametrize("workers", [1, 2])
def test_every_po_ends_with_its_true_status_and_every_file_is_exact(
    portal: DemoPortal, tmp_path: Path, workers: int
) -> None:
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "input.xlsx", 30)
    input_before = sha256_of(sample)
    output = tmp_path / "run"
    started = time.time() - 0.5
    sessions_before = portal.sessions_started()

    result = run_app(
        "run", "--input", sample, "--output", output, "--base-url", portal.base_url, "--workers", workers, "--json"
    )

    assert result.returncode == 0, result.stderr
    assert sha256_of(sample) == input_before, "the input file must never be modified"
    last = result.events[-1]
    assert last["event"] == "run_finished"
    assert Path(str(last["report"])) == output / REPORT_NAME

    rows = report_rows(output / REPORT_NAME)
    by_key: dict[str, dict[str, object]] = {}
    for row in rows:
        if row["STATUS"] == "INVALID":
            assert row["PO_NUMBER"] == "N/A" and row["ERROR_MESSAGE"]
            continue
        if row["PO_NUMBER"] is None:
            continue
        key = "".join(ch for ch in str(row["PO_NUMBER"]) if ch.isdigit())
        by_key[key] = row
    assert len(by_key) == 30
    statuses = Counter()
    for key, row in by_key.items():
        want = expected_status(portal, key)
        statuses[want] += 1
        assert row["STATUS"] == want, (key, row["ERROR_MESSAGE"])
        folder = Path(str(row["DOWNLOAD_FOLDER"]))
        assert folder.is_dir() and folder.name.endswith(f"_{want}")
        served = sorted(f.sha256 for f in portal.dataset.expected_files(key))
        assert sorted(sha256_of(p) for p in folder.iterdir()) == served, key
        assert row["ATTACHMENTS_DOWNLOADED"] == len(served)
    assert set(statuses) == {"COMPLETED", "NO_ATTACHMENTS", "PO_NOT_FOUND", "NO_ACCESS"}

    leftovers = [p for p in output.rglob("*") if p.name.endswith((".part", "__WORK"))]
    assert leftovers == []
    assert_no_browsers_left(started)
    assert portal.sessions_started() - sessions_before <= 1, "at most one sign-in, shared by every worker"


def test_comments_rendered_late_by_a_long_timer_are_still_read(tmp_path: Path) -> None:
    # A 3.5 s timer is longer than the timers the settle detector counts: the loading placeholder keeps us waiting.
    with DemoPortal(PortalKnobs(po_count=8, comments_delay=3.5, not_found_share=0)).start() as slow_portal:
        with_comment_files = [
            po.po_key
            for po in slow_portal.dataset.pos
            if any(f.source == "comment" for f in slow_portal.dataset.expected_files(po.po_key))
        ]
        assert with_comment_files, "the scenario needs a PO whose files are in its comments"
        sample = write_sample_spreadsheet(slow_portal.dataset, tmp_path / "input.xlsx")
        output = tmp_path / "run"
        result = run_app("run", "--input", sample, "--output", output, "--base-url", slow_portal.base_url)
        assert result.returncode == 0, result.stderr
        rows = {"".join(c for c in str(r["PO_NUMBER"]) if c.isdigit()): r for r in report_rows(output / REPORT_NAME)}
        for key in with_comment_files:
            expected = slow_portal.dataset.expected_files(key)
            assert rows[key]["STATUS"] == "COMPLETED" and rows[key]["ATTACHMENTS_DOWNLOADED"] == len(expected)

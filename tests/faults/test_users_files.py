"""What the app may touch: the input is read once (a snapshot), the user's own files are never deleted, moved or
overwritten, and our files get unique names beside them. Real runs on the demo portal."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.events import Event, PoFinished
from core.run.supervisor import Supervisor
from core.workbook.report import REPORT_NAME
from core.workbook.spreadsheet import parse_po_number
from tests.faults.conftest import RunSpec, expected_status, run_supervised

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def portal() -> Iterator[DemoPortal]:
    with DemoPortal(PortalKnobs(po_count=12, page_latency=0.2, not_found_share=0.2)).start() as server:
        yield server


def report_statuses(report: Path) -> list[tuple[object, object]]:
    """(PO cell, STATUS) of every data row of the report's first sheet."""
    sheet = openpyxl.load_workbook(report).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    po, status = headers.index("PO_NUMBER"), headers.index("STATUS")
    return [(row[po], row[status]) for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]


def assert_rows_match_the_portal(portal: DemoPortal, report: Path, rows: int) -> None:
    checked = 0
    for po_cell, status in report_statuses(report):
        try:
            po_key, _folder = parse_po_number(po_cell)
        except ValueError:
            assert status == "INVALID", po_cell
            continue
        assert status == expected_status(portal, po_key), (po_cell, status)
        checked += 1
    assert checked == rows


def test_input_edited_and_moved_mid_run_leaves_the_report_rows_right(portal: DemoPortal, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / "input.xlsx"

    def edit_then_move(event: Event, _supervisor: Supervisor) -> None:
        if isinstance(event, PoFinished) and not moved.exists():
            source = tmp_path / "input.xlsx"
            book = openpyxl.load_workbook(source)
            book.worksheets[0].insert_rows(2)
            book.worksheets[0].cell(row=2, column=1, value="PO999999")
            book.save(source)
            moved.parent.mkdir()
            shutil.move(source, moved)

    run = run_supervised(RunSpec(portal, tmp_path, count=6, workers=1, on_event=edit_then_move))
    assert moved.exists(), "the input was edited and moved during the run"
    assert run.outcome.exit_code == 0
    assert_rows_match_the_portal(portal, run.output / REPORT_NAME, rows=7)  # six POs, one of them twice

    # --resume reads the snapshot too, not the (shorter) spreadsheet now at the input's place.
    resumed = run_supervised(RunSpec(portal, tmp_path, count=3, workers=1, overrides={"resume": True}))
    assert resumed.outcome.exit_code == 0
    assert "999999" not in resumed.results
    assert_rows_match_the_portal(portal, resumed.output / REPORT_NAME, rows=7)

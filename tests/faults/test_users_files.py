"""What the app may touch: the input is read once (a snapshot), the user's own files are never deleted, moved or
overwritten, and our files get unique names beside them. Real runs on the demo portal."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.events import Event, PoFinished
from core.models import PoResult
from core.po.folders import po_dir
from core.run.supervisor import Supervisor
from core.workbook.report import REPORT_NAME
from core.workbook.spreadsheet import parse_po_number, read_input
from tests.faults.conftest import RunSpec, expected_status, run_supervised
from tests.support import sha256_of

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


def plant_users_files(portal: DemoPortal, tmp_path: Path, count: int) -> dict[Path, bytes]:
    """A user's files where a run will work: inside reused PO folders (one named like a file the portal serves) and
    unfinished browser downloads (`.part`) elsewhere in the output folder."""
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "input.xlsx", count)
    output = tmp_path / "run"
    planted: dict[Path, bytes] = {
        output / "x.part": b"a browser's unfinished download",
        output / "Downloads" / "report.xlsx.part": b"another one",
    }
    with_files = [t for t in read_input(sample).tasks() if expected_status(portal, t.po_key) == "COMPLETED"]
    without = [t for t in read_input(sample).tasks() if expected_status(portal, t.po_key) != "COMPLETED"]
    for task, status in ((with_files[0], "COMPLETED"), (with_files[1], "PARTIAL"), (without[0], "FAILED")):
        po = portal.dataset.get(task.po_key)
        assert po is not None
        folder = po_dir(output, task.levels or (po.supplier,), task.folder_name)
        reused = folder.with_name(f"{folder.name}_{status}")
        planted[reused / "signed_contract.pdf"] = b"%PDF- signed by hand " + task.po_key.encode()
        planted[reused / "draft.part"] = b"the user's own .part"
        served = portal.dataset.expected_files(task.po_key)
        if served:
            planted[reused / served[0].name] = b"the user's own version of " + served[0].name.encode()
    for path, data in planted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return planted


def assert_untouched(planted: dict[Path, bytes]) -> None:
    for path, data in planted.items():
        assert path.is_file() and path.read_bytes() == data, f"{path} was changed, moved or deleted"


def assert_all_files_saved(portal: DemoPortal, results: dict[str, PoResult]) -> None:
    for key, result in results.items():
        assert result.status.value == expected_status(portal, key), (key, result.error_message)
        on_disk = {sha256_of(p) for p in Path(result.folder).iterdir() if p.is_file()}
        served = {f.sha256 for f in portal.dataset.expected_files(key)}
        assert served <= on_disk, key
        assert len(result.attachment_names) >= len(served)
        for name in result.attachment_names[: len(served)]:
            assert (Path(result.folder) / name).is_file(), (key, name)


def test_users_files_survive_a_run_a_cancel_and_a_resume_byte_identical(portal: DemoPortal, tmp_path: Path) -> None:
    planted = plant_users_files(portal, tmp_path, count=8)

    def cancel_early(event: Event, supervisor: Supervisor) -> None:
        if isinstance(event, PoFinished):
            supervisor.cancel()

    first = run_supervised(RunSpec(portal, tmp_path, count=8, workers=1, on_event=cancel_early))
    assert first.outcome.cancelled
    assert_untouched(planted)

    resumed = run_supervised(RunSpec(portal, tmp_path, count=8, workers=2, overrides={"resume": True}))
    assert resumed.outcome.exit_code == 0
    assert_untouched(planted)
    assert_all_files_saved(portal, resumed.results)
    assert len(resumed.results) == 8

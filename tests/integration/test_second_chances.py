"""Second chances on the command line: `--retry` runs the failed and partial POs again in place, fetching only the
files not yet saved; every run lands in the history (`history --json`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.paths import journal_path
from core.run.journal import RETRY_STATUSES, Journal
from core.workbook.report import REPORT_NAME
from tests.support import expected_status, portal_files, run_app

pytestmark = pytest.mark.integration

# Each faulted file answers 503 three times: the first run gives up on it (3 tries), a retry gets it at once.
FAULTY = PortalKnobs(po_count=14, error_5xx_rate=0.3, faults_per_file=3, not_found_share=0.1)


def _files_on_disk(output: Path) -> dict[Path, int]:
    """Every saved file of the run and its modification time (ns): a file fetched again gets a new one."""
    return {
        p.relative_to(output): p.stat().st_mtime_ns
        for p in output.rglob("*")
        if p.is_file() and ".coupadownloads" not in p.parts and p.name != REPORT_NAME
    }


def _po_of(path: Path) -> str:
    """The PO a saved file belongs to, from its PO folder (`PO16928001_PARTIAL` -> `PO16928001`), also for the files
    extracted from an e-mail into a folder beside it."""
    return next(part.split("_")[0] for part in path.parts if re.fullmatch(r"P[OM]\d+(__WORK|_[A-Z_]+)", part))


def _report_rows(output: Path) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(output / REPORT_NAME)["PO_Data"].iter_rows(values_only=True))


def test_retry_fetches_only_missing_files_and_leaves_other_pos_untouched(tmp_path: Path) -> None:
    with DemoPortal(FAULTY).start() as portal:
        sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx")
        output = tmp_path / "run"
        common = (
            "--input",
            sample,
            "--output",
            output,
            "--base-url",
            portal.base_url,
            "--workers",
            "2",
        )
        first = run_app("run", *common, "--description", "faulty first pass")
        assert first.returncode == 0, first.stderr
        with Journal(journal_path(output)) as journal:
            before = journal.results()
        retried = {k for k, r in before.items() if r.status.value in RETRY_STATUSES}
        failed = {k for k, r in before.items() if r.status.value in ("PARTIAL", "FAILED")}
        faulted = {k: [f for f in portal.dataset.expected_files(k) if f.fault] for k in before}
        assert failed == {k for k, files in faulted.items() if files}, "the faulted files failed the first run"
        assert any(before[k].status.value == "PARTIAL" for k in failed)
        missing = sum(len(files) for files in faulted.values())
        on_disk, rows_before = _files_on_disk(output), _report_rows(output)
        requests_before = portal.file_requests()

        again = run_app("run", *common, "--retry", "--json")
        assert again.returncode == 0, again.stderr
        started = next(e for e in again.events if e["event"] == "run_started")
        assert started["pending"] == len(retried) and started["already_done"] == len(before) - len(retried)
        assert {e["result"]["po_key"] for e in again.events if e["event"] == "po_finished"} == retried
        assert portal.file_requests() - requests_before == missing, "only the files not yet saved are fetched"

    with Journal(journal_path(output)) as journal:
        after = journal.results()
    for key in retried - failed:
        assert after[key].status.value == expected_status(portal, key) == "NO_ACCESS"
    for key in failed:
        assert after[key].status.value == "COMPLETED", after[key].error_message
        folder = Path(after[key].folder)
        assert folder.name.endswith("_COMPLETED") and folder.is_dir()
        assert not folder.with_name(folder.name.replace("_COMPLETED", f"_{before[key].status.value}")).exists()
        assert len(portal_files(folder)) == len(portal.dataset.expected_files(key))
    assert {k: after[k] for k in after if k not in retried} == {k: before[k] for k in before if k not in retried}
    assert not [p for p in output.rglob("*") if p.name.endswith(("__WORK", ".part"))]
    kept = _files_on_disk(output)
    for path, mtime in on_disk.items():
        # The file may have moved with its folder (PARTIAL -> COMPLETED); it was not written again.
        moved = [p for p in kept if p.name == path.name and _po_of(p) == _po_of(path)]
        assert moved and kept[moved[0]] == mtime, path
    rows_after = _report_rows(output)
    assert len(rows_after) == len(rows_before) and rows_after[0] == rows_before[0]
    po_column, status_column = rows_after[0].index("PO_NUMBER"), rows_after[0].index("STATUS")
    for row, earlier in zip(rows_after[1:], rows_before[1:], strict=True):
        key = "".join(ch for ch in str(row[po_column]) if ch.isdigit())
        if key in retried:
            assert row[status_column] == expected_status(portal, key), row
        elif row[status_column] == "INVALID":  # not a PO: its row says when the report was written
            stamp = rows_after[0].index("LAST_PROCESSED")
            assert row[:stamp] + row[stamp + 1 :] == earlier[:stamp] + earlier[stamp + 1 :]
        else:
            assert row == earlier, "a PO the retry did not touch keeps its report row"


def test_retry_needs_an_earlier_run(portal: DemoPortal, tmp_path: Path) -> None:
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx", 2)
    result = run_app("run", "--input", sample, "--output", tmp_path / "new", "--base-url", portal.base_url, "--retry")
    assert result.returncode == 2
    assert "no earlier run" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "new").exists(), "nothing written"


def test_history_lists_every_run_with_its_description_and_speed(portal: DemoPortal, tmp_path: Path) -> None:
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx", 4)
    output = tmp_path / "run"
    result = run_app(
        "run", "--input", sample, "--output", output, "--base-url", portal.base_url, "--description", "audit Q3"
    )
    assert result.returncode == 0, result.stderr
    listed = run_app("history", "--json")
    assert listed.returncode == 0, listed.stderr
    runs = json.loads(listed.stdout)
    mine = next(r for r in runs if r["folder"] == str(output.resolve()))
    assert mine["description"] == "audit Q3" and mine["kind"] == "run" and mine["state"] == "finished"
    assert mine["input"] == str(sample.resolve()) and mine["report"] == str(output / REPORT_NAME)
    assert sum(mine["counts"].values()) == 5 and mine["counts"]["INVALID"] == 1 and mine["processed"] == 4
    assert mine["seconds"] > 0 and mine["pos_per_minute"] > 0
    text = run_app("history")
    assert "audit Q3" in text.stdout and str(output.resolve()) in text.stdout

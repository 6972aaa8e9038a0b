"""The whole job, as a user runs it: real Chromium, the demo portal, a real spreadsheet, real folders and report."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.workbook.report import REPORT_NAME
from tests.support import assert_no_browsers_left, expected_facts, expected_status, portal_files, run_app, sha256_of

pytestmark = pytest.mark.integration


def digits(value: object) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit())


def check_facts(portal: DemoPortal, report: Path, by_key: dict[str, dict[str, object]]) -> None:
    """The report's facts, Lines rows, per-level table and charts say what the portal's pages show."""
    want_lines: list[tuple[object, ...]] = []
    for key, row in by_key.items():
        facts = expected_facts(portal, key)
        if facts is None:
            assert row["PO_STATUS"] is None and row["ORDER_DATE"] is None and row["PO_TOTAL"] is None, key
            continue
        got = {name: row[name] or "" for name in ("PO_STATUS", "REQUESTER", "REQUISITION_NUMBER", "PAYMENT_TERM")}
        assert got == {
            "PO_STATUS": facts.status,
            "REQUESTER": facts.requester,
            "REQUISITION_NUMBER": facts.requisition_number,
            "PAYMENT_TERM": facts.payment_term,
        }, key
        assert row["ORDER_DATE"] == datetime.fromisoformat(facts.order_date), key
        assert row["PO_TOTAL"] == pytest.approx(facts.total) and row["CURRENCY"] == facts.currency, key
        assert row["ATTACHMENT_COUNT_CHECK"] == f"stated by the page ({facts.stated_files})", key
        for line in facts.lines:
            amounts = (line.quantity, line.price, line.total)
            want_lines.append((key, int(line.number), line.description, *amounts, line.currency, line.account))
            want_lines[-1] += ("; ".join(line.attachments),)
    workbook = openpyxl.load_workbook(report)
    got_lines = [
        (digits(r[0]), *(v if v is not None else "" for v in r[1:]))
        for r in workbook["Lines"].iter_rows(min_row=2, values_only=True)
    ]
    want = [tuple("" if v is None else v for v in line) for line in want_lines]
    # Amounts are written with two decimals and read back to the same floats.
    assert sorted(got_lines, key=lambda t: (t[0], t[1])) == sorted(want, key=lambda t: (t[0], t[1]))
    # POs per status for each first folder level (the sample's Region column; blank -> Unknown).
    expected_table: dict[str, Counter[str]] = {}
    for key in by_key:
        po = portal.dataset.get(key)
        assert po is not None
        expected_table.setdefault(po.region or "Unknown", Counter())[expected_status(portal, key)] += 1
    summary = workbook["Summary"]
    header_row = next(
        r for r in range(1, summary.max_row + 1) if summary.cell(r, 4).value == "Supplier (or first folder level)"
    )
    header = [summary.cell(header_row, c).value for c in range(4, summary.max_column + 1)]
    header = header[: header.index("Total") + 1]
    table: dict[str, Counter[str]] = {}
    for r in range(header_row + 1, header_row + 1 + len(expected_table)):
        values = [summary.cell(r, c).value for c in range(4, 4 + len(header))]
        table[str(values[0])] = Counter({s: n for s, n in zip(header[1:-1], values[1:-1], strict=True) if n})
        assert values[-1] == sum(table[str(values[0])].values())
    assert table == expected_table
    assert "NO_ACCESS" in header
    assert [type(c).__name__ for c in summary._charts] == ["BarChart", "PieChart", "BarChart"]


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
        assert sorted(sha256_of(p) for p in portal_files(folder)) == served, key
        assert row["ATTACHMENTS_DOWNLOADED"] == len(served)
    assert set(statuses) == {"COMPLETED", "NO_ATTACHMENTS", "PO_NOT_FOUND", "NO_ACCESS"}

    leftovers = [p for p in output.rglob("*") if p.name.endswith((".part", "__WORK"))]
    assert leftovers == []
    check_facts(portal, output / REPORT_NAME, by_key)
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


def test_a_page_that_lists_fewer_comment_files_than_it_states_ends_partial(tmp_path: Path) -> None:
    knobs = PortalKnobs(po_count=13, not_found_share=0, hide_comment_file=True, comments_delay=0.05)
    with DemoPortal(knobs).start() as short_portal:
        short = [po for po in short_portal.dataset.pos if short_portal.dataset.hidden_comment_file(po) is not None]
        assert short, "the scenario needs a PO whose comments hold files"
        sample = write_sample_spreadsheet(short_portal.dataset, tmp_path / "input.xlsx")
        output = tmp_path / "run"
        result = run_app("run", "--input", sample, "--output", output, "--base-url", short_portal.base_url)
        assert result.returncode == 0, result.stderr
        rows = {digits(r["PO_NUMBER"]): r for r in report_rows(output / REPORT_NAME) if r["PO_NUMBER"] is not None}
        for po in short:
            row, stated = rows[po.po_key], sum(1 for f in po.files if f.source == "comment")
            assert row["STATUS"] == expected_status(short_portal, po.po_key) != "COMPLETED", po.po_key
            assert f"states {stated} comment file(s) but only {stated - 1} could be read" in str(row["ERROR_MESSAGE"])
            assert row["ATTACHMENT_COUNT_CHECK"] == f"stated by the page ({stated}); {stated - 1} read after 3 load(s)"
            files = sorted(sha256_of(p) for p in portal_files(Path(str(row["DOWNLOAD_FOLDER"]))))
            assert files == sorted(f.sha256 for f in short_portal.dataset.expected_files(po.po_key))
        others = [po for po in short_portal.dataset.pos if po not in short and not po.no_access]
        assert all(rows[po.po_key]["STATUS"] == expected_status(short_portal, po.po_key) for po in others)

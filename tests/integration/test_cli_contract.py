"""The command-line contract of PRODUCT.md: exit codes, messages, JSON events, resume rules."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.po.browser_install import major, program_version
from core.workbook.report import REPORT_NAME
from tests.support import ROOT, assert_no_browsers_left, run_app, sha256_of

pytestmark = pytest.mark.integration


def test_missing_input_file_exits_2_with_a_message(tmp_path: Path) -> None:
    result = run_app("run", "--input", tmp_path / "nope.xlsx", "--output", tmp_path / "out", "--base-url", "http://x")
    assert result.returncode == 2
    assert "nope.xlsx" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_po_column_exits_2_naming_the_columns(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Vendor", "Amount"])
    book.active.append(["Northwind", 12])
    book.save(tmp_path / "in.xlsx")
    result = run_app("run", "--input", tmp_path / "in.xlsx", "--output", tmp_path / "o", "--base-url", "http://x")
    assert result.returncode == 2
    assert "Vendor" in result.stderr and "Traceback" not in result.stderr


def test_missing_base_url_exits_2(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("PO_NUMBER\nPO123456\n")
    env = {k: v for k, v in os.environ.items() if k != "COUPA_BASE_URL"}
    completed = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", "--input", str(tmp_path / "in.csv"), "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 2 and "--base-url" in completed.stderr


def test_bad_driver_path_exits_4_saying_which(portal: DemoPortal, tmp_path: Path) -> None:
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx", 2)
    result = run_app(
        "run", "--input", sample, "--output", tmp_path / "o", "--base-url", portal.base_url, "--driver", "/nope/driver"
    )
    assert result.returncode == 4
    assert "/nope/driver" in result.stderr


def test_a_driver_for_another_browser_version_exits_4_naming_both(portal: DemoPortal, tmp_path: Path) -> None:
    # A stale driver, as after the browser updated itself: a real program at the --driver seam that says it is 99.
    stale = tmp_path / "chromedriver"
    stale.write_text("#!/bin/sh\necho 'ChromeDriver 99.0.4844.51 (stale)'\n")
    stale.chmod(0o755)
    installed = program_version("chromium")
    assert installed is not None and major(installed) != 99
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx", 2)

    result = run_app(
        "run", "--input", sample, "--output", tmp_path / "o", "--base-url", portal.base_url, "--driver", stale
    )

    assert result.returncode == 4, result.stderr
    assert "99.0.4844.51" in result.stderr and installed in result.stderr
    assert "--driver" in result.stderr and "Selenium Manager" in result.stderr and "Traceback" not in result.stderr


def test_headless_login_that_needs_a_person_exits_3_and_keeps_the_report(tmp_path: Path) -> None:
    started = time.time() - 0.5
    with DemoPortal(PortalKnobs(po_count=6, login_requires_person=True)).start() as server:
        sample = write_sample_spreadsheet(server.dataset, tmp_path / "in.xlsx")
        t0 = time.monotonic()
        result = run_app("run", "--input", sample, "--output", tmp_path / "o", "--base-url", server.base_url)
        elapsed = time.monotonic() - t0
    assert result.returncode == 3, result.stderr
    assert "sign" in result.stderr.lower()
    assert elapsed < 60
    assert (tmp_path / "o" / REPORT_NAME).exists()
    assert_no_browsers_left(started)


def test_unfinished_run_continues_only_with_resume(portal: DemoPortal, tmp_path: Path) -> None:
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "in.xlsx", 8)
    output = tmp_path / "run"
    first = run_app("run", "--input", sample, "--output", output, "--base-url", portal.base_url, "--limit", "3")
    assert first.returncode == 0, first.stderr
    report_before = sha256_of(output / REPORT_NAME)

    again = run_app("run", "--input", sample, "--output", output, "--base-url", portal.base_url)
    assert again.returncode == 2 and "--resume" in again.stderr
    assert sha256_of(output / REPORT_NAME) == report_before, "nothing is overwritten without --resume"

    resumed = run_app("run", "--input", sample, "--output", output, "--base-url", portal.base_url, "--resume", "--json")
    assert resumed.returncode == 0, resumed.stderr
    started = next(e for e in resumed.events if e["event"] == "run_started")
    assert started["already_done"] == 3 and started["pending"] == 5
    finished = [e for e in resumed.events if e["event"] == "po_finished"]
    assert len(finished) == 5


def test_ctrl_c_cancels_within_10_s_exit_130_with_report(tmp_path: Path) -> None:
    started = time.time() - 0.5
    knobs = PortalKnobs(po_count=40, page_latency=0.5, not_found_share=0.0)
    with DemoPortal(knobs).start() as server:
        sample = write_sample_spreadsheet(server.dataset, tmp_path / "in.xlsx")
        output = tmp_path / "run"
        proc = subprocess.Popen(
            [
                *(sys.executable, str(ROOT / "main.py"), "run", "--input", str(sample), "--output", str(output)),
                *("--base-url", server.base_url, "--workers", "2", "--json"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if json.loads(line)["event"] == "po_finished":
                break
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=30)
        stop_seconds = time.monotonic() - t0
    assert proc.returncode == 130, err
    assert stop_seconds < 10
    last = json.loads(rest.splitlines()[-1])
    assert last["event"] == "run_finished" and last["cancelled"] is True
    assert last["counts"].get("CANCELLED", 0) > 0
    rows = list(openpyxl.load_workbook(output / REPORT_NAME)["PO_Data"].iter_rows(values_only=True))
    status_column = rows[0].index("STATUS")
    assert "CANCELLED" in {row[status_column] for row in rows[1:]}
    assert_no_browsers_left(started)

"""Many machines for real: redis-server, two `main.py worker` nodes (Chromium), the demo portal, submit, collect."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
import redis

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.distributed.protocol import (
    QUEUE,
    TASK_NAME,
    RunSettings,
    decode_result,
    make_app,
    redis_key,
    task_args,
    task_id,
)
from core.distributed.runs import open_journal
from core.paths import run_private_dir
from core.po.folders import sha256_file
from core.urls import DEFAULT_PO_URL_TEMPLATE
from core.workbook.report import REPORT_NAME
from core.workbook.spreadsheet import read_input
from tests.support import AppRun, Node, expected_status, portal_files, run_app

pytestmark = pytest.mark.integration

# Columns that depend on when and where a run happened, not on what it found.
VOLATILE = {"DOWNLOAD_FOLDER", "LAST_PROCESSED"}


@pytest.fixture(scope="module")
def portal() -> Iterator[DemoPortal]:
    with DemoPortal(PortalKnobs(po_count=30)).start() as server:
        yield server


def report_rows(output: Path) -> dict[str, dict[str, object]]:
    sheet = openpyxl.load_workbook(output / REPORT_NAME)["PO_Data"]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    by_row: dict[str, dict[str, object]] = {}
    for number, row in enumerate(rows[1:], start=2):
        values = dict(zip(header, row, strict=False))
        folder = values.get("DOWNLOAD_FOLDER")
        values["FOLDER_IN_RUN"] = str(Path(str(folder)).relative_to(output)) if folder else ""
        # Files downloaded in parallel are listed in the order they finished, in local runs too.
        values["ATTACHMENT_NAMES"] = sorted(str(values.get("ATTACHMENT_NAMES") or "").split("; "))
        by_row[str(number)] = {k: v for k, v in values.items() if k not in VOLATILE}
    return by_row


def run_id_of(submitted: AppRun) -> str:
    return submitted.stderr.split()[1].rstrip(":")


def assert_every_po_true_and_files_exact(portal: DemoPortal, output: Path, run_id: str, count: int) -> dict[str, int]:
    """Each PO's journal result has its true status and every file on disk matches the portal's sha256; the journal
    is on this machine's disk, the share holds the files and the report only."""
    assert not run_private_dir(output).exists()
    with open_journal(run_id) as journal:
        results = journal.results()
        assert len(results) == count
        for key, result in results.items():
            assert result.status.value == expected_status(portal, key), (key, result.error_message)
            served = sorted(f.sha256 for f in portal.dataset.expected_files(key))
            assert sorted(f.sha256 for f in journal.files(key)) == served, key
            folder = Path(result.folder)
            assert folder.is_dir() and folder.is_relative_to(output), result.folder
            assert sorted(sha256_file(p) for p in portal_files(folder)) == served, key
        return {key: result.attempts for key, result in results.items()}


def test_two_nodes_finish_every_po_once_with_the_local_report(
    portal: DemoPortal, broker: str, nodes: Callable[..., Node], tmp_path: Path
) -> None:
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "input.xlsx", 30)
    node_a = nodes(broker, portal.base_url, "a")
    node_b = nodes(broker, portal.base_url, "b", pool="threads")  # as on Windows
    # The local run (2 browsers) while the nodes boot: the reference report.
    local = run_app("run", "--input", sample, "--output", tmp_path / "local", "--base-url", portal.base_url,
                     "--workers", "2")  # fmt: skip
    assert local.returncode == 0, local.stderr[-3000:]
    node_a.wait_ready(1)
    node_b.wait_ready(1)

    output = tmp_path / "shared"
    submit = ("submit", "--input", sample, "--output", output, "--broker", broker, "--base-url", portal.base_url)
    first = run_app(*submit)
    assert first.returncode == 0, first.stderr
    assert "30 PO(s) sent to the nodes" in first.stderr
    second = run_app(*submit)
    assert second.returncode == 0, second.stderr
    assert "0 PO(s) sent to the nodes, 30 already queued" in second.stderr
    # A broker re-delivering every message (or a submitter that crashed before marking them): same ids, sent again.
    app = make_app(broker)
    run_id = run_id_of(first)
    settings = RunSettings(
        run_id, "shared", str(output), portal.base_url, DEFAULT_PO_URL_TEMPLATE, True, "pdf+attachments", 3
    )
    with open_journal(run_id) as journal:
        keys = json.loads(journal.get_meta("task_keys") or "[]")
    sheet_tasks = {t.po_key: t for t in read_input(sample).tasks()}
    for key in keys:
        app.send_task(TASK_NAME, args=task_args(settings, sheet_tasks[key]), task_id=task_id(run_id, key), queue=QUEUE)

    collect = run_app("collect", "--output", output, "--broker", broker, "--timeout", "150")
    assert collect.returncode == 0, collect.stderr[-3000:]
    assert "Finished" in collect.stderr

    attempts = assert_every_po_true_and_files_exact(portal, output, run_id, 30)
    assert set(attempts.values()) == {1}, "every PO was worked on exactly once"
    client = redis.Redis.from_url(broker)
    assert [int(client.get(redis_key("attempts", run_id, k)) or 0) for k in keys] == [1] * 30
    workers = {decode_result(client.get(redis_key("result", run_id, k)) or b"")[2]["node"] for k in keys}
    assert workers == {"a@test", "b@test"}, "both nodes took work"
    assert "duplicate" in node_a.log() + node_b.log()
    distributed, local_rows = report_rows(output), report_rows(tmp_path / "local")
    differences = {
        (row, column): (value, local_rows[row].get(column))
        for row, values in distributed.items()
        for column, value in values.items()
        if local_rows[row].get(column) != value
    }
    assert differences == {}
    assert distributed.keys() == local_rows.keys()


def test_a_killed_node_loses_no_po(broker: str, nodes: Callable[..., Node], tmp_path: Path) -> None:
    with DemoPortal(PortalKnobs(po_count=16, page_latency=0.4)).start() as portal:
        sample = write_sample_spreadsheet(portal.dataset, tmp_path / "input.xlsx", 16)
        node_a = nodes(broker, portal.base_url, "a", pool="threads")  # a Windows node lost mid-run
        node_b = nodes(broker, portal.base_url, "b")
        node_a.wait_ready(1)
        node_b.wait_ready(1)
        output = tmp_path / "shared"
        submitted = run_app("submit", "--input", sample, "--output", output, "--broker", broker,
                             "--base-url", portal.base_url)  # fmt: skip
        assert submitted.returncode == 0, submitted.stderr
        run_id = run_id_of(submitted)
        client = redis.Redis.from_url(broker)

        # Kill node a while it holds a PO (its lease is in Redis) and after it has finished some.
        deadline = time.monotonic() + 60
        in_flight = ""
        while not in_flight:
            assert time.monotonic() < deadline, node_a.log()[-3000:]
            done = node_a.log().count("succeeded in")
            for key in client.scan_iter(redis_key("lease", run_id, "*")):
                if done >= 2 and (client.get(key) or b"").startswith(b"a@test"):
                    in_flight = key.decode().rsplit(":", 1)[1]
            time.sleep(0.05)
        node_a.kill_hard()
        assert not node_a.tree()

        collect = run_app("collect", "--output", output, "--broker", broker, "--timeout", "120")
        assert collect.returncode == 0, collect.stderr[-3000:] + node_b.log()[-3000:]
        attempts = assert_every_po_true_and_files_exact(portal, output, run_id, 16)
        assert attempts[in_flight] == 2, "the PO the lost node held was done again, as its second attempt"
        _, _, meta = decode_result(client.get(redis_key("result", run_id, in_flight)) or b"")
        assert meta["node"] == "b@test"
        assert not list(output.rglob("*__WORK")) and not list(output.rglob("*.part"))


def test_a_node_that_cannot_sign_in_refuses_to_start(broker: str, tmp_path: Path) -> None:
    with DemoPortal(PortalKnobs(po_count=3, login_requires_person=True)).start() as portal:
        started = run_app("worker", "--broker", broker, "--name", "x@test", "--base-url", portal.base_url,
                          "--output-root", tmp_path, timeout=120)  # fmt: skip
    assert started.returncode == 3, started.stderr[-2000:]
    assert "cannot reach" in started.stderr and "signed in" in started.stderr
    assert redis.Redis.from_url(broker).llen(QUEUE) == 0


def test_a_threads_pool_node_whose_sign_in_is_lost_stops_with_exit_code_3(
    broker: str, nodes: Callable[..., Node], tmp_path: Path
) -> None:
    """No signal reaches the node (as on Windows): the task flags it in Redis and the node stops itself warmly."""
    with DemoPortal(PortalKnobs(po_count=3)).start() as portal:
        sample = write_sample_spreadsheet(portal.dataset, tmp_path / "input.xlsx", 3)
        node = nodes(broker, portal.base_url, "t", pool="threads")
        node.wait_ready(1)
        portal.knobs.login_requires_person = True  # the person's SSO session is gone too
        portal.expire_all_sessions(include_idp=True)
        submitted = run_app("submit", "--input", sample, "--output", tmp_path / "run", "--broker", broker,
                            "--base-url", portal.base_url)  # fmt: skip
        assert submitted.returncode == 0, submitted.stderr
        assert node.process.wait(timeout=120) == 3, node.log()[-3000:]
    assert "The node stops taking work" in node.log()
    assert not node.tree()
    results = redis.Redis.from_url(broker).keys(redis_key("result", run_id_of(submitted), "*"))
    assert results == [], "no PO got a result from a node that was not signed in"


def test_a_solo_pool_node_finishes_a_run(broker: str, nodes: Callable[..., Node], tmp_path: Path) -> None:
    """`--pool solo`: one browser in the node's own process, the other choice that runs on Windows."""
    with DemoPortal(PortalKnobs(po_count=4)).start() as portal:
        sample = write_sample_spreadsheet(portal.dataset, tmp_path / "input.xlsx", 4)
        node = nodes(broker, portal.base_url, "s", pool="solo")
        node.wait_ready(1)
        output = tmp_path / "solo-run"
        done = run_app("submit", "--input", sample, "--output", output, "--broker", broker,
                       "--base-url", portal.base_url, "--wait", "--timeout", "120")  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:] + node.log()[-3000:]
        assert_every_po_true_and_files_exact(portal, output, run_id_of(done), 4)
    assert "(solo pool)" in node.log()

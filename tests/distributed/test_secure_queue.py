"""A company's Redis: TLS from a private CA and a password, end to end (submit, a threads-pool node, collect from
another machine), the password in no log and no result; and crafted tasks a node rejects without running them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.distributed.protocol import (
    QUEUE,
    TASK_NAME,
    RunSettings,
    decode_result,
    make_app,
    redis_client,
    redis_key,
    task_args,
)
from core.models import PoStatus, PoTask
from core.paths import RUN_PRIVATE_DIR, journal_path, run_private_dir
from core.run.journal import Journal
from core.urls import DEFAULT_PO_URL_TEMPLATE
from core.workbook.report import REPORT_NAME
from tests.support import Node, expected_status, private_ca, redis_server, run_app, start_node

pytestmark = pytest.mark.integration

PASSWORD = "Zq8-not-in-any-log-7Hw"


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("tls-redis")
    with redis_server(folder, password=PASSWORD, tls_ca=private_ca(folder)) as url:
        assert url.startswith("rediss://") and PASSWORD in url
        yield url


@pytest.fixture(scope="module")
def portal() -> Iterator[DemoPortal]:
    with DemoPortal(PortalKnobs(po_count=6)).start() as server:
        yield server


@pytest.fixture(scope="module")
def share(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("share")


@pytest.fixture(scope="module")
def node(secure_broker: str, portal: DemoPortal, share: Path) -> Iterator[Node]:
    """One node on the threads pool (as on Windows), two browsers, writing only under `share`."""
    started = start_node(secure_broker, portal.base_url, "secure", share, 2, pool="threads")
    try:
        started.wait_ready(2)
        yield started
    finally:
        started.stop()


def test_tls_and_a_password_end_to_end_and_collect_from_another_machine(
    secure_broker: str, portal: DemoPortal, node: Node, share: Path, tmp_path: Path, app_data_dir: Path
) -> None:
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "input.xlsx", 6)
    # The submitter sees the share at another path than the node (another drive letter, another mount point): the
    # node finds the run folder by its place under its own --output-root.
    submitter_view = tmp_path / "submitter-view"
    output = share / "team" / "secure-run"
    broker_env = {"COUPA_BROKER": secure_broker}  # the password stays off the command line
    submitted = run_app("submit", "--input", sample, "--output", submitter_view / "team" / "secure-run",
                        "--output-root", submitter_view, "--base-url", portal.base_url, env=broker_env)  # fmt: skip
    assert submitted.returncode == 0, submitted.stderr
    run_id = submitted.stderr.split()[1].rstrip(":")
    assert journal_path(app_data_dir / "runs" / run_id).is_file()

    # Another machine: its own app data folder, no record of the run but what Redis holds.
    elsewhere = tmp_path / "collector-appdata"
    env = {**broker_env, "COUPA_DATA_DIR": str(elsewhere)}
    collected = run_app("collect", "--output", output, "--run-id", run_id, "--timeout", "150", "--json", env=env)
    assert collected.returncode == 0, collected.stderr[-3000:] + node.log()[-3000:]

    with Journal(journal_path(elsewhere / "runs" / run_id)) as journal:
        results = journal.results()
    assert {k: r.status.value for k, r in results.items()} == {k: expected_status(portal, k) for k in results}
    assert len(results) == 6
    assert sorted(p.name for p in output.iterdir() if not p.is_dir()) == [REPORT_NAME]
    assert not run_private_dir(output).exists(), "no journal on the share"
    assert not any((submitter_view / "team" / "secure-run").iterdir()), "the node wrote where it sees the share"

    client = redis_client(secure_broker)
    stored = [client.get(key) or b"" for key in client.scan_iter(f"{redis_key('result', run_id)}:*")]
    assert len(stored) == 6
    texts = {
        "node log": node.log(),
        "submit": submitted.stdout + submitted.stderr,
        "collect": collected.stdout + collected.stderr,
        "results": b"".join(stored).decode(),
    }
    for folder in (app_data_dir, elsewhere):
        for path in [*folder.glob("logs/*.log*"), *folder.glob(f"runs/*/{RUN_PRIVATE_DIR}/*")]:
            texts[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    assert "rediss://***@127.0.0.1" in texts["node log"]
    assert [where for where, text in texts.items() if PASSWORD in text] == []


def crafted_tasks(portal: DemoPortal) -> list[tuple[str, list[dict[str, object]], str]]:
    """(PO key, the task's arguments, the reason the node must give)."""
    good = RunSettings(
        "badbadbad000", "crafted", "", portal.base_url, DEFAULT_PO_URL_TEMPLATE, True, "pdf+attachments", 3
    )

    def task(po_key: str, **changes: object) -> list[dict[str, object]]:
        settings, po = task_args(good, PoTask(po_key, f"PO{po_key}", (), (2,)))
        settings.update(changes)
        return [settings, po]

    return [
        ("11110001", task("11110001", base_url="https://evil.example"), "not this node's portal"),
        ("11110002", task("11110002", po_url_template="https://evil.example/{po}"), "off this node's portal"),
        ("11110003", task("11110003", run_folder="../escaped"), "leaves this node's output root"),
        ("11110004", task("11110004", run_folder="/tmp/escaped-abs"), "leaves this node's output root"),
        ("11110005", task("11110005", max_po_attempts=10**6), "max_po_attempts"),
    ]


def test_crafted_tasks_are_rejected_logged_and_never_run(
    secure_broker: str, portal: DemoPortal, node: Node, share: Path
) -> None:
    app = make_app(secure_broker)
    tasks = crafted_tasks(portal)
    for _po_key, args, _reason in tasks:
        app.send_task(TASK_NAME, args=args, queue=QUEUE)
    unnamed = [{"run_id": "../../x", "output_dir": "/"}, {"po_key": "1"}]
    app.send_task(TASK_NAME, args=unnamed, queue=QUEUE)

    client = redis_client(secure_broker)
    deadline = time.monotonic() + 60
    while node.log().count("Rejected task") < len(tasks) + 1:
        assert time.monotonic() < deadline, node.log()[-3000:]
        time.sleep(0.2)
    for po_key, _args, reason in tasks:
        raw = client.get(redis_key("result", "badbadbad000", po_key))
        assert raw is not None, po_key
        result, files, _meta = decode_result(raw)
        assert result.status is PoStatus.FAILED and files == []
        assert "Rejected by node secure@test: it" in result.error_message and reason in result.error_message
        assert reason in node.log()
        # Never run: no attempt was counted, no lease taken, no folder made.
        assert client.get(redis_key("attempts", "badbadbad000", po_key)) is None
    assert "its run id is not one submit makes" in node.log()
    assert not (share.parent / "escaped").exists() and not Path("/tmp/escaped-abs").exists()
    assert not (share / "crafted").exists()


def test_a_wrong_password_or_an_untrusted_server_is_a_message_not_a_traceback(
    secure_broker: str, portal: DemoPortal, tmp_path: Path
) -> None:
    wrong_password = secure_broker.replace(PASSWORD, "Wrong-Pass-42")
    untrusted = secure_broker.split("?")[0]  # TLS checked against the system's CAs, which never signed this server
    sample = write_sample_spreadsheet(portal.dataset, tmp_path / "input.xlsx", 2)
    for broker in (wrong_password, untrusted):
        env = {"COUPA_BROKER": broker}
        node = run_app("worker", "--base-url", portal.base_url, "--output-root", tmp_path, env=env, timeout=60)
        submit = run_app(
            "submit", "--input", sample, "--output", tmp_path / "r", "--base-url", portal.base_url, env=env
        )
        for done in (node, submit):
            assert done.returncode == 2, done.stderr[-2000:]
            assert "Cannot use the Redis broker rediss://***@127.0.0.1" in done.stderr
            assert "Traceback" not in done.stderr
            assert PASSWORD not in done.stderr and "Wrong-Pass-42" not in done.stderr

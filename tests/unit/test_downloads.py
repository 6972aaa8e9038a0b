"""Downloads over real HTTP on loopback, against a server that injects faults (tests/unit/http_fixture.py)."""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.models import AttachmentLink
from core.po.downloads import Downloader, FileOutcome
from core.po.folders import UniqueNames
from core.po.http_headers import filename_from_content_disposition, parse_retry_after
from tests.unit.http_fixture import FaultServer, Step

FAST = {"backoff": 0.01, "timeout": 5.0}


@pytest.fixture
def server() -> Iterator[FaultServer]:
    srv = FaultServer()
    yield srv
    srv.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "PO16928033__WORK"


def make(server: FaultServer, **kwargs: Any) -> Downloader:
    return Downloader(server.base_url, **{**FAST, **kwargs})


def fetch(server: FaultServer, links: list[AttachmentLink], folder: Path, **kwargs: Any) -> list[FileOutcome]:
    with make(server, **kwargs) as downloader:
        return downloader.download_all(links, folder)


def fetch_one(server: FaultServer, link: AttachmentLink, folder: Path, **kwargs: Any) -> FileOutcome:
    [outcome] = fetch(server, [link], folder, **kwargs)
    return outcome


def files_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def link(url: str, name: str = "file.pdf") -> AttachmentLink:
    return AttachmentLink(name=name, url=url)


def disposition(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


# -- Content-Disposition ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('attachment; filename="Quote.pdf"', "Quote.pdf"),
        ("attachment; filename=Quote.pdf", "Quote.pdf"),
        ('attachment; filename="a; b.pdf"', "a; b.pdf"),
        ("attachment; filename=\"x.pdf\"; filename*=UTF-8''Cota%C3%A7%C3%A3o%20v2.pdf", "Cotação v2.pdf"),
        ("attachment; filename*=utf-8'en'%E2%82%AC%20rates.xlsx; filename=\"EUR rates.xlsx\"", "€ rates.xlsx"),
        ("attachment; filename*=ISO-8859-1''caf%E9.txt", "café.txt"),
        ("attachment", None),
        ("inline", None),
        ("", None),
    ],
)
def test_filename_from_content_disposition(header: str, expected: str | None) -> None:
    assert filename_from_content_disposition(header) == expected


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = time.time()
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(email.utils.formatdate(now + 120, usegmt=True), now) == pytest.approx(120, abs=1.5)
    assert parse_retry_after(email.utils.formatdate(now - 50, usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None


# -- happy paths -----------------------------------------------------------------------------------------------


def test_bytes_and_sha256_are_exact_and_no_part_is_left(server: FaultServer, folder: Path) -> None:
    body = os.urandom(700_001)  # several 256 KiB chunks and an odd tail
    url = server.route("/attachment/attachment_file/type/1/a.bin", Step(body=body, headers=disposition("Data.bin")))

    outcome = fetch_one(server, link(url, "ignored.bin"), folder)

    assert outcome.saved is not None, outcome.error
    assert outcome.saved.name == "Data.bin"
    assert outcome.saved.size == len(body)
    assert outcome.saved.sha256 == hashlib.sha256(body).hexdigest()
    assert (folder / "Data.bin").read_bytes() == body
    assert files_in(folder) == {"Data.bin"}


def test_parallel_downloads_really_overlap(server: FaultServer, folder: Path) -> None:
    links = [
        link(server.route(f"/attachment/attachment_file/type/{i}/f{i}.pdf", Step(body=b"x" * 1000, delay=0.6)))
        for i in range(4)
    ]

    started = time.monotonic()
    outcomes = fetch(server, links, folder, max_parallel=4)
    elapsed = time.monotonic() - started

    assert all(o.saved for o in outcomes)
    assert server.peak_active == 4
    assert elapsed < 1.5, f"4 x 0.6 s files took {elapsed:.2f} s: not parallel"


def test_outcomes_keep_the_order_of_the_links(server: FaultServer, folder: Path) -> None:
    # The first file is the slowest: it finishes last but must still come back first.
    links = [
        link(server.route(f"/f{i}", Step(body=bytes([i]) * 10, delay=0.3 - 0.1 * i)), f"f{i}.txt") for i in range(3)
    ]
    outcomes = fetch(server, links, folder)
    assert [o.link for o in outcomes] == links
    assert [o.saved.name if o.saved else None for o in outcomes] == ["f0.txt", "f1.txt", "f2.txt"]


def test_filename_star_beats_filename(server: FaultServer, folder: Path) -> None:
    header = "attachment; filename=\"Cotacao.pdf\"; filename*=UTF-8''Cota%C3%A7%C3%A3o%20v2.docx.pdf"
    url = server.route("/q", Step(body=b"pdf", headers={"Content-Disposition": header}))
    outcome = fetch_one(server, link(url, "page name.pdf"), folder)
    assert outcome.saved is not None and outcome.saved.name == "Cotação v2.docx.pdf"
    assert (folder / "Cotação v2.docx.pdf").read_bytes() == b"pdf"


def test_name_falls_back_to_the_link_name_then_the_url(server: FaultServer, folder: Path) -> None:
    named = server.route("/attachment/attachment_file/type/9001/x", Step(body=b"one"))
    unnamed = server.route("/attachment/attachment_file/file/9100/Approval%20-%20Outlook.pdf", Step(body=b"two"))

    first, second = fetch(server, [link(named, "Signed_Quote_(v2).pdf"), link(unnamed, "")], folder)

    assert first.saved is not None and first.saved.name == "Signed_Quote_(v2).pdf"
    assert second.saved is not None and second.saved.name == "Approval - Outlook.pdf"
    assert (folder / "Signed_Quote_(v2).pdf").read_bytes() == b"one"
    assert (folder / "Approval - Outlook.pdf").read_bytes() == b"two"


def test_duplicate_names_downloaded_in_parallel_give_two_files(server: FaultServer, folder: Path) -> None:
    a = server.route("/a", Step(body=b"first invoice", headers=disposition("Invoice.pdf"), chunk_delay=0.2))
    b = server.route("/b", Step(body=b"second invoice", headers=disposition("Invoice.pdf"), chunk_delay=0.2))

    outcomes = fetch(server, [link(a), link(b)], folder, max_parallel=2)

    assert server.peak_active == 2
    names = [o.saved.name for o in outcomes if o.saved]
    assert sorted(names) == ["Invoice.pdf", "Invoice_2.pdf"]
    contents = {(folder / n).read_bytes() for n in names}
    assert contents == {b"first invoice", b"second invoice"}
    assert files_in(folder) == {"Invoice.pdf", "Invoice_2.pdf"}


def test_cookies_and_user_agent_are_sent_and_can_be_replaced(
    server: FaultServer, folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.route("/c", Step(body=b"ok"))
    selenium_cookie = {"name": "_coupa_session", "value": "s3cret-one", "domain": "127.0.0.1", "path": "/"}
    caplog.set_level(logging.DEBUG)

    with make(server, cookies=[selenium_cookie, {"name": "lang", "value": "en"}], user_agent="EdgeTest/1.0") as d:
        d.download_all([link(url, "c1.txt")], folder)
        d.set_cookies([{**selenium_cookie, "value": "s3cret-two", "httpOnly": True, "secure": False}])
        d.download_all([link(url, "c2.txt")], folder)

    first, second = server.hits("/c")
    assert "_coupa_session=s3cret-one" in first.headers["Cookie"]
    assert "lang=en" in first.headers["Cookie"]
    assert first.headers["User-Agent"] == "EdgeTest/1.0"
    assert second.headers["Cookie"] == "_coupa_session=s3cret-two"
    assert "s3cret" not in caplog.text


def test_one_connection_is_reused_across_files_errors_and_redirects(server: FaultServer, folder: Path) -> None:
    links = [
        link(server.route("/one", Step(body=b"1" * 300_000)), "one.bin"),
        link(server.route("/two", Step(status=503, body=b"busy"), Step(body=b"2")), "two.bin"),
        link(server.route("/three", Step(status=302, headers={"Location": "/three-real"})), "three.bin"),
    ]
    server.route("/three-real", Step(body=b"3"))

    outcomes = fetch(server, links, folder, max_parallel=1)

    assert all(o.saved for o in outcomes)
    assert len(server.requests) == 5
    assert len({r.client_port for r in server.requests}) == 1  # keep-alive: no new handshake per file


# -- refusals and sign-in --------------------------------------------------------------------------------------


def test_links_off_the_portal_host_are_refused_without_a_request(server: FaultServer, folder: Path) -> None:
    server.route("/f", Step(body=b"x"))
    foreign = [
        f"http://localhost:{server.port}/f",  # same machine, other host name: another origin
        f"http://127.0.0.1:{server.port + 1}/f",
        f"https://127.0.0.1:{server.port}/f",
        "https://files.example.com/f",
    ]

    outcomes = fetch(server, [link(u) for u in foreign], folder)

    assert all(o.saved is None and o.error.startswith("not on the portal's host (") for o in outcomes)
    assert "files.example.com" in outcomes[3].error
    assert server.requests == []
    assert files_in(folder) == set()


def test_redirect_to_sign_in_page_means_session_expired(server: FaultServer, folder: Path) -> None:
    to_login = Step(status=302, headers={"Location": "/sessions/new"})
    url = server.route("/attachment/attachment_file/type/5/a.pdf", to_login)
    server.route("/sessions/new", Step(body=b"<html>login</html>"))

    outcome = fetch_one(server, link(url), folder, attempts=3)

    assert outcome.saved is None and outcome.session_expired and not outcome.needs_browser
    assert "/sessions/new" in outcome.error
    assert len(server.requests) == 1  # neither followed nor retried
    assert files_in(folder) == set()


def test_redirect_to_another_host_means_session_expired(server: FaultServer, folder: Path) -> None:
    idp = "https://login.microsoftonline.com/common/saml2?SAMLRequest=abc"
    url = server.route("/f", Step(status=302, headers={"Location": idp}))
    outcome = fetch_one(server, link(url), folder)
    assert outcome.session_expired and "login.microsoftonline.com" in outcome.error
    assert len(server.requests) == 1


def test_redirects_within_the_portal_are_followed(server: FaultServer, folder: Path) -> None:
    url = server.route("/attachments/9001", Step(status=302, headers={"Location": "/attachment/real/login-notes.pdf"}))
    server.route("/attachment/real/login-notes.pdf", Step(body=b"real file"))
    outcome = fetch_one(server, link(url, ""), folder)
    assert outcome.saved is not None and outcome.saved.name == "login-notes.pdf"
    assert (folder / "login-notes.pdf").read_bytes() == b"real file"


def test_redirect_loop_stops_after_five_hops(server: FaultServer, folder: Path) -> None:
    url = server.route("/loop", Step(status=302, headers={"Location": "/loop"}))
    outcome = fetch_one(server, link(url), folder)
    assert outcome.saved is None and "redirect" in outcome.error and not outcome.session_expired
    assert len(server.hits("/loop")) == 6  # the first request and five redirects, no retry


@pytest.mark.parametrize("status", [401, 403])
def test_refused_direct_request_asks_for_the_browser(server: FaultServer, folder: Path, status: int) -> None:
    url = server.route("/f", Step(status=status, body=b"denied"))
    outcome = fetch_one(server, link(url), folder)
    assert outcome.saved is None and outcome.needs_browser and not outcome.session_expired
    assert str(status) in outcome.error
    assert len(server.requests) == 1
    assert files_in(folder) == set()


@pytest.mark.parametrize("status", [404, 410, 400])
def test_client_errors_are_not_retried(server: FaultServer, folder: Path, status: int) -> None:
    url = server.route("/gone", Step(status=status, body=b"nope"))
    outcome = fetch_one(server, link(url), folder, attempts=3)
    assert outcome.saved is None and str(status) in outcome.error
    assert not outcome.needs_browser and not outcome.session_expired
    assert len(server.requests) == 1
    assert files_in(folder) == set()


# -- retries ---------------------------------------------------------------------------------------------------


def test_server_error_then_success_is_saved(server: FaultServer, folder: Path) -> None:
    url = server.route("/f", Step(status=503, body=b"busy"), Step(body=b"finally"))
    outcome = fetch_one(server, link(url, "f.txt"), folder)
    assert outcome.saved is not None and (folder / "f.txt").read_bytes() == b"finally"
    assert len(server.requests) == 2


@pytest.mark.parametrize("attempts", [1, 3])
def test_persistent_server_error_gives_up_after_exactly_attempts(
    server: FaultServer, folder: Path, attempts: int
) -> None:
    url = server.route("/f", Step(status=500, body=b"boom"))
    outcome = fetch_one(server, link(url), folder, attempts=attempts)
    assert outcome.saved is None and "HTTP 500" in outcome.error and f"after {attempts}" in outcome.error
    assert len(server.requests) == attempts
    assert files_in(folder) == set()


def test_retry_after_is_honoured(server: FaultServer, folder: Path) -> None:
    url = server.route("/f", Step(status=429, headers={"Retry-After": "1"}), Step(body=b"ok"))
    outcome = fetch_one(server, link(url, "f.txt"), folder, backoff=0.01)
    assert outcome.saved is not None
    first, second = server.hits("/f")
    assert second.at - first.at >= 0.95


def test_retry_after_is_capped(server: FaultServer, folder: Path) -> None:
    url = server.route("/f", Step(status=429, headers={"Retry-After": "3600"}), Step(body=b"ok"))
    started = time.monotonic()
    outcome = fetch_one(server, link(url, "f.txt"), folder, max_retry_after=0.2)
    assert outcome.saved is not None
    assert time.monotonic() - started < 2.0


def test_backoff_grows_between_tries(server: FaultServer, folder: Path) -> None:
    url = server.route("/f", Step(status=502))
    fetch_one(server, link(url), folder, attempts=3, backoff=0.2)
    t0, t1, t2 = (r.at for r in server.hits("/f"))
    assert 0.2 <= t1 - t0 < 0.6
    assert 0.4 <= t2 - t1 < 1.0


def test_connection_reset_mid_body_then_success(server: FaultServer, folder: Path) -> None:
    body = os.urandom(300_000)
    url = server.route("/f", Step(body=body, reset_after=100_000), Step(body=body))
    outcome = fetch_one(server, link(url, "f.bin"), folder)
    assert outcome.saved is not None, outcome.error
    assert outcome.saved.sha256 == hashlib.sha256(body).hexdigest()
    assert (folder / "f.bin").read_bytes() == body
    assert len(server.requests) == 2
    assert files_in(folder) == {"f.bin"}


def test_truncated_body_then_success(server: FaultServer, folder: Path) -> None:
    body = os.urandom(300_000)
    url = server.route("/f", Step(body=body, cut_after=123_456), Step(body=body))
    outcome = fetch_one(server, link(url, "f.bin"), folder)
    assert outcome.saved is not None and outcome.saved.size == len(body)
    assert (folder / "f.bin").read_bytes() == body
    assert len(server.requests) == 2


@pytest.mark.parametrize("fault", ["reset_after", "cut_after"])
def test_broken_bodies_every_time_leave_nothing_behind(server: FaultServer, folder: Path, fault: str) -> None:
    body = os.urandom(200_000)
    url = server.route("/f", Step(body=body, **{fault: 50_000}))
    outcome = fetch_one(server, link(url, "f.bin"), folder, attempts=2)
    assert outcome.saved is None and "after 2 tries" in outcome.error
    assert len(server.requests) == 2
    assert files_in(folder) == set()


def test_failed_name_is_released_for_the_next_file(server: FaultServer, folder: Path) -> None:
    bad = server.route("/bad", Step(body=b"x" * 1000, cut_after=10))
    good = server.route("/good", Step(body=b"good", headers=disposition("Invoice.pdf")))
    with make(server, attempts=1) as downloader:
        [failed] = downloader.download_all([link(bad, "Invoice.pdf")], folder)
        [saved] = downloader.download_all([link(good)], folder)
    assert failed.saved is None
    assert saved.saved is not None and saved.saved.name == "Invoice.pdf"


# -- cancel and progress ---------------------------------------------------------------------------------------


def test_cancel_mid_download_stops_quickly_and_leaves_no_part(server: FaultServer, folder: Path) -> None:
    body = b"z" * (4 * 1024 * 1024)  # ~5 s at this pace
    url = server.route("/big", Step(body=body, chunk_size=16 * 1024, chunk_delay=0.02))
    cancel = threading.Event()
    progressed = threading.Event()

    def on_progress(name: str, done: int, total: int | None) -> None:
        if done > 0:
            progressed.set()

    outcomes: list[FileOutcome] = []
    with make(server, cancel=cancel, progress=on_progress) as downloader:
        links = [link(url, "big.bin")]
        worker = threading.Thread(target=lambda: outcomes.extend(downloader.download_all(links, folder)))
        worker.start()
        assert progressed.wait(5), "download never started"
        assert any(p.name.endswith(".part") for p in folder.iterdir())
        cancel.set()
        cancelled_at = time.monotonic()
        worker.join(5)
        stopped_after = time.monotonic() - cancelled_at

    assert stopped_after < 1.0
    [outcome] = outcomes
    assert outcome.saved is None and outcome.error == "cancelled"
    assert files_in(folder) == set()


def test_cancel_wakes_a_backoff_wait(server: FaultServer, folder: Path) -> None:
    url = server.route("/f", Step(status=503))
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    timer.start()
    started = time.monotonic()
    outcome = fetch_one(server, link(url), folder, backoff=30.0, cancel=cancel)
    assert time.monotonic() - started < 2.0
    assert outcome.error == "cancelled"
    assert len(server.requests) == 1


def test_already_cancelled_makes_no_request(server: FaultServer, folder: Path) -> None:
    url = server.route("/f", Step(body=b"x"))
    cancel = threading.Event()
    cancel.set()
    outcome = fetch_one(server, link(url), folder, cancel=cancel)
    assert outcome.error == "cancelled"
    assert server.requests == []


def test_progress_reports_growing_byte_counts_throttled(server: FaultServer, folder: Path) -> None:
    body = os.urandom(1024 * 1024)
    slow = Step(body=body, headers=disposition("Report.xlsx"), chunk_size=32 * 1024, chunk_delay=0.03)
    url = server.route("/p", slow)
    calls: list[tuple[str, int, int | None]] = []
    lock = threading.Lock()

    def on_progress(name: str, done: int, total: int | None) -> None:
        with lock:
            calls.append((name, done, total))

    started = time.monotonic()
    outcome = fetch_one(server, link(url), folder, progress=on_progress)
    elapsed = time.monotonic() - started

    assert outcome.saved is not None
    assert {name for name, _, _ in calls} == {"Report.xlsx"}
    assert {total for _, _, total in calls} == {len(body)}
    counts = [done for _, done, _ in calls]
    assert counts == sorted(counts) and counts[-1] == len(body)
    assert len(set(counts)) >= 4, counts  # it really moved along the way, not just 0 and the end
    assert len(calls) <= elapsed * 5 + 3  # throttled to ~5 calls per second (plus the first and last)


def test_a_failing_progress_callback_does_not_fail_the_download(server: FaultServer, folder: Path) -> None:
    url = server.route("/f", Step(body=b"data"))

    def broken(name: str, done: int, total: int | None) -> None:
        raise RuntimeError("display went away")

    outcome = fetch_one(server, link(url, "f.txt"), folder, progress=broken)
    assert outcome.saved is not None


def test_a_disk_error_fails_that_file_only(server: FaultServer, folder: Path) -> None:
    class NowhereForBroken(UniqueNames):
        def reserve(self, folder: Path, name: str) -> Path:
            path = super().reserve(folder, name)
            return path.parent / "no such dir" / path.name if name == "broken.pdf" else path

    broken = server.route("/broken", Step(body=b"x"))
    fine = server.route("/fine", Step(body=b"y"))

    first, second = fetch(
        server, [link(broken, "broken.pdf"), link(fine, "fine.pdf")], folder, names=NowhereForBroken()
    )

    assert first.saved is None and first.error.startswith("could not save the file")
    assert second.saved is not None and (folder / "fine.pdf").read_bytes() == b"y"


def test_logs_never_hold_the_supplier_view_key(
    server: FaultServer, folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.route("/attachment/attachment_file/type/7/a.pdf", Step(status=503), Step(status=403))
    caplog.set_level(logging.DEBUG, logger="core.po.downloads")  # urllib3's own debug lines are the app's to silence
    outcome = fetch_one(server, link(url + "?supplier_view_key=3f9c0ffee3f9c0ffee"), folder)
    assert outcome.needs_browser
    assert "/attachment/attachment_file/type/7/a.pdf" in caplog.text  # the failure is logged...
    assert "3f9c0ffee" not in caplog.text  # ...without the access key

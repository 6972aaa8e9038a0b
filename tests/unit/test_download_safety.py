"""Direct downloads go only to the portal, save only files, and hand to the browser what the network refuses.

Real HTTP(S) servers on loopback (tests/unit/http_fixture.py); a second server stands for "another host" and must
never see a request.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from pypac.parser import PACFile

from core.models import AttachmentLink
from core.po.downloads import Downloader, FileOutcome
from core.po.http_headers import is_sign_in_page, is_web_page
from core.po.system_network import proxies_from_pac
from core.urls import hidden_host_reason, off_portal_reason, same_origin
from tests.unit.http_fixture import FaultServer, Step

FAST = {"backoff": 0.01, "timeout": 5.0}
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40
LOGIN_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action='/sessions' method='post'>"
    b"<input name='user[login]'><input type='password' name='user[password]'></form></body></html>"
)
ERROR_PAGE = b"<!doctype html>\n<html><body><h1>Something went wrong</h1></body></html>"


@pytest.fixture
def portal() -> Iterator[FaultServer]:
    srv = FaultServer()
    yield srv
    srv.close()


@pytest.fixture
def other() -> Iterator[FaultServer]:
    """Another host: a link or redirect must never make the downloader (with the portal's cookies) call it."""
    srv = FaultServer()
    srv.route("/f", Step(body=b"stolen"))
    yield srv
    srv.close()


def fetch(base_url: str, url: str, folder: Path, name: str = "file.pdf", **kwargs: object) -> FileOutcome:
    with Downloader(base_url, **{**FAST, **kwargs}) as downloader:  # type: ignore[arg-type]
        [outcome] = downloader.download_all([AttachmentLink(name=name, url=url)], folder)
    return outcome


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- one URL rule -----------------------------------------------------------------------------------------------

BASE = "https://acme.coupahost.com"


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example:443\\@acme.coupahost.com/attachment/attachment_file/1/a.pdf",
        "https://acme.coupahost.com\\@evil.example/a.pdf",
        "https://user:pw@acme.coupahost.com/a.pdf",
        "https://acme.coupahost.com:443@evil.example/a.pdf",
        "https://acme.coupahost.com\t@evil.example/a.pdf",
        "https://acme.coupahost.com%2F@evil.example/a.pdf",
    ],
)
def test_addresses_that_hide_their_host_are_refused(url: str) -> None:
    assert hidden_host_reason(url)
    assert not same_origin(url, BASE)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{BASE}/attachment/attachment_file/1/Quote%20v2.pdf", ""),
        (f"{BASE}/attachment/attachment_file/1/Quote v2.pdf", ""),  # sent as %20 by the client: still the portal
        ("HTTPS://ACME.COUPAHOST.COM:443/a.pdf", ""),
        ("https://acme.coupahost.com.evil.example/a.pdf", "not on the portal's host (acme.coupahost.com.evil.example)"),
        ("http://acme.coupahost.com/a.pdf", "not on the portal's host (acme.coupahost.com)"),
        ("ftp://acme.coupahost.com/a.pdf", "not a web address (ftp)"),
    ],
)
def test_same_portal_is_judged_on_the_url_as_sent(url: str, expected: str) -> None:
    assert off_portal_reason(url, BASE) == expected


def test_a_backslash_link_never_reaches_the_other_host(portal: FaultServer, other: FaultServer, tmp_path: Path) -> None:
    # urllib.parse reads the host of this link as the portal's; requests would send it to `other`.
    trick = f"http://127.0.0.1:{other.port}\\@127.0.0.1:{portal.port}/f"
    outcome = fetch(portal.base_url, trick, tmp_path / "po")

    assert outcome.saved is None and "hides its host" in outcome.error
    assert not outcome.needs_browser  # the browser fallback is not offered such a link either
    assert other.requests == [] and portal.requests == []
    assert files_in(tmp_path / "po") == []


def test_a_redirect_to_a_hidden_host_is_not_followed(portal: FaultServer, other: FaultServer, tmp_path: Path) -> None:
    trick = f"http://127.0.0.1:{other.port}\\@127.0.0.1:{portal.port}/f"
    url = portal.route("/attachment/1", Step(status=302, headers={"Location": trick}))

    outcome = fetch(portal.base_url, url, tmp_path / "po")

    assert outcome.saved is None and "redirected to a refused address" in outcome.error
    assert not outcome.session_expired and not outcome.needs_browser
    assert other.requests == [] and len(portal.hits("/attachment/1")) == 1


# -- files are files --------------------------------------------------------------------------------------------


def test_a_sign_in_page_served_as_the_file_means_signed_out(portal: FaultServer, tmp_path: Path) -> None:
    url = portal.route("/attachment/2", Step(body=LOGIN_PAGE, headers={"Content-Type": "text/html; charset=utf-8"}))

    outcome = fetch(portal.base_url, url, tmp_path / "po", name="n.pdf")

    assert outcome.saved is None and outcome.session_expired and "sign-in page" in outcome.error
    assert files_in(tmp_path / "po") == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "text/html"},
        {"Content-Type": "application/octet-stream"},  # the body gives it away
        {"Content-Type": "application/pdf"},
    ],
)
def test_a_web_page_where_a_file_was_expected_is_a_failure(
    portal: FaultServer, tmp_path: Path, headers: dict[str, str]
) -> None:
    url = portal.route("/attachment/3", Step(body=ERROR_PAGE, headers=headers))

    outcome = fetch(portal.base_url, url, tmp_path / "po", name="n.pdf")

    assert outcome.saved is None and not outcome.session_expired
    assert "web page" in outcome.error
    assert files_in(tmp_path / "po") == []


def test_a_real_html_attachment_is_a_file(portal: FaultServer, tmp_path: Path) -> None:
    headers = {"Content-Type": "text/html", "Content-Disposition": 'attachment; filename="Terms.html"'}
    url = portal.route("/attachment/4", Step(body=ERROR_PAGE, headers=headers))

    outcome = fetch(portal.base_url, url, tmp_path / "po")

    assert outcome.saved is not None and outcome.saved.name == "Terms.html"
    assert (tmp_path / "po" / "Terms.html").read_bytes() == ERROR_PAGE


def test_a_file_whose_type_is_named_by_its_headers_is_kept_whatever_its_first_bytes(
    portal: FaultServer, tmp_path: Path
) -> None:
    body = b"<html> is how this text file starts"
    headers = {"Content-Type": "text/plain", "Content-Disposition": 'attachment; filename="notes.txt"'}
    url = portal.route("/attachment/5", Step(body=body, headers=headers))

    outcome = fetch(portal.base_url, url, tmp_path / "po")

    assert outcome.saved is not None and (tmp_path / "po" / "notes.txt").read_bytes() == body


@pytest.mark.parametrize(
    ("content_type", "named", "link_name", "head", "expected"),
    [
        ("text/html; charset=utf-8", None, "a.pdf", PDF, True),
        ("application/xhtml+xml", "a.pdf", "a.pdf", PDF, True),
        ("text/html", "a.HTM", "a.pdf", ERROR_PAGE, False),
        ("", None, "page.html", ERROR_PAGE, False),
        ("application/octet-stream", None, "a.pdf", b"\xef\xbb\xbf  <!-- x -->\n<HTML lang=en>", True),
        ("application/pdf", None, "a.pdf", PDF, False),
    ],
)
def test_is_web_page(content_type: str, named: str | None, link_name: str, head: bytes, expected: bool) -> None:
    assert is_web_page(content_type, named, link_name, head) is expected


def test_is_sign_in_page() -> None:
    assert is_sign_in_page(LOGIN_PAGE)
    assert not is_sign_in_page(ERROR_PAGE)


# -- what the network refuses goes to the browser ---------------------------------------------------------------


@pytest.fixture(scope="module")
def untrusted_tls() -> ssl.SSLContext:
    """A server certificate from a private CA that neither the OS store nor certifi trusts."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def test_a_tls_failure_sends_the_file_to_the_browser_at_once(untrusted_tls: ssl.SSLContext, tmp_path: Path) -> None:
    server = FaultServer(tls=untrusted_tls)
    try:
        url = server.route("/f", Step(body=PDF))
        outcome = fetch(server.base_url, url, tmp_path / "po", attempts=3)
    finally:
        server.close()

    assert outcome.saved is None and outcome.needs_browser and not outcome.session_expired
    assert "failed on TLS" in outcome.error and "certificate verify failed" in outcome.error
    assert server.requests == []  # never got past the handshake; not retried either
    assert files_in(tmp_path / "po") == []


def test_a_refused_connection_goes_to_the_browser_after_the_retries(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens here once the socket is closed
    base = f"http://127.0.0.1:{port}"

    outcome = fetch(base, f"{base}/f", tmp_path / "po", attempts=2)

    assert outcome.saved is None and outcome.needs_browser
    assert "refused" in outcome.error.lower() and "gave up after 2 tries" in outcome.error


def test_a_server_error_does_not_go_to_the_browser(portal: FaultServer, tmp_path: Path) -> None:
    url = portal.route("/f", Step(status=503))
    outcome = fetch(portal.base_url, url, tmp_path / "po", attempts=2)
    assert outcome.saved is None and not outcome.needs_browser and "503" in outcome.error


# -- the system's proxy auto-config file ------------------------------------------------------------------------

PAC_JS = """
function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, ".coupahost.com")) return "PROXY proxy.corp.example:8080; DIRECT";
  return "DIRECT";
}
"""


def test_the_pac_file_picks_the_proxy_for_the_portal() -> None:
    pac = PACFile(PAC_JS)
    proxy = "http://proxy.corp.example:8080"
    assert proxies_from_pac(pac, "https://acme.coupahost.com/user/home") == {"http": proxy, "https": proxy}
    assert proxies_from_pac(pac, "https://intranet.example/") == {}

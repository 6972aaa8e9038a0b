"""E-mails saved as files become readable: real .msg/.eml files in, PDFs printed by a real Chromium out.

One browser serves the whole module. Odd and broken messages must keep their original, say what went wrong and
never raise.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import ClassVar

import extract_msg
import olefile
import pytest
from pypdf import PdfReader

from core.config import RunConfig
from core.demo_portal.demo_emails import (
    ATTACHMENT_MSG,
    EMAIL_NAMES,
    HTML_MSG,
    PLAIN_EML,
    RELATED_EML,
    RTF_MSG,
    email_bytes,
    logo_png,
    tiny_pdf,
)
from core.demo_portal.msg_writer import CC, MsgAttachment, MsgMessage, MsgRecipient, msg_bytes
from core.models import PoResult, PoStatus
from core.po.browser import Browser, BrowserOptions
from core.po.email_reading import read_email
from core.po.emails import EmailOutcome, EmailsConverted, convert_emails, is_email_product
from core.po.folders import UniqueNames
from core.run.journal import Journal

SENT = datetime(2024, 3, 5, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    config = RunConfig(input_path=Path("in.csv"), output_dir=Path("out"), base_url="http://127.0.0.1:9")
    started = Browser(BrowserOptions.for_run(config), tmp_path_factory.mktemp("profiles"), name="emails")
    started.start()
    yield started
    started.quit()


def convert(browser: Browser, folder: Path, *names: str, extract: bool = True) -> tuple[EmailsConverted, list[str]]:
    seen: list[EmailOutcome] = []
    done = convert_emails(folder, names, extract=extract, printer=browser, names=UniqueNames(), on_email=seen.append)
    assert len(seen) >= sum(n.endswith((".msg", ".eml")) for n in names), "every e-mail is reported as an event"
    return done, [o.error for o in seen if o.error]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def image_count(path: Path) -> int:
    count = 0
    for page in PdfReader(path).pages:
        objects = page["/Resources"].get_object().get("/XObject", {})
        count += sum(1 for o in objects.values() if o.get_object().get("/Subtype") == "/Image")
    return count


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def demo(folder: Path, name: str) -> Path:
    return write(folder, name, email_bytes(name, 0, random.Random(name)))


# -- the .msg writer: genuine compound files ---------------------------------------------------------------------
def test_written_msg_is_an_outlook_compound_file_with_mapi_properties(tmp_path: Path) -> None:
    inner = MsgMessage("Inner", "Ana", "ana@a.example", SENT, text_body="inner text")
    message = MsgMessage(
        "Quarterly order",
        "Jonas Weber",
        "jonas@b.example",
        SENT,
        (MsgRecipient("Mei Lin", "mei@c.example"), MsgRecipient("Priya Nair", "priya@d.example", CC)),
        text_body="Plain body",
        attachments=(MsgAttachment("terms.pdf", b"%PDF-1.4 terms" * 400, "application/pdf"), MsgAttachment("x", inner)),
    )
    path = write(tmp_path, "order.msg", msg_bytes(message))
    assert olefile.isOleFile(str(path)) and len(path.read_bytes()) % 512 == 0
    with olefile.OleFileIO(str(path)) as ole:
        streams = {"/".join(entry) for entry in ole.listdir()}
    assert {"__substg1.0_0037001F", "__properties_version1.0", "__nameid_version1.0/__substg1.0_00020102"} <= streams
    assert "__attach_version1.0_#00000001/__substg1.0_3701000D/__properties_version1.0" in streams
    with extract_msg.openMsg(str(path)) as msg:
        assert msg.subject == "Quarterly order" and msg.sender == "Jonas Weber <jonas@b.example>"
        assert msg.to == "Mei Lin <mei@c.example>" and msg.cc == "Priya Nair <priya@d.example>"
        assert msg.date == SENT and msg.body == "Plain body"
        assert msg.attachments[0].data == b"%PDF-1.4 terms" * 400  # > 4096 bytes: stored in regular sectors
        assert msg.attachments[1].data.subject == "Inner"


def test_demo_emails_read_back_as_each_case_says(tmp_path: Path) -> None:
    found = {name: read_email(demo(tmp_path, name)) for name in EMAIL_NAMES}
    assert found[HTML_MSG].body_kind == "html" and list(found[HTML_MSG].inline) == ["logo@demo"]
    assert found[HTML_MSG].attachments == ()  # the inline logo is part of the body, not a file
    assert found[RTF_MSG].body_kind == "rtf-html" and "Toner cartridges" in found[RTF_MSG].body
    assert [(a.name, a.is_email) for a in found[ATTACHMENT_MSG].attachments] == [
        ("Contract_signed.pdf", False),
        ("Contract for signature.msg", True),
    ]
    related = found[RELATED_EML]
    assert related.body_kind == "html" and list(related.inline) == ["banner@demo"]
    assert [a.data for a in related.attachments] == [tiny_pdf("Invoice INV-2024-118")]
    assert found[PLAIN_EML].body_kind == "text" and "delivered today" in found[PLAIN_EML].body
    for message in found.values():
        assert [label for label, _ in message.headers] == ["From", "To", "Cc", "Date", "Subject"]


# -- conversion ------------------------------------------------------------------------------------------------------
def test_every_demo_case_becomes_a_pdf_with_headers_body_images_and_attachments(
    browser: Browser, tmp_path: Path
) -> None:
    for name in EMAIL_NAMES:
        demo(tmp_path, name)
    done, errors = convert(browser, tmp_path, *EMAIL_NAMES)
    assert errors == [] and done.errors == []
    assert done.converted == 6  # the five, and the e-mail attached to the signed contract
    assert done.extracted == 3  # contract PDF + attached e-mail, the invoice PDF
    html = pdf_text(tmp_path / "RE_ Approval needed.pdf")
    assert "Subject:" in html and "RE: Approval needed" in html and "approved" in html
    assert image_count(tmp_path / "RE_ Approval needed.pdf") == 1
    assert "Toner cartridges" in pdf_text(tmp_path / "FW_ Revised quote.pdf")
    assert image_count(tmp_path / "Invoice query.pdf") == 1
    contract = tmp_path / "Signed contract_attachments"
    assert (contract / "Contract_signed.pdf").read_bytes() == tiny_pdf("Supply contract - signed by both parties")
    assert "Contract_signed.pdf" in pdf_text(tmp_path / "Signed contract.pdf")
    assert "Please sign the attached contract" in pdf_text(contract / "Contract for signature.pdf")
    assert not (tmp_path / "RE_ Approval needed_attachments").exists(), "inline images are not extracted"
    for name in EMAIL_NAMES:
        assert (tmp_path / name).read_bytes() == email_bytes(name, 0, random.Random(name)), "original kept"
    assert is_email_product(tmp_path / "Signed contract.pdf") and is_email_product(contract)
    assert not is_email_product(contract / "Contract_signed.pdf")


def test_pdf_only_mode_extracts_nothing(browser: Browser, tmp_path: Path) -> None:
    demo(tmp_path, ATTACHMENT_MSG)
    done, _ = convert(browser, tmp_path, ATTACHMENT_MSG, extract=False)
    assert (done.converted, done.extracted) == (1, 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Signed contract.msg", "Signed contract.pdf"]
    assert "Contract_signed.pdf" in pdf_text(tmp_path / "Signed contract.pdf"), "the list of attachments is kept"


def test_pdf_name_is_made_unique_and_other_files_are_ignored(browser: Browser, tmp_path: Path) -> None:
    write(tmp_path, "Re_ order.pdf", b"%PDF- the portal's own file")
    write(tmp_path, "Re_ order.msg", email_bytes(HTML_MSG, 0, random.Random(1)))
    done, _ = convert(browser, tmp_path, "Re_ order.pdf", "Re_ order.msg")
    assert done.converted == 1
    assert (tmp_path / "Re_ order.pdf").read_bytes() == b"%PDF- the portal's own file"
    assert PdfReader(tmp_path / "Re_ order_2.pdf").pages
    assert is_email_product(tmp_path / "Re_ order_2.pdf")
    write(tmp_path, "Quote_2.eml", email_bytes(PLAIN_EML, 0, random.Random(2)))
    convert(browser, tmp_path, "Quote_2.eml")
    assert is_email_product(tmp_path / "Quote_2.pdf") and not is_email_product(tmp_path / "Quote_2.eml")


def test_message_without_subject_body_or_attachment_names(browser: Browser, tmp_path: Path) -> None:
    bare = MsgMessage(
        "", "Ana", "ana@a.example", SENT, attachments=(MsgAttachment("", b"no name at all", "application/pdf"),)
    )
    write(tmp_path, "bare.msg", msg_bytes(bare))
    eml = EmailMessage()
    eml["From"] = "Mei <mei@c.example>"
    eml.set_content("")
    eml.add_attachment(b"nameless bytes", "application", "octet-stream")
    write(tmp_path, "bare.eml", bytes(eml))
    done, errors = convert(browser, tmp_path, "bare.msg", "bare.eml")
    assert errors == [] and done.converted == 2 and done.extracted == 2
    text = pdf_text(tmp_path / "bare.pdf")
    assert "Subject" not in text and "From:" in text and "(This message has no text.)" in text
    assert "(This message has no text.)" in pdf_text(tmp_path / "bare_2.pdf")
    extracted = {p.name: p.read_bytes() for p in (tmp_path / "bare_attachments").iterdir()}
    assert extracted == {"attachment_1.pdf": b"no name at all", "attachment_1.bin": b"nameless bytes"}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cut.msg", email_bytes(HTML_MSG, 0, random.Random(3))[:1500]),
        ("empty.msg", b""),
        ("empty.eml", b""),
        ("noise.eml", bytes(random.Random(4).randbytes(3000)).replace(b":", b"_")),
        ("fake.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)),
    ],
)
def test_unreadable_message_is_kept_and_reported(browser: Browser, tmp_path: Path, name: str, data: bytes) -> None:
    write(tmp_path, name, data)
    done, errors = convert(browser, tmp_path, name)
    assert (done.converted, done.extracted) == (0, 0)
    assert len(errors) == 1 and name in errors[0] and "kept as it is" in errors[0]
    assert [p.name for p in tmp_path.iterdir()] == [name] and (tmp_path / name).read_bytes() == data


def test_a_file_in_the_way_of_the_attachments_folder_costs_only_that_email(browser: Browser, tmp_path: Path) -> None:
    demo(tmp_path, ATTACHMENT_MSG)
    demo(tmp_path, PLAIN_EML)
    write(tmp_path, "Signed contract_attachments", b"a user's file, not a folder")
    done, errors = convert(browser, tmp_path, ATTACHMENT_MSG, PLAIN_EML)
    assert done.converted == 1 and len(errors) == 1 and ATTACHMENT_MSG in errors[0]
    assert (tmp_path / "Signed contract_attachments").read_bytes() == b"a user's file, not a folder"
    assert (tmp_path / "Delivery confirmation.pdf").is_file()


def test_a_nearly_full_disk_is_left_to_the_portals_files(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo(tmp_path, HTML_MSG)
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage._replace(free=20 * 1024 * 1024))
    done, errors = convert(browser, tmp_path, HTML_MSG)
    assert done.converted == 0 and "nearly full" in errors[0]
    assert [p.name for p in tmp_path.iterdir()] == [HTML_MSG]


def test_unsafe_attachment_names_stay_inside_the_attachments_folder(browser: Browser, tmp_path: Path) -> None:
    eml = EmailMessage()
    eml["From"] = "x@y.example"
    eml["Subject"] = "Names"
    eml.set_content("see files")
    for name in ("../../escape.txt", "CON.txt", 'a<b>:"c|d?.txt'):
        eml.add_attachment(name.encode(), "text", "plain", filename=name)
    write(tmp_path, "names.eml", bytes(eml))
    done, _ = convert(browser, tmp_path, "names.eml")
    folder = tmp_path / "names_attachments"
    assert done.extracted == 3 and len(list(folder.iterdir())) == 3
    assert sorted(p.read_bytes() for p in folder.iterdir()) == sorted(
        n.encode() for n in ("../../escape.txt", "CON.txt", 'a<b>:"c|d?.txt')
    )
    assert not list(tmp_path.parent.glob("escape*")) and "CON.txt" not in {p.name for p in folder.iterdir()}


class _Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(logo_png(4, 4))

    def log_message(self, *args: object) -> None:
        return


def test_an_email_can_never_fetch_remote_content(browser: Browser, tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        eml = EmailMessage()
        eml["From"] = "tracker@ads.example"
        eml["Subject"] = "Newsletter"
        eml.set_content(
            f'<html><head><link rel="stylesheet" href="{remote}/style.css"><meta http-equiv="refresh" '
            f'content="0;url={remote}/away"></head><body><p>Hello reader</p><img src="{remote}/pixel.png">'
            f'<script src="{remote}/track.js"></script><iframe src="{remote}/frame"></iframe></body></html>',
            subtype="html",
        )
        write(tmp_path, "news.eml", bytes(eml))
        done, _ = convert(browser, tmp_path, "news.eml")
        # The page can load nothing at all: the browser must be usable for the portal again afterwards.
        assert browser.driver.execute_script("return location.href") == "about:blank"
    finally:
        server.shutdown()
        server.server_close()
    assert done.converted == 1 and "Hello reader" in pdf_text(tmp_path / "news.pdf")
    assert _Recorder.hits == []


# -- what the report needs survives in the journal -----------------------------------------------------------------
def test_journal_keeps_email_counts_and_upgrades_an_older_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with sqlite3.connect(path) as db:  # a journal written before e-mails were converted
        db.executescript(
            "CREATE TABLE po (po_key TEXT PRIMARY KEY, status TEXT NOT NULL, supplier TEXT NOT NULL, "
            "attachments_found INTEGER NOT NULL, attachments_downloaded INTEGER NOT NULL, attachment_names TEXT NOT "
            "NULL, source_url TEXT NOT NULL, folder TEXT NOT NULL, error_message TEXT NOT NULL, bytes_downloaded "
            "INTEGER NOT NULL, seconds REAL NOT NULL, attempts INTEGER NOT NULL, finished_at TEXT NOT NULL, "
            "files TEXT NOT NULL);"
            "INSERT INTO po VALUES ('1','COMPLETED','S',1,1,'[]','','','',1,1.0,1,'','[]');"
        )
    db.close()
    with Journal(path) as journal:
        assert journal.results()["1"].emails_converted == 0
        journal.record(PoResult("2", PoStatus.COMPLETED, emails_converted=3, files_extracted=4))
    with Journal(path) as journal:
        again = journal.results()["2"]
    assert (again.emails_converted, again.files_extracted) == (3, 4)


def test_pdf_bytes_are_a_real_document(browser: Browser) -> None:
    reader = PdfReader(BytesIO(browser.print_to_pdf("<p>Ünïcode ✓ text</p>")))
    assert len(reader.pages) == 1 and "Ünïcode" in reader.pages[0].extract_text()


def test_email_handling_is_a_validated_setting_of_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.cli import build_parser, config_from_args
    from core.errors import InputError

    monkeypatch.setenv("COUPA_DATA_DIR", str(tmp_path))  # no settings remembered by an earlier test

    def parsed(*extra: str) -> RunConfig:
        args = build_parser().parse_args(
            ["run", "--input", "in.csv", "--output", "out", "--base-url", "http://x", *extra]
        )
        return config_from_args(args, environ={})

    assert parsed().emails == "pdf+attachments"
    assert parsed("--emails", "off").emails == "off"
    with pytest.raises(SystemExit) as exited:
        parsed("--emails", "zip")
    assert exited.value.code == 2
    with pytest.raises(InputError, match="pdf\\+attachments, pdf, off"):
        RunConfig(Path("in.csv"), Path("out"), "http://x", emails="zip").validated()

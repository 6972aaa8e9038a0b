"""Saved e-mails made readable, as a user gets them: one real run on the demo portal, its PDFs opened and read.

The run covers demo POs that carry every e-mail case between them (HTML with an inline image, RTF only, a PDF
and an e-mail attached, multipart/related .eml, plain-text .eml). Files extracted from the e-mails are compared with
what an independent reader (extract-msg, the standard library) finds inside the originals.
"""

from __future__ import annotations

import email
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from pathlib import Path

import extract_msg
import openpyxl
import pytest
from pypdf import PdfReader

from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.demo_emails import ATTACHMENT_MSG, HTML_MSG, PLAIN_EML, RELATED_EML, RTF_MSG
from core.workbook.report import REPORT_NAME
from core.workbook.summary import EMAILS_CONVERTED_LABEL, FILES_EXTRACTED_LABEL
from tests.support import AppRun, expected_status, portal_files, run_app, sha256_of

pytestmark = pytest.mark.integration

# What each demo e-mail must show in its PDF (subject, a phrase of the body), how many e-mails it yields (itself and
# attached ones) and how many files come out of it.
CASES = {
    HTML_MSG: ("RE: Approval needed", "approved on our side", 1, 0),
    RTF_MSG: ("FW: Revised quote", "Toner cartridges", 1, 0),
    ATTACHMENT_MSG: ("Signed contract", "signed contract attached", 2, 2),
    RELATED_EML: ("Invoice query", "total differs", 1, 1),
    PLAIN_EML: ("Delivery confirmation", "delivered today", 1, 0),
}
WITH_INLINE_IMAGE = (HTML_MSG, RELATED_EML)


@dataclass
class EmailRun:
    app: AppRun
    output: Path
    keys: list[str]
    emails: Counter[str]  # e-mail name -> how many the portal served


@pytest.fixture(scope="module")
def portal() -> Iterator[DemoPortal]:
    with DemoPortal(PortalKnobs(po_count=60)).start() as server:
        yield server


@pytest.fixture(scope="module")
def email_run(portal: DemoPortal, tmp_path_factory: pytest.TempPathFactory) -> EmailRun:
    keys: list[str] = []
    for name in CASES:  # the first PO holding each case (a PO may hold several)
        holding = (
            p.po_key for p in portal.dataset.pos if name in {f.name for f in portal.dataset.expected_files(p.po_key)}
        )
        key = next(holding, None)
        assert key is not None, f"the demo portal serves no {name}"
        keys += [key] if key not in keys else []
    emails = Counter(f.name for key in keys for f in portal.dataset.expected_files(key) if f.name in CASES)
    folder = tmp_path_factory.mktemp("emails")
    sample = folder / "input.csv"
    sample.write_text("PO_NUMBER\n" + "".join(f"PO{key}\n" for key in keys), encoding="utf-8")
    output = folder / "run"
    app = run_app("run", "--input", sample, "--output", output, "--base-url", portal.base_url, "--json")
    assert app.returncode == 0, app.stderr
    return EmailRun(app, output, keys, emails)


def report_sheet(output: Path, name: str) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(output / REPORT_NAME)[name].iter_rows(values_only=True))


def po_folders(run: EmailRun) -> dict[str, Path]:
    rows = report_sheet(run.output, "PO_Data")
    header = rows[0]
    return {
        "".join(c for c in str(row[0]) if c.isdigit()): Path(str(row[header.index("DOWNLOAD_FOLDER")]))
        for row in rows[1:]
    }


def test_every_email_gets_a_pdf_with_its_headers_body_and_inline_images(
    portal: DemoPortal, email_run: EmailRun
) -> None:
    checked = Counter[str]()
    for key, folder in po_folders(email_run).items():
        for demo_file in portal.dataset.expected_files(key):
            if demo_file.name not in CASES:
                continue
            subject, phrase, _, _ = CASES[demo_file.name]
            reader = PdfReader(folder / (demo_file.name.rsplit(".", 1)[0] + ".pdf"))
            text = "\n".join(page.extract_text() for page in reader.pages)
            assert len(reader.pages) >= 1 and f"Subject: {subject}" in text and phrase in text, (key, text)
            assert all(f"{label}:" in text for label in ("From", "To", "Cc", "Date"))
            images = [
                x
                for page in reader.pages
                for x in page["/Resources"].get_object().get("/XObject", {}).values()
                if x.get_object().get("/Subtype") == "/Image"
            ]
            assert len(images) == (1 if demo_file.name in WITH_INLINE_IMAGE else 0), demo_file.name
            checked[demo_file.name] += 1
    assert checked == email_run.emails


def test_extracted_attachments_are_byte_identical_to_the_originals(email_run: EmailRun) -> None:
    compared = 0
    for original in email_run.output.rglob("*_COMPLETED/*"):
        if original.name == ATTACHMENT_MSG:
            with extract_msg.openMsg(str(original)) as msg:
                pdf = msg.attachments[0]
                assert (original.parent / "Signed contract_attachments" / pdf.longFilename).read_bytes() == pdf.data
                inner = original.parent / "Signed contract_attachments" / "Contract for signature.msg"
                with extract_msg.openMsg(str(inner)) as attached:
                    assert attached.subject == msg.attachments[1].data.subject == "Contract for signature"
                assert "Please sign" in PdfReader(inner.with_suffix(".pdf")).pages[0].extract_text()
            compared += 1
        elif original.name == RELATED_EML:
            message = email.message_from_bytes(original.read_bytes(), policy=policy.default)
            (part,) = message.iter_attachments()  # type: ignore[attr-defined]
            extracted = original.parent / "Invoice query_attachments" / part.get_filename()
            assert extracted.read_bytes() == part.get_content()
            assert [p.name for p in extracted.parent.iterdir()] == [extracted.name], "the inline image stays inline"
            compared += 1
    assert compared == email_run.emails[ATTACHMENT_MSG] + email_run.emails[RELATED_EML]


def test_pos_stay_completed_and_count_only_the_portals_files(portal: DemoPortal, email_run: EmailRun) -> None:
    rows = report_sheet(email_run.output, "PO_Data")
    header = rows[0]
    for row in rows[1:]:
        key = "".join(c for c in str(row[0]) if c.isdigit())
        served = portal.dataset.expected_files(key)
        assert row[header.index("STATUS")] == expected_status(portal, key) == "COMPLETED"
        assert row[header.index("ATTACHMENTS_FOUND")] == row[header.index("ATTACHMENTS_DOWNLOADED")] == len(served)
        message = str(row[header.index("ERROR_MESSAGE")] or "")
        assert "mail" not in message and "PDF" not in message, message  # no conversion problem to report
        folder = Path(str(row[header.index("DOWNLOAD_FOLDER")]))
        assert sorted(sha256_of(p) for p in portal_files(folder)) == sorted(f.sha256 for f in served)


def test_summary_and_events_count_emails_also_after_a_resume(portal: DemoPortal, email_run: EmailRun) -> None:
    converted = sum(CASES[name][2] * count for name, count in email_run.emails.items())
    extracted = sum(CASES[name][3] * count for name, count in email_run.emails.items())
    events = [e for e in email_run.app.events if e["event"] == "email_converted"]
    assert len(events) == converted and all(e["pdf"] and not e["error"] for e in events)
    summary = dict(row[:2] for row in report_sheet(email_run.output, "Summary") if row[0])
    assert (summary[EMAILS_CONVERTED_LABEL], summary[FILES_EXTRACTED_LABEL]) == (converted, extracted)
    # The report of a resumed run is rebuilt from the journal: the counts are still there.
    sample = email_run.output.parent / "input.csv"
    again = run_app("run", "--input", sample, "--output", email_run.output, "--base-url", portal.base_url, "--resume")
    assert again.returncode == 0, again.stderr
    summary = dict(row[:2] for row in report_sheet(email_run.output, "Summary") if row[0])
    assert (summary[EMAILS_CONVERTED_LABEL], summary[FILES_EXTRACTED_LABEL]) == (converted, extracted)

"""Reading Coupa pages by meaning: classification, supplier, attachments, requisition link."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.models import AttachmentLink
from core.po.page_content import read_page
from core.po.page_kind import PageKind, classify_page
from core.urls import DEFAULT_PO_URL_TEMPLATE, looks_signed_out, po_url, redact_url, same_origin

PAGES = Path(__file__).parent / "pages"
BASE = "https://acme.coupahost.com"
PO_URL = f"{BASE}/order_headers/16928033"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def files_of(html: str, url: str = PO_URL) -> list[tuple[str, str, str]]:
    return [(a.name, a.url, a.source) for a in read_page(html, url).files]


# ------------------------------------------------------------------------------------------------- URLs


def test_po_url_uses_template_and_strips_trailing_slash() -> None:
    assert po_url(DEFAULT_PO_URL_TEMPLATE, BASE + "/", "16928033") == PO_URL
    assert po_url("{base}/purchase_orders/{po}/show", "http://127.0.0.1:8765", "42") == (
        "http://127.0.0.1:8765/purchase_orders/42/show"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{BASE}/attachment/attachment_file/type/1/a.pdf", True),
        ("HTTPS://ACME.coupahost.com:443/x", True),
        ("http://acme.coupahost.com/x", False),
        ("https://evil.example.com/attachment/attachment_file/type/1/a.pdf", False),
        ("https://acme.coupahost.com:8443/x", False),
        ("/relative/path", False),
    ],
)
def test_same_origin(url: str, expected: bool) -> None:
    assert same_origin(url, BASE) is expected


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}/sessions/new",
        f"{BASE}/sessions/saml_post",
        f"{BASE}/login",
        f"{BASE}/sso/start?return_to=%2Forder_headers%2F1",
        f"{BASE}/saml/consume",
        f"{BASE}/oauth2/authorize?client_id=x",
        f"{BASE}/user/home?SAMLRequest=abc",
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
        "https://acme.okta.com/app/coupa/sso/saml",
        "https://idp.example.com/idp/SSO.saml2",
        "https://sso.example.com/pingfederate/login",
        "https://adfs.example.com/adfs/ls/",
        "http://127.0.0.1:9999/openid/auth",  # same host, another port: a local identity provider
    ],
)
def test_login_and_sso_urls_look_signed_out(url: str) -> None:
    assert looks_signed_out(url, BASE)


@pytest.mark.parametrize(
    "url",
    [
        PO_URL,
        f"{BASE}/order_headers/16928033?return_to=%2Fsessions%2Fnew",
        f"{BASE}/requisition_headers/5512",
        f"{BASE}/user/home",
        f"{BASE}/assortments/12",  # "sso" inside a word is not a sign-in path
        "about:blank",
    ],
)
def test_portal_urls_do_not_look_signed_out(url: str) -> None:
    assert not looks_signed_out(url, BASE)


def test_demo_portal_port_is_part_of_the_origin() -> None:
    base = "http://127.0.0.1:8765"
    assert not looks_signed_out("http://127.0.0.1:8765/order_headers/1", base)
    assert looks_signed_out("http://127.0.0.1:8766/order_headers/1", base)


# ------------------------------------------------------------------------------------------ classification


@pytest.mark.parametrize(
    ("fixture", "url", "expected"),
    [
        ("po_header_only.html", PO_URL, PageKind.PO_PAGE),
        ("po_comments_only.html", PO_URL, PageKind.PO_PAGE),
        ("po_line_level.html", PO_URL, PageKind.PO_PAGE),
        ("po_mixed.html", PO_URL, PageKind.PO_PAGE),
        ("po_variant_wrappers.html", PO_URL, PageKind.PO_PAGE),
        ("requisition.html", f"{BASE}/requisition_headers/5512", PageKind.REQUISITION_PAGE),
        ("requisition.html", PO_URL, PageKind.REQUISITION_PAGE),  # the controller wins over the URL template
        ("not_found.html", PO_URL, PageKind.NOT_FOUND),
        ("not_found_ascii.html", PO_URL, PageKind.NOT_FOUND),
        ("not_found_pt.html", PO_URL, PageKind.NOT_FOUND),
        ("not_found.html", f"{BASE}/requisition_headers/5512", PageKind.NOT_FOUND),
        ("no_access.html", f"{BASE}/user/home", PageKind.NO_ACCESS),
        ("access_denied_plain.html", PO_URL, PageKind.NO_ACCESS),
        ("login_form.html", PO_URL, PageKind.SIGNED_OUT),
        ("idp_login.html", PO_URL, PageKind.SIGNED_OUT),
    ],
)
def test_classify_fixture(fixture: str, url: str, expected: PageKind) -> None:
    assert classify_page(url, page(fixture), BASE) == expected


@pytest.mark.parametrize(
    "url",
    [f"{BASE}/sessions/new", f"{BASE}/saml/sso", "https://login.microsoftonline.com/common/login"],
)
def test_oops_page_after_redirect_to_login_is_signed_out_not_not_found(url: str) -> None:
    # An expired session on some tenants shows the very same Oops page: the URL must decide.
    assert classify_page(url, page("not_found.html"), BASE) == PageKind.SIGNED_OUT


def test_not_found_matches_both_apostrophes_and_title_only() -> None:
    typographic = page("not_found.html")
    ascii_version = typographic.replace("\u2019", "'")
    assert "\u2019" in typographic
    assert classify_page(PO_URL, ascii_version, BASE) == PageKind.NOT_FOUND
    title_only = "<html><head><title>Coupa: Page not found</title></head><body><p>Sorry.</p></body></html>"
    assert classify_page(PO_URL, title_only, BASE) == PageKind.NOT_FOUND


def test_not_authorized_as_error_heading_is_no_access() -> None:
    html = '<html><body><h1 id="error-message">You are not authorized to see this page</h1></body></html>'
    assert classify_page(PO_URL, html, BASE) == PageKind.NO_ACCESS


def test_flash_notice_not_authorized_on_po_url_is_no_access() -> None:
    html = (
        '<html><body><div id="flash_container"><div class="notice">Access denied for this record'
        "</div></div></body></html>"
    )
    assert classify_page(PO_URL, html, BASE) == PageKind.NO_ACCESS


def test_po_page_quoting_oops_in_a_comment_is_still_a_po_page() -> None:
    html = page("po_header_only.html").replace(
        "Please see the attached quote.", "He wrote: Oops! We couldn’t find what you wanted. Access denied."
    )
    assert classify_page(PO_URL, html, BASE) == PageKind.PO_PAGE


def test_empty_or_unrelated_pages_are_unknown() -> None:
    assert classify_page(PO_URL, "", BASE) == PageKind.UNKNOWN
    assert classify_page(f"{BASE}/user/home", "<html><body><h1>Welcome</h1></body></html>", BASE) == (PageKind.UNKNOWN)


def test_po_page_without_controller_is_recognised_by_title() -> None:
    html = page("po_header_only.html").replace('data-controller="order_headers"', "")
    assert classify_page(PO_URL, html, BASE) == PageKind.PO_PAGE


# ------------------------------------------------------------------------------------------------ reading


def test_header_only_page() -> None:
    content = read_page(page("po_header_only.html"), PO_URL)
    assert content.supplier == "Northwind Paper Ltd"
    assert content.requisition_url == f"{BASE}/requisition_headers/5512"
    assert [(a.name, a.source, a.kind) for a in content.attachments] == [
        ("Signed_Quote_(v2).pdf", "header", "file"),
        ("Master Agreement 2024.docx", "header", "file"),
    ]
    assert content.files[0].url == (
        f"{BASE}/attachment/attachment_file/type/9001/Signed_Quote_(v2).pdf"
        "?supplier_view_key=3f2a9c0d4b5e6f708192a3b4c5d6e7f8091a2b3c"
    )
    # Decoys: the download summary, the /attachments/<aid> show link, the add button, URLs inside scripts.
    urls = " ".join(a.url for a in content.attachments)
    assert "download_summary" not in urls
    assert "/attachments/" not in urls
    assert "should_not_count" not in urls


def test_comments_only_page_with_none_in_header() -> None:
    content = read_page(page("po_comments_only.html"), PO_URL)
    assert content.supplier == "Globex Iberia S.L."
    assert files_of(page("po_comments_only.html")) == [
        ("Approval_-_Outlook.pdf", f"{BASE}/attachment/attachment_file/file/9100/Approval_-_Outlook.pdf", "comment"),
        (
            "Delivery note (signed).msg",
            f"{BASE}/attachment/attachment_file/file/9101/Delivery%20note%20(signed).msg",
            "comment",
        ),
    ]
    # The comment timestamp's requisition link is not the PO's requisition field and never a file.
    assert content.requisition_url is None


def test_line_level_attachments() -> None:
    content = read_page(page("po_line_level.html"), PO_URL)
    assert content.supplier == "Initech Labs GmbH"  # from the suppliers/show link title "<number> - <name>"
    assert [(a.name, a.source) for a in content.files] == [
        ("Spec sheet été.pdf", "line"),
        ("Drawing_rev_C.dwg", "line"),  # data-url on the li, name from the aria-label
        ("Very_long_document_name_that_was_shortened_on_screen_Final.xlsx", "line"),  # shortened text -> URL
    ]
    assert content.files[0].url.startswith(f"{BASE}/attachment/attachment_file/type/9201/")


def test_mixed_page_text_url_line_comment_and_decoys() -> None:
    content = read_page(page("po_mixed.html"), PO_URL)
    assert content.supplier == "Umbrella Supplies Inc."
    assert content.requisition_url == f"{BASE}/requisition_headers/8800"
    assert [(a.kind, a.source, a.name) for a in content.attachments] == [
        ("text", "header", "Invoice #1234, Paid Amount: 1,250.00 EUR"),
        ("file", "header", "Invoice.pdf"),
        ("url", "header", "https://contracts.example.org/agreements/77"),
        ("file", "line", "Invoice.pdf"),
        ("file", "comment", "Goods_receipt.eml"),
    ]
    text, _, url_link, _, _ = content.attachments
    assert text.url == ""
    assert url_link.url == "https://contracts.example.org/agreements/77"
    # Two different Invoice.pdf files (header and line) are both kept: they differ by URL.
    assert len({a.url for a in content.files}) == 3
    assert all("/attachment/attachment_file/" in a.url for a in content.files)


def test_variant_wrappers_reordered_fields_and_relative_links() -> None:
    url = f"{BASE}/order_headers/16928037"
    content = read_page(page("po_variant_wrappers.html"), url)
    assert content.supplier == "Acme Comércio Ltda"  # from a form_element labelled "Supplier:"
    assert content.requisition_url == f"{BASE}/requisition_headers/9911"
    assert files_of(page("po_variant_wrappers.html"), url) == [
        (
            "Orçamento final.pdf",
            f"{BASE}/attachment/attachment_file/type/9401/Or%C3%A7amento%20final.pdf"
            "?supplier_view_key=abcdefabcdefabcdefabcdefabcdefabcdefabcd",
            "header",
        ),
        # Another host is still listed; the downloader is the one that refuses it.
        (
            "Quote.v2.docx.pdf",
            "https://other-host.example.net/attachment/attachment_file/type/9402/Quote.v2.docx.pdf",
            "header",
        ),
        (
            "Ata da reunião.docx",
            f"{BASE}/attachment/attachment_file/file/9410/Ata%20da%20reuni%C3%A3o.docx",
            "comment",
        ),
    ]


def test_requisition_page_files() -> None:
    url = f"{BASE}/requisition_headers/5512"
    content = read_page(page("requisition.html"), url)
    assert [(a.name, a.url) for a in content.files] == [
        (
            "Business_case.pptx",
            f"{BASE}/attachment/attachment_file/type/9501/Business_case.pptx"
            "?supplier_view_key=9999999999999999999999999999999999999999",
        )
    ]


def test_error_pages_have_nothing_to_read() -> None:
    content = read_page(page("not_found.html"), PO_URL)
    assert content.attachments == ()
    assert content.supplier == ""
    assert content.requisition_url is None


# ------------------------------------------------------------------------------------------ inline variants


def wrap(body: str) -> str:
    head = '<html data-controller="order_headers"><head><title>Purchase Order #PO1</title></head>'
    return f"{head}<body>{body}</body></html>"


@pytest.mark.parametrize(
    ("supplier_html", "expected"),
    [
        ('<section id="supplier"><span class="supplier-name"> Contoso Ltd-0000412233</span></section>', "Contoso Ltd"),
        ('<section id="supplier"><span class="supplier-name">Contoso 2000 Ltd</span></section>', "Contoso 2000 Ltd"),
        ('<section id="supplier"><span class="supplier-name">Contoso - 1234567 </span></section>', "Contoso"),
        ('<a href="/suppliers/show/77" title="0000412233 - Contoso Ltd">Contoso</a>', "Contoso Ltd"),
        ('<a href="https://x/suppliers/show/77">Fabrikam AG-0000000001</a>', "Fabrikam AG"),
        ('<div class="form_element"><span class="group_label">Supplier</span> Tailspin Toys </div>', "Tailspin Toys"),
        ("<dl><dt>Status</dt><dd>Issued</dd><dt>Supplier</dt><dd>Wingtip AB-0000123456</dd></dl>", "Wingtip AB"),
        ("<table><tr><th>Supplier</th><td> Litware SA </td><th>Status</th><td>Issued</td></tr></table>", "Litware SA"),
        ("<p>No supplier here</p>", ""),
    ],
)
def test_supplier_variants(supplier_html: str, expected: str) -> None:
    assert read_page(wrap(supplier_html), PO_URL).supplier == expected


def test_supplier_name_section_wins_over_link() -> None:
    html = wrap(
        '<a href="/suppliers/show/1" title="1 - Other Name">Other</a>'
        '<section id="supplier"><span class="supplier-name">Right Name-00001234</span></section>'
    )
    assert read_page(html, PO_URL).supplier == "Right Name"


def test_data_url_on_span_or_li_and_fallback_href() -> None:
    html = wrap(
        '<div class="form_element" role="group"><span class="group_label">Attachments</span><div><div>'
        '<ul class="attachments-list">'
        '<li class="attachment" data-url="/attachment/attachment_file/type/1/on_li.pdf?k=1">'
        '<span class="attachment-file"><span role="button">on_li.pdf</span></span></li>'
        '<li class="attachment"><span class="attachment-file"><a href="attachment/attachment_file/type/2/a%20b.pdf">'
        "</a></span></li>"
        '<li class="attachment"><span class="attachment-file" aria-label="c.xlsx file attachment" '
        'data-url="//acme.coupahost.com/attachment/attachment_file/type/3/c.xlsx"></span></li>'
        "</ul></div></div></div>"
    )
    files = read_page(html, f"{BASE}/order_headers/1").files
    assert [(f.name, f.url) for f in files] == [
        ("on_li.pdf", f"{BASE}/attachment/attachment_file/type/1/on_li.pdf?k=1"),
        ("a b.pdf", f"{BASE}/order_headers/attachment/attachment_file/type/2/a%20b.pdf"),
        ("c.xlsx", f"{BASE}/attachment/attachment_file/type/3/c.xlsx"),
    ]


def test_comment_links_found_by_url_shape_whatever_the_wrappers() -> None:
    html = wrap(
        '<section id="comments"><div class="x-comment"><div class="y">'
        '<a href="/attachment/attachment_file/file/55/Minutes.pdf">Minutes.pdf</a>'
        '<a href="/attachments/55">show</a>'
        '<a href="/requisition_headers/9">Requisition 9</a>'
        '<a href="/order_headers/1/download_summary">download</a>'
        "</div></div></section>"
    )
    content = read_page(html, PO_URL)
    assert content.attachments == (
        AttachmentLink("Minutes.pdf", f"{BASE}/attachment/attachment_file/file/55/Minutes.pdf", "file", "comment"),
    )


def test_duplicate_urls_are_listed_once_in_page_order() -> None:
    item = (
        '<li class="attachment"><span class="attachment-file" '
        'data-url="/attachment/attachment_file/type/7/Same.pdf"><span role="button">Same.pdf</span></span></li>'
    )
    html = wrap(f'<ul class="attachments-list">{item}{item}</ul>')
    assert len(read_page(html, PO_URL).attachments) == 1


def test_none_placeholder_and_add_buttons_are_not_attachments() -> None:
    html = wrap(
        '<ul class="attachments-list"><li class="show none">None</li>'
        '<li class="attachment add"><button aria-label="Add File Attachment">Add File Attachment</button></li></ul>'
        '<button class="attachment-file" aria-label="Add File Attachment">Add File Attachment</button>'
    )
    assert read_page(html, PO_URL).attachments == ()


def test_oops_text_outside_headings_on_a_page_with_the_po_controller_is_not_found() -> None:
    html = (
        '<html data-controller="order_headers"><head><title>Coupa</title></head><body>'
        '<div class="error-box"><div class="msg">Oops! We couldn’t find what you wanted.</div></div></body></html>'
    )
    assert classify_page(PO_URL, html, BASE) == PageKind.NOT_FOUND


def test_header_field_named_comments_does_not_make_files_comment_files() -> None:
    html = wrap(
        '<div class="commentable"><div class="form_element" id="order_header_comments" role="group">'
        '<ul class="attachments-list"><li class="attachment"><span class="attachment-file" '
        'data-url="/attachment/attachment_file/type/8/H.pdf"><span role="button">H.pdf</span></span></li></ul>'
        "</div></div>"
    )
    assert [a.source for a in read_page(html, PO_URL).files] == ["header"]


def test_file_whose_name_starts_with_add_is_still_a_file() -> None:
    html = wrap(
        '<ul class="attachments-list"><li class="attachment"><span class="attachment-file" '
        'data-url="/attachment/attachment_file/type/9/Add%20on.pdf">'
        '<span role="button" aria-label="Add on.pdf file attachment">Add on.pdf</span></span></li>'
        '<li class="attachment"><a class="attachment-text" href="#" aria-label="Add Text Attachment">Add Text</a></li>'
        "</ul>"
    )
    assert [(a.name, a.kind) for a in read_page(html, PO_URL).attachments] == [("Add on.pdf", "file")]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://acme.coupahost.com/attachment/attachment_file/type/7/Quote.pdf?supplier_view_key=9f8e7d6c",
            "https://acme.coupahost.com/attachment/attachment_file/type/7/Quote.pdf?supplier_view_key=***",
        ),
        (
            "https://user:pa55@acme.coupahost.com/order_headers/1?a=1&b=",
            "https://***@acme.coupahost.com/order_headers/1?a=***&b=***",
        ),
        ("rediss://:s3cret@redis.example:6380/0", "rediss://***@redis.example:6380/0"),
        ("https://acme.coupahost.com/order_headers/16928033", "https://acme.coupahost.com/order_headers/16928033"),
    ],
)
def test_urls_are_stored_and_shown_without_secrets(url: str, shown: str) -> None:
    assert redact_url(url) == shown

"""HTML of the demo portal, built like Coupa's pages (see COUPA_PAGES.md).

Harmless details (wrapper divs, field order, where the Attachments group sits, the extra supplier link)
vary per PO on purpose: a reader that relies on positions instead of ids, roles and URL shapes breaks here
exactly as it would on the next real tenant.
"""

from __future__ import annotations

import json
import random
from html import escape

from core.demo_portal.dataset import DemoComment, DemoDataset, DemoPo
from core.demo_portal.page_parts import (
    attachments_group,
    field,
    file_url,
    general_info_fields,
    lines_table,
    locale_script,
    total_row,
    wrap,
)
from core.demo_portal.po_facts import ENGLISH

NOT_FOUND_TITLE = "Coupa: Page not found"
NOT_FOUND_HEADING = "Oops! We couldn’t find what you wanted."
NOT_FOUND_DETAIL = "Chances are, the status of the item has changed and you can’t access it anymore…"
NO_ACCESS_MESSAGE = "You are not authorized to view this purchase order."
NO_ACCESS_MESSAGE_PT = "Você não tem permissão para ver este pedido de compra."


def _layout_rng(po: DemoPo, kind: str) -> random.Random:
    return random.Random(f"layout:{kind}:{po.po_key}")


def _document(title: str, body: str, *, controller: str = "", action: str = "", data_id: str = "") -> str:
    attrs = ""
    if controller:
        attrs = f' data-controller="{controller}" data-action="{action}" data-id="{escape(data_id)}"'
    # app.js is async on purpose: a heavy bundle that delays `load` but never DOMContentLoaded.
    return (
        f'<!DOCTYPE html>\n<html lang="en"{attrs}><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<link rel="icon" href="data:,"><script src="/assets/app.js" async></script></head>\n'
        f"<body>{body}</body></html>\n"
    )


def _nav() -> str:
    return (
        '<header class="s-header"><nav aria-label="Main"><a href="/user/home">Home</a> '
        '<a href="/order_headers">Orders</a> <a href="/requisition_headers">Requisitions</a></nav></header>'
    )


def _supplier_section(po: DemoPo, rng: random.Random) -> str:
    address = f"{po.supplier} - Main site, 12 Harbour Road, Springfield"
    lead = " " if rng.random() < 0.5 else ""
    html = (
        '<section id="supplier" aria-label="Supplier"><h2>Supplier</h2>'
        f'<span class="supplier-name" title="{escape(address)}">{lead}{escape(po.supplier)}-{po.supplier_number}</span>'
        "</section>"
    )
    if rng.random() < 0.5:
        html += (
            f'<div class="supplier-card"><a href="/suppliers/show/{int(po.supplier_number)}" '
            f'title="{po.supplier_number} - {escape(po.supplier)}">{escape(po.supplier)}</a></div>'
        )
    return html


def _comments_section(json_url: str, delay: float, stated_files: int | None = None) -> str:
    """Comments arrive like Coupa's React widget: nothing in the served HTML, rendered after a delay. On PO pages the
    widget states its own count of files across all comments ("View Attachments (N)") and of comments."""
    script = (
        "(function(){var s=document.getElementById('comments');"
        "setTimeout(function(){fetch(s.getAttribute('data-comments-url'),{credentials:'same-origin',"
        "headers:{'Accept':'application/json'}}).then(function(r){if(!r.ok){throw new Error(r.status);}"
        "return r.json();}).then(function(list){s.textContent='';"
        "var h=document.createElement('h2');h.textContent='Comments';s.appendChild(h);"
        "var n=s.getAttribute('data-file-count');if(n!==null){var bar=document.createElement('div');"
        "bar.className='s-commentsHeader';var k=document.createElement('span');k.className='num_comments';"
        "k.textContent=String(list.length);bar.appendChild(k);var v=document.createElement('button');"
        "v.type='button';v.className='s-viewFileAttachment buttonAsLink';var vs=document.createElement('span');"
        "vs.textContent='View Attachments ('+n+')';v.appendChild(vs);bar.appendChild(v);s.appendChild(bar);}"
        "list.forEach(function(c){var d=document.createElement('div');d.className='comment';"
        "var a=document.createElement('span');a.className='comment-author';a.textContent=c.author;d.appendChild(a);"
        "var t=document.createElement(c.link?'a':'span');t.className='comment-timestamp';t.textContent=c.posted;"
        "if(c.link){t.setAttribute('href',c.link);}d.appendChild(t);"
        "var b=document.createElement('p');b.className='comment-body';b.textContent=c.text;d.appendChild(b);"
        "if(c.attachments.length){var w=document.createElement('div');w.className='commentAttachments';"
        "var u=document.createElement('ul');u.className='s-attachmentList';"
        "c.attachments.forEach(function(f){var li=document.createElement('li');li.className='s-attachmentFile';"
        "var l=document.createElement('a');l.setAttribute('href',f.url);l.setAttribute('title',f.name);"
        "l.setAttribute('target','_blank');l.textContent=f.name;li.appendChild(l);u.appendChild(li);});"
        "w.appendChild(u);d.appendChild(w);}s.appendChild(d);});"
        "var add=document.createElement('button');add.type='button';add.className='button';"
        "add.textContent='Add File Attachment';s.appendChild(add);"
        "s.setAttribute('data-loaded','true');})"
        ".catch(function(){s.textContent='Comments could not be loaded.';});},"
        f"{max(0, round(delay * 1000))});}})();"
    )
    count = "" if stated_files is None else f' data-file-count="{stated_files}"'
    return (
        f'<section id="comments" data-comments-url="{escape(json_url)}"{count} aria-label="Comments">'
        '<div class="s-loading" role="status">Loading comments…</div></section>'
        f"<script>{script}</script>"
    )


def _top_form(po: DemoPo, fields: list[str], rng: random.Random) -> str:
    rng.shuffle(fields)
    return (
        '<div id="topForm" class="s-form">'
        + "".join(wrap(f, rng) if rng.random() < 0.3 else f for f in fields)
        + "</div>"
    )


def po_page(dataset: DemoDataset, po: DemoPo, base_url: str, comments_delay: float) -> str:
    rng = _layout_rng(po, "po")
    own = [f for f in po.files if f.source != "requisition"]
    header_files = [f for f in own if f.source == "header"]
    stated = sum(1 for f in own if f.source == "comment" and f.kind == "file")
    fields = general_info_fields(po, rng)
    attachments = wrap(attachments_group(base_url, header_files, "order_header_attachments_label"), rng)
    inside_top_form = rng.random() < 0.5
    if inside_top_form:
        fields.append(attachments)
    top_form = _top_form(po, fields, rng)
    decoys = (
        f'<div class="page-actions"><a href="/order_headers/{po.po_key}/download_summary" class="button">'
        "Download summary</a> "
        + "".join(f'<a class="attachment-show" href="/attachments/{f.aid}">View attachment</a> ' for f in own[:2])
        + "</div>"
    )
    main = (
        f'<h1 id="pageHeader">Purchase Order #PO{po.po_key}</h1>'
        + decoys
        + top_form
        + ("" if inside_top_form else f'<div class="s-panel header-attachments">{attachments}</div>')
        + _supplier_section(po, rng)
        + lines_table(base_url, po, own, rng)
        + total_row(po)
        + _comments_section(f"/order_headers/{po.po_key}/comments.json", comments_delay, stated)
        + '<div class="floating-toolbar" style="position:fixed;bottom:0;left:0;right:0;height:48px">'
        '<button type="button">Print</button> <button type="button">Add File Attachment</button></div>'
    )
    body = (
        locale_script(po.facts)
        + '<div id="flash_container"></div>'
        + _nav()
        + wrap(f'<main id="main">{main}</main>', rng)
    )
    return _document(
        f"Purchase Order #PO{po.po_key}", body, controller="order_headers", action="show", data_id=po.po_key
    )


def requisition_page(po: DemoPo, base_url: str, comments_delay: float) -> str:
    assert po.requisition_id is not None
    rng = _layout_rng(po, "requisition")
    files = [f for f in po.files if f.source == "requisition"]
    fields = [
        field("Requisition #", po.requisition_id),
        field("Status", '<span id="requisition_header_readable_status">Ordered</span>'),
        field("Requested By", escape(rng.choice(["Ana Souza", "Mei Lin", "Olivia Brown"]))),
        field("Justification", "Replacement of consumables"),
        wrap(attachments_group(base_url, files, "requisition_header_attachments_label"), rng),
    ]
    main = (
        f'<h1 id="pageHeader">Requisition #{po.requisition_id}</h1>'
        + _top_form(po, fields, rng)
        + f'<p>Purchase order: <a href="/order_headers/{po.po_key}">PO{po.po_key}</a></p>'
        + _comments_section(f"/requisition_headers/{po.requisition_id}/comments.json", comments_delay)
    )
    body = '<div id="flash_container"></div>' + _nav() + f'<main id="main">{main}</main>'
    return _document(
        f"Requisition #{po.requisition_id}",
        body,
        controller="requisition_headers",
        action="show",
        data_id=po.requisition_id,
    )


def comments_payload(dataset: DemoDataset, po: DemoPo, base_url: str, *, for_requisition: bool) -> str:
    """JSON for the comments widget. Requisition pages show only comments without files."""
    link = f"/requisition_headers/{po.requisition_id}" if po.requisition_id else ""
    comments: list[DemoComment] = list(po.comments)
    hidden = dataset.hidden_comment_file(po)
    out = []
    for comment in comments:
        if for_requisition and comment.aids:
            continue
        attachments = []
        for aid in comment.aids:
            demo_file = dataset.file(aid)
            if demo_file is not None and demo_file is not hidden:
                attachments.append({"name": demo_file.name, "url": file_url(base_url, demo_file)})
        out.append(
            {
                "author": comment.author,
                "posted": comment.posted,
                "text": comment.text,
                "link": link,
                "attachments": attachments,
            }
        )
    return json.dumps(out, ensure_ascii=False)


def not_found_page() -> str:
    body = (
        '<div id="flash_container"></div><main class="error-page">'
        f'<h1 id="error-message">{escape(NOT_FOUND_HEADING)}</h1>'
        f'<p id="error-detail">{escape(NOT_FOUND_DETAIL)}</p>'
        '<p><a href="/user/home">Go to the home page</a></p></main>'
    )
    return _document(NOT_FOUND_TITLE, body)


def no_access_page(po: DemoPo) -> str:
    """The portal says in words that this user may not see the PO (in the tenant's language)."""
    message = NO_ACCESS_MESSAGE if po.facts.locale == ENGLISH else NO_ACCESS_MESSAGE_PT
    body = (
        f'<div id="flash_container"><div class="flash_error" role="alert">{escape(message)}</div></div>'
        + _nav()
        + '<main id="main"><p>Ask the buyer of this order for access.</p></main>'
    )
    return _document("Coupa", body, controller="order_headers", action="show", data_id=po.po_key)


def home_page(dataset: DemoDataset) -> str:
    body = (
        _nav() + '<main id="main"><h1 id="pageHeader">Home</h1><p class="welcome">Welcome to the demo portal.</p>'
        f"<p>{len(dataset.pos)} purchase orders.</p></main>"
    )
    return _document("Coupa: Home", body, controller="users", action="home", data_id="1")


def list_page(dataset: DemoDataset, *, requisitions: bool) -> str:
    if requisitions:
        items = [
            f'<li><a href="/requisition_headers/{po.requisition_id}">{po.requisition_id}</a></li>'
            for po in dataset.pos
            if po.requisition_id
        ]
        title = "Requisitions"
    else:
        items = [f'<li><a href="/order_headers/{po.po_key}">PO{po.po_key}</a></li>' for po in dataset.pos]
        title = "Orders"
    body = _nav() + f'<main id="main"><h1 id="pageHeader">{title}</h1><ul class="s-list">{"".join(items)}</ul></main>'
    return _document(f"Coupa: {title}", body)


def summary_page(po_key: str) -> str:
    body = _nav() + f'<main id="main"><h1 id="pageHeader">Summary of PO{po_key}</h1><p>Nothing to download.</p></main>'
    return _document(f"Summary PO{po_key}", body)


def native_login_page(relay_state: str, error: str = "") -> str:
    flash = f'<div class="flash_error" role="alert">{escape(error)}</div>' if error else ""
    body = (
        f'<div id="flash_container">{flash}</div><main id="main"><h1>Sign in</h1>'
        '<form method="post" action="/sessions" id="login_form">'
        f'<input type="hidden" name="RelayState" value="{escape(relay_state)}">'
        '<label for="user_login">Username</label><input id="user_login" name="user[login]" type="text">'
        '<label for="user_password">Password</label><input id="user_password" name="user[password]" type="password">'
        '<button type="submit" id="sign_in">Sign in</button></form>'
        '<p><a href="/sessions/sso">Sign in with SSO</a></p></main>'
    )
    return _document("Coupa: Sign in", body)


def idp_login_page(relay_state: str, error: str = "") -> str:
    message = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    body = (
        '<main class="idp"><h1>Sign in to your organisation</h1>'
        + message
        + '<form method="post" action="/idp/login" id="idp_login">'
        f'<input type="hidden" name="RelayState" value="{escape(relay_state)}">'
        '<label for="username">Email</label><input id="username" name="username" type="text" autocomplete="username">'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password">'
        '<button type="submit" id="idp_submit">Sign in</button></form></main>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Sign in</title>'
        f'<link rel="icon" href="data:,"></head><body>{body}</body></html>\n'
    )


def idp_autopost_page(action: str, saml_response: str, relay_state: str) -> str:
    # Like a real IdP: a form posted by script; <noscript> keeps it usable without JavaScript.
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Working...</title>'
        '<link rel="icon" href="data:,"></head><body>'
        f'<form method="post" action="{escape(action)}" id="saml_form">'
        f'<input type="hidden" name="SAMLResponse" value="{escape(saml_response)}">'
        f'<input type="hidden" name="RelayState" value="{escape(relay_state)}">'
        '<noscript><button type="submit">Continue</button></noscript></form>'
        "<script>document.getElementById('saml_form').submit();</script></body></html>\n"
    )


APP_JS = (
    "/* Demo portal bundle: attachment spans open their data-url on click, as in Coupa. */\n"
    "document.addEventListener('click',function(e){var t=e.target.closest('.attachment-list-item');"
    "if(!t){return;}var u=t.getAttribute('data-url');"
    "if(u&&u.indexOf('javascript:')!==0){window.open(u,'_blank');}});\n"
)

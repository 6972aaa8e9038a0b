"""The demo identity provider (another origin): it signs a person in (by itself, or with a login form when the knobs
say a person is needed) and posts a signed SAML response back to the portal, which checks it with `saml_user`."""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from urllib.parse import quote

from core.demo_portal import pages
from core.demo_portal.http_base import RequestHandler, cookie_header
from core.demo_portal.state import PortalState

IDP_COOKIE = "idp_session"
_SAML_RE = re.compile(
    r'ID="(?P<nonce>[0-9a-f]+)".*<saml:NameID>(?P<user>[^<]*)</saml:NameID>.*<ds:SignatureValue>'
    r"(?P<sig>[0-9a-f]+)</ds:SignatureValue>",
    re.S,
)


def saml_user(state: PortalState, response: str) -> str | None:
    """The user a base64 SAML response signs in, if this identity provider signed it; None for a forged one."""
    try:
        xml = base64.b64decode(response, validate=True).decode("utf-8")
    except ValueError:
        xml = ""
    match = _SAML_RE.search(xml)
    if not match or not hmac.compare_digest(state.sign(match["nonce"] + match["user"]), match["sig"]):
        return None
    return match["user"]


class IdpHandler(RequestHandler):
    def do_GET(self) -> None:
        self.guarded(self.route)

    def do_POST(self) -> None:
        self.guarded(self.route)

    def route(self) -> None:
        state = self.state
        parts = self.segments()
        if parts == ["idp", "authorize"]:
            relay = self.query().get("RelayState", "")
            with state.lock:
                known = any(token in state.idp_sessions for token in self.cookies(IDP_COOKIE))
            if not known and state.knobs.login_requires_person:
                self.send(200, pages.idp_login_page(relay))
                return
            headers = []
            if not known:
                headers.append(("Set-Cookie", cookie_header(IDP_COOKIE, self.new_idp_session())))
            self.send(
                200,
                pages.idp_autopost_page(f"{state.base_url}/sessions/saml_post", self.assertion("demo.user"), relay),
                headers=headers,
            )
        elif parts == ["idp", "login"] and self.command == "POST":
            fields = self.form()
            relay = fields.get("RelayState", "")
            if not fields.get("username", "").strip():
                self.send(200, pages.idp_login_page(relay, "Enter your user name."))
                return
            cookie = cookie_header(IDP_COOKIE, self.new_idp_session())
            self.redirect(f"/idp/authorize?RelayState={quote(relay, safe='')}", [("Set-Cookie", cookie)])
        elif parts == ["idp", "login"]:
            self.send(200, pages.idp_login_page(self.query().get("RelayState", "")))
        else:
            self.send(404, "<html><body><h1>Not found</h1></body></html>")

    def new_idp_session(self) -> str:
        token = secrets.token_hex(16)
        with self.state.lock:
            self.state.idp_sessions.add(token)
        return token

    def assertion(self, user: str) -> str:
        nonce = secrets.token_hex(12)
        xml = (
            f'<samlp:Response ID="{nonce}"><saml:Assertion><saml:NameID>{user}</saml:NameID></saml:Assertion>'
            f"<ds:Signature><ds:SignatureValue>{self.state.sign(nonce + user)}</ds:SignatureValue></ds:Signature>"
            "</samlp:Response>"
        )
        return base64.b64encode(xml.encode("utf-8")).decode("ascii")

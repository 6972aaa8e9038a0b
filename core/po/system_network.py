"""The operating system's network settings for direct downloads, so they work wherever the browser works.

Company laptops trust their TLS-inspecting proxy through a root certificate in the operating system's store, and
find their proxy through the system settings, often a PAC file. `requests` alone trusts only certifi's bundle and
reads only environment proxies, so there every direct download failed. Here an adapter trusts the OS store
(`truststore`), and the proxy is the environment's, else the system's PAC file (OS settings or WPAD, via `pypac`).
"""

from __future__ import annotations

import functools
import logging
import ssl
from typing import Any

import requests
import truststore
from pypac import get_pac
from pypac.parser import PACFile
from pypac.resolver import ProxyConfigExhaustedError, ProxyResolver
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies
from urllib3 import PoolManager

log = logging.getLogger(__name__)

PAC_TIMEOUT = 2.0  # seconds per PAC candidate (OS setting, WPAD): a laptop off the company network has none


class SystemTrustAdapter(HTTPAdapter):
    """An adapter whose TLS connections trust the operating system's certificate store, directly or via a proxy.

    Never retries (retries are the downloader's: they honour cancel and Retry-After). `truststore` is mounted here
    rather than injected into `ssl` globally, so nothing else in the process changes.
    """

    def __init__(self) -> None:
        self._ssl_context = system_trust()
        super().__init__(max_retries=0, pool_connections=1, pool_maxsize=1)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kwargs)  # type: ignore[no-untyped-call]

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        # The tunnelled connection to the portal goes through the proxy: it must trust the same store.
        proxy_kwargs.setdefault("ssl_context", self._ssl_context)
        return super().proxy_manager_for(proxy, **proxy_kwargs)  # type: ignore[no-untyped-call,no-any-return]

    def cert_verify(self, conn: Any, url: str, verify: bool | str, cert: Any) -> None:
        super().cert_verify(conn, url, verify, cert)  # type: ignore[no-untyped-call]
        if verify:
            # requests would load certifi's bundle into our context on every connection: the OS store decides.
            conn.ca_certs = None
            conn.ca_cert_dir = None


@functools.cache
def system_trust() -> ssl.SSLContext:
    """One TLS client context on the OS store for the whole process: loading the store costs ~30 ms, and a context
    may serve many threads' connections at once."""
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def system_proxies(url: str) -> dict[str, str]:
    """The proxy the system's PAC file names for `url` (as requests' `proxies`); {} for none, DIRECT, or no PAC."""
    if get_environ_proxies(url):
        return {}
    pac = _system_pac()
    return proxies_from_pac(pac, url) if pac is not None else {}


def proxies_from_pac(pac: PACFile, url: str) -> dict[str, str]:
    """What a PAC file says for `url`: {"http": proxy, "https": proxy}, or {} for DIRECT (or no usable answer)."""
    try:
        chosen = ProxyResolver(pac).get_proxy_for_requests(url)
    except ProxyConfigExhaustedError:
        return {}
    except Exception as exc:  # a PAC script is the company's JavaScript: its errors must not stop downloads
        log.warning("the proxy auto-config file failed for %s (%s): connecting directly", url, exc)
        return {}
    return {scheme: str(proxy) for scheme, proxy in chosen.items() if proxy}


@functools.cache
def _system_pac() -> PACFile | None:
    """The PAC file of the operating system's settings or of WPAD, looked up once per process."""
    with requests.Session() as session:
        session.mount("http://", SystemTrustAdapter())
        session.mount("https://", SystemTrustAdapter())
        try:
            pac: PACFile | None = get_pac(from_os_settings=True, from_dns=True, timeout=PAC_TIMEOUT, session=session)
        except Exception as exc:  # an unreadable PAC file: as the browser does, carry on without it
            log.warning("could not read the system's proxy auto-config file (%s)", exc)
            return None
    if pac is not None:
        log.info("using the system's proxy auto-config file")
    return pac


def failure_cause(exc: BaseException) -> str:
    """The innermost reason of a requests/urllib3 failure, short: `certificate verify failed: ...`,
    `[Errno 111] Connection refused`, `Tunnel connection failed: 407 Proxy Authentication Required`."""
    inner = exc
    for _ in range(8):
        reason = getattr(inner, "reason", None)
        nested = reason if isinstance(reason, BaseException) else None
        nested = nested or next((arg for arg in inner.args if isinstance(arg, BaseException)), None)
        if nested is None or nested is inner:
            break
        inner = nested
    if isinstance(inner, ssl.SSLCertVerificationError) and inner.verify_message:
        return f"certificate verify failed: {inner.verify_message}"
    text = str(inner).strip()
    # urllib3 prefixes its connection object ("<HTTPSConnection(host=..., port=...) at 0x...>: ..."); drop it.
    return (text.split(">: ", 1)[-1] if text.startswith("<") else text)[:200] or type(inner).__name__

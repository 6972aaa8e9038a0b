"""Command-line glue for `python main.py demo-portal`: one `--kebab-case` option per knob, then serve."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import ssl
import sys
import threading
from pathlib import Path

from core.demo_portal.dataset import PortalKnobs
from core.demo_portal.server import DemoPortal
from core.errors import InputError

log = logging.getLogger(__name__)

_HELP: dict[str, str] = {
    "po_count": "number of made-up POs",
    "seed": "seed of the deterministic dataset",
    "page_latency": "seconds added before each HTML page",
    "comments_delay": "seconds before the page's script renders the comments",
    "per_connection_bandwidth": "bytes/s per file response (0 = unlimited)",
    "total_bandwidth": "bytes/s shared by all file responses (0 = unlimited)",
    "min_file_size": "smallest file in bytes",
    "max_file_size": "largest file in bytes",
    "max_files_per_po": "most files on one PO",
    "not_found_share": "share of POs that show the 'Oops' page",
    "error_5xx_rate": "share of files whose first downloads get HTTP 503",
    "error_429_rate": "share of files whose first downloads get HTTP 429",
    "reset_rate": "share of files whose first downloads are reset mid-body",
    "truncate_rate": "share of files whose first downloads are truncated",
    "slow_page_rate": "share of PO pages that are slow on their first loads",
    "slow_page_seconds": "how slow a slow page is",
    "faults_per_file": "how many times a faulted file (or slow page) fails before it works",
    "session_expiry_requests": "a session dies after this many requests (0 = never)",
    "login_requires_person": "the identity provider shows a login form",
    "refuse_direct_downloads": "file requests without browser headers (Sec-Fetch-Mode) get 403",
    "hide_comment_file": "the comments app lists one file fewer than it states (a page read short)",
}


def add_knob_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `--po-count`, `--page-latency`, ... (one per `PortalKnobs` field, defaults from the dataclass)."""
    defaults = PortalKnobs()
    group = parser.add_argument_group("demo portal knobs")
    for knob in dataclasses.fields(PortalKnobs):
        option = "--" + knob.name.replace("_", "-")
        default = getattr(defaults, knob.name)
        help_text = _HELP.get(knob.name, knob.name)
        if isinstance(default, bool):
            group.add_argument(option, dest=knob.name, action="store_true", default=default, help=help_text)
        else:
            kind = type(default)
            group.add_argument(
                option,
                dest=knob.name,
                type=kind,
                default=default,
                metavar=kind.__name__.upper(),
                help=f"{help_text} (default {default})",
            )


def knobs_from_args(args: argparse.Namespace) -> PortalKnobs:
    values = {
        knob.name: getattr(args, knob.name) for knob in dataclasses.fields(PortalKnobs) if hasattr(args, knob.name)
    }
    return PortalKnobs(**values)


def serve(
    knobs: PortalKnobs,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
) -> int:
    """Run the portal (over HTTPS with `tls_cert`) until Ctrl+C; returns the process exit code (0)."""
    stopped = threading.Event()
    try:
        portal = DemoPortal(knobs, host=host, port=port, tls_cert=tls_cert, tls_key=tls_key)
    except (OSError, ssl.SSLError) as exc:
        raise InputError(f"Cannot use the certificate {tls_cert}: {exc}") from exc
    with portal:
        # One line a person (or a script) can read the URLs from; the CLI owns stderr here.
        sys.stderr.write(f"Demo portal: {portal.base_url}  identity provider: {portal.idp_url}  (Ctrl+C to stop)\n")
        sys.stderr.flush()
        log.info("demo portal serving at %s (identity provider %s)", portal.base_url, portal.idp_url)
        try:
            while not stopped.wait(0.5):
                pass
        except KeyboardInterrupt:
            log.info("demo portal stopped")
    return 0

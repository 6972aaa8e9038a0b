"""The command line: `run` (the job), `demo` (the job on the embedded demo portal), `demo-portal` (the server) and
`history` (the runs made on this machine).

No Qt here. Progress goes to stderr (a bar on a terminal, plain lines otherwise); with --json one JSON object per event
goes to stdout. Exit codes: 0 finished, 2 bad arguments/input, 3 sign-in needed, 4 browser/driver, 130 cancelled.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from core import __version__
from core.config import BROWSERS, DEFAULTS, EMAIL_MODES, RunConfig, resolve_settings, setting_text
from core.errors import EXIT_CANCELLED, EXIT_OK, EXIT_USAGE, InputError, OutputError
from core.logs import setup_logging
from core.printer import ProgressPrinter
from core.run.supervisor import Supervisor
from core.urls import DEFAULT_PO_URL_TEMPLATE


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's default exit code is 2 too; keep its message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="coupadownloads", description="Download every file attached to a list of Coupa POs.")
    parser.add_argument("--version", action="version", version=f"CoupaDownloads {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    run = sub.add_parser("run", help="process a spreadsheet of POs headless")
    run.add_argument("--input", required=True, type=Path, help="the .xlsx or .csv with the POs")
    run.add_argument("--output", required=True, type=Path, help="the run folder (created if missing)")
    _add_run_options(run)

    demo = sub.add_parser("demo", help="run the whole job on the embedded demo portal and its sample spreadsheet")
    demo.add_argument("--output", type=Path, help="run folder (default: ~/Downloads/CoupaDownloads/demo-<time>)")
    demo.add_argument("--workers", help=f"1-16 or auto (default {setting_text(DEFAULTS.workers)})")
    demo.add_argument("--json", action="store_true", help="one JSON object per event on stdout")
    demo.add_argument("--visible", action="store_true", help="show the browsers")

    history = sub.add_parser("history", help="list the runs made on this machine, newest first")
    history.add_argument("--json", action="store_true", help="one JSON array of runs on stdout")
    history.add_argument("--limit", type=int, help="show at most N runs")
    sub.add_parser("sign-out", help="delete the saved portal session and the sign-in browser's profile")

    portal = sub.add_parser("demo-portal", help="serve the Coupa-like demo portal")
    portal.add_argument("--host", default="127.0.0.1")
    portal.add_argument("--port", type=int, default=8765)
    portal.add_argument("--tls-cert", type=Path, help="serve HTTPS with this certificate (PEM, with its chain)")
    portal.add_argument("--tls-key", type=Path, help="the certificate's private key (PEM), if not in --tls-cert")
    from core.demo_portal.cli import add_knob_arguments

    add_knob_arguments(portal)
    from core.distributed.cli import add_commands

    add_commands(sub)
    return parser


def _add_run_options(run: argparse.ArgumentParser) -> None:
    default_workers = setting_text(DEFAULTS.workers)
    run.add_argument("--workers", help=f"parallel browsers: 1-16 or auto (default {default_workers}, or COUPA_WORKERS)")
    run.add_argument(
        "--downloads-per-worker",
        type=int,
        help=f"files downloaded at once per worker: 1-8 (default {DEFAULTS.downloads_per_worker})",
    )
    run.add_argument(
        "--pages-per-worker",
        type=int,
        help=f"POs each browser reads at once, each in its own tab: 1-8 (default {DEFAULTS.pages_per_worker})",
    )
    run.add_argument("--base-url", help="the Coupa portal, e.g. https://acme.coupahost.com (or COUPA_BASE_URL)")
    run.add_argument("--po-url-template", help=f"default: {DEFAULT_PO_URL_TEMPLATE}")
    run.add_argument("--sheet", help="the sheet to read (default PO_Data, else the first)")
    run.add_argument("--po-column", help="the PO column (default PO_NUMBER or a known alias)")
    run.add_argument("--browser", choices=BROWSERS, help="default: the first installed (or COUPA_BROWSER)")
    run.add_argument("--browser-binary", help="the browser program to use")
    run.add_argument("--driver", help="chromedriver/msedgedriver path (default: found on PATH or by Selenium Manager)")
    run.add_argument("--profile-dir", help="start from a copy of this browser profile (never used live)")
    shown = run.add_mutually_exclusive_group()
    shown.add_argument("--headless", dest="headless", action="store_true", default=None, help="hide browsers (default)")
    shown.add_argument("--visible", dest="headless", action="store_false", help="show browsers (sign in by hand)")
    run.add_argument("--no-requisition-fallback", action="store_true", help="don't take files from the requisition")
    run.add_argument("--redo-completed", action="store_true", help="process rows whose STATUS is COMPLETED too")
    run.add_argument("--resume", action="store_true", help="continue the unfinished run in --output")
    run.add_argument(
        "--emails",
        choices=EMAIL_MODES,
        help="saved .msg/.eml files: a PDF beside each and their attachments extracted (default), the PDF only, or off",
    )
    run.add_argument(
        "--retry", action="store_true", help="run again the FAILED, PARTIAL, CANCELLED and NO_ACCESS POs of --output"
    )
    run.add_argument("--description", default="", help="a few words to find this run again in the history")
    run.add_argument("--limit", type=int, help="process at most N POs")
    run.add_argument("--json", action="store_true", help="one JSON object per event on stdout")


def config_from_args(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> RunConfig:
    """Command-line options win over environment variables, which win over the window's remembered settings."""
    settings = resolve_settings(
        {
            "base_url": args.base_url,
            "workers": args.workers,
            "downloads_per_worker": args.downloads_per_worker,
            "pages_per_worker": args.pages_per_worker,
            "po_url_template": args.po_url_template,
            "browser": args.browser,
            "browser_binary": args.browser_binary,
            "driver_path": args.driver,
            "profile_dir": args.profile_dir,
            "headless": args.headless,
            "requisition_fallback": False if args.no_requisition_fallback else None,
            "emails": args.emails,
        },
        environ=environ,
    )
    return settings.run_config(
        args.input,
        args.output,
        sheet=args.sheet,
        po_column=args.po_column,
        redo_completed=args.redo_completed,
        resume=args.resume,
        retry=args.retry,
        description=args.description.strip(),
        limit=args.limit,
    )


def execute(config: RunConfig, *, json_output: bool) -> int:
    """Run the job with Ctrl+C wired to a clean cancel; return the exit code."""
    printer = ProgressPrinter(json_output=json_output)
    supervisor = Supervisor(config, printer)
    previous = signal.signal(signal.SIGINT, lambda *_: supervisor.cancel())
    try:
        return supervisor.run().exit_code
    finally:
        printer.close()  # also when the run failed before its end: the terminal gets its cursor back
        signal.signal(signal.SIGINT, previous)


def cmd_run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    return execute(config, json_output=args.json)


def cmd_demo(args: argparse.Namespace) -> int:
    from core.demo_portal import DemoPortal, PortalKnobs
    from core.paths import resource_path

    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    output = args.output or Path.home() / "Downloads" / "CoupaDownloads" / f"demo-{stamp}"
    with DemoPortal(PortalKnobs()).start() as portal:
        sys.stderr.write(f"Demo portal running at {portal.base_url}\n")
        overrides = {"base_url": portal.base_url, "workers": args.workers, "headless": not args.visible}
        config = resolve_settings(overrides).run_config(resource_path("sample_pos.xlsx"), output)
        return execute(config, json_output=args.json)


def cmd_history(args: argparse.Namespace) -> int:
    from core.run.history import History

    runs = History().runs(limit=args.limit)
    if args.json:
        sys.stdout.write(json.dumps([run.as_dict() for run in runs], ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    if not runs:
        sys.stdout.write("No runs yet.\n")
    for run in runs:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items())) or "-"
        words = f' "{run.description}"' if run.description else ""
        sys.stdout.write(
            f"{run.started_at.replace('T', ' ')}  {run.kind} {run.state}{words}\n"
            f"    {run.processed} POs in {run.seconds:.0f} s ({run.pos_per_minute:.1f} POs/min), {counts}\n"
            f"    input {run.input}\n    folder {run.folder}\n"
        )
    return EXIT_OK


def cmd_sign_out(_args: argparse.Namespace) -> int:
    from core.po.session import sign_out

    removed = sign_out()
    sys.stderr.write(f"Signed out: {removed} saved session(s) deleted. The next run signs in again.\n")
    return 0


def cmd_demo_portal(args: argparse.Namespace) -> int:
    from core.demo_portal.cli import knobs_from_args, serve

    if args.tls_key is not None and args.tls_cert is None:
        raise InputError("--tls-key needs --tls-cert.")
    return serve(knobs_from_args(args), args.host, args.port, tls_cert=args.tls_cert, tls_key=args.tls_key)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    setup_logging()
    commands = {
        "run": cmd_run,
        "demo": cmd_demo,
        "demo-portal": cmd_demo_portal,
        "history": cmd_history,
        "sign-out": cmd_sign_out,
    }
    try:
        from core.distributed.cli import run_command

        code = run_command(args)
        return code if code is not None else commands[args.command](args)
    except (InputError, OutputError) as exc:
        sys.stderr.write(f"Error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("Cancelled.\n")
        return EXIT_CANCELLED

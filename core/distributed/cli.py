"""The command line of many-machine runs: `worker` (a node), `submit` (enqueue a spreadsheet) and `collect`.

Wired into `core.cli` by two calls: `add_commands(sub)` in `build_parser()` and `run_command(args)` in `main()`.
The broker URL may carry a password and use TLS (`rediss://`); it is never printed or logged with its password.
Exit codes as for `run`: 0 finished, 2 bad arguments/input, 3 sign-in needed, 4 browser/driver, 130 not finished.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import redis
from kombu.exceptions import OperationalError  # type: ignore[import-untyped]

from core.config import BROWSERS, EMAIL_MODES, resolve_settings
from core.distributed.protocol import redact
from core.errors import InputError
from core.printer import ProgressPrinter
from core.urls import DEFAULT_PO_URL_TEMPLATE

BROKER_ENV = "COUPA_BROKER"
_OUTPUT_ROOT = Path.home() / "Downloads" / "CoupaDownloads"
POOLS = ("prefork", "threads", "solo")


def default_pool(platform: str = sys.platform) -> str:
    """Celery's prefork pool does not run on Windows: there each browser gets a thread of the node's process."""
    return "threads" if platform == "win32" else "prefork"


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    broker_help = (
        f"the Redis broker, e.g. redis://queue-host:6379/0 or rediss://:PASSWORD@queue-host:6380/0 (or {BROKER_ENV}, "
        "which keeps the password off the command line)"
    )

    worker = sub.add_parser("worker", help="run a node: take POs from the broker with this machine's sign-in")
    worker.add_argument("--broker", help=broker_help)
    worker.add_argument("--name", help="node name (default coupa@<host name>); unique per node")
    worker.add_argument("--concurrency", type=int, default=1, help="browsers (pool slots) at start (default 1)")
    worker.add_argument(
        "--pool",
        choices=POOLS,
        help=f"Celery pool: one browser per process (prefork) or per thread (threads); default {default_pool()} here",
    )
    worker.add_argument(
        "--output-root", type=Path, help=f"the only folder this node writes in, e.g. the share (default {_OUTPUT_ROOT})"
    )
    worker.add_argument(
        "--max-workers", type=int, help="let the pending-work autoscaler grow the node up to this many browsers"
    )
    worker.add_argument("--autoscale-interval", type=float, help="seconds between scaling checks (default 60)")
    worker.add_argument(
        "--visibility-timeout", type=float, default=3600.0, help="seconds before a lost node's POs are re-delivered"
    )
    worker.add_argument("--lease-seconds", type=float, default=60.0, help=argparse.SUPPRESS)
    worker.add_argument("--base-url", help="the Coupa portal (or COUPA_BASE_URL)")
    worker.add_argument("--browser", choices=BROWSERS, help="default: the first installed (or COUPA_BROWSER)")
    worker.add_argument("--browser-binary", help="the browser program to use")
    worker.add_argument("--driver", help="chromedriver/msedgedriver path")
    worker.add_argument("--profile-dir", help="start from a copy of this browser profile (never used live)")
    worker.add_argument("--downloads-per-worker", type=int, help="files downloaded at once per browser: 1-8")
    worker.add_argument("--visible", action="store_true", help="show the browsers")
    worker.add_argument("--logfile", help="write the node's log here instead of stderr")
    worker.add_argument("--loglevel", default="INFO", help="DEBUG, INFO (default), WARNING")

    submit = sub.add_parser("submit", help="enqueue one task per PO of a spreadsheet for the nodes")
    submit.add_argument("--input", required=True, type=Path, help="the .xlsx or .csv with the POs")
    submit.add_argument("--output", required=True, type=Path, help="the run folder every node writes to (shared)")
    submit.add_argument(
        "--output-root", type=Path, help="this machine's path of the nodes' --output-root (default: --output's parent)"
    )
    submit.add_argument("--broker", help=broker_help)
    submit.add_argument("--base-url", help="the Coupa portal (or COUPA_BASE_URL)")
    submit.add_argument("--po-url-template", help=f"default: {DEFAULT_PO_URL_TEMPLATE}")
    submit.add_argument("--sheet", help="the sheet to read (default PO_Data, else the first)")
    submit.add_argument("--po-column", help="the PO column (default PO_NUMBER or a known alias)")
    submit.add_argument("--no-requisition-fallback", action="store_true", help="don't take files from the requisition")
    submit.add_argument("--emails", choices=EMAIL_MODES, help="saved e-mails: pdf+attachments (default), pdf or off")
    submit.add_argument("--redo-completed", action="store_true", help="process rows whose STATUS is COMPLETED too")
    submit.add_argument("--limit", type=int, help="submit at most N POs")
    submit.add_argument("--wait", action="store_true", help="then collect the results (as `collect`)")
    submit.add_argument("--timeout", type=float, help="with --wait: stop waiting after this many seconds")
    submit.add_argument("--json", action="store_true", help="one JSON object per event on stdout")

    collect = sub.add_parser("collect", help="journal the results of a submitted run and write its report")
    collect.add_argument("--output", required=True, type=Path, help="the run folder, as this machine sees it")
    collect.add_argument("--run-id", help="the run submit printed (needed when the run was submitted elsewhere)")
    collect.add_argument("--broker", help=broker_help)
    collect.add_argument("--timeout", type=float, help="stop waiting after this many seconds (default: until done)")
    collect.add_argument("--json", action="store_true", help="one JSON object per event on stdout")


def run_command(args: argparse.Namespace) -> int | None:
    """Run `worker`, `submit` or `collect`; None when the command is not one of these."""
    commands = {"worker": cmd_worker, "submit": cmd_submit, "collect": cmd_collect}
    command = commands.get(getattr(args, "command", None) or "")
    if command is None:
        return None
    try:
        return command(args)
    except (redis.RedisError, OperationalError) as exc:  # unreachable, wrong password, TLS refused: not a bug
        raise InputError(f"Cannot use the Redis broker {redact(_broker(args))}: {exc}") from None


def _broker(args: argparse.Namespace) -> str:
    broker = args.broker or os.environ.get(BROKER_ENV, "")
    if not broker.startswith(("redis://", "rediss://", "unix://")):
        raise InputError(f"Give the Redis broker: --broker redis://HOST:6379/0 (or set {BROKER_ENV}).")
    return str(broker)


def cmd_worker(args: argparse.Namespace) -> int:
    from core.distributed.node import NodeSettings, run_node

    broker = _broker(args)
    if args.concurrency < 1 or (args.max_workers is not None and args.max_workers < 1):
        raise InputError("--concurrency and --max-workers must be at least 1.")
    pool = args.pool or default_pool()
    if args.max_workers and pool != "prefork":
        raise InputError(f"--max-workers needs the prefork pool; with --pool {pool} set --concurrency.")
    output_root = (args.output_root or _OUTPUT_ROOT).expanduser()
    try:
        output_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"Cannot use the output root {output_root}: {exc.strerror or exc}.") from exc
    settings = resolve_settings(
        {
            "base_url": args.base_url,
            "browser": args.browser,
            "browser_binary": args.browser_binary,
            "driver_path": args.driver,
            "profile_dir": args.profile_dir,
            "downloads_per_worker": args.downloads_per_worker,
            "headless": not args.visible,  # a node is headless unless asked here, whatever the window remembers
        }
    )
    config = settings.run_config(Path(), output_root)  # each task names its run folder under the output root
    if not args.logfile:
        logging.getLogger().addHandler(logging.StreamHandler(sys.stderr))
    extra = {"autoscale_interval": args.autoscale_interval} if args.autoscale_interval else {}
    return run_node(
        NodeSettings(broker, config, output_root.resolve(), pool, lease_seconds=args.lease_seconds),
        name=args.name,
        concurrency=args.concurrency,
        max_workers=args.max_workers,
        visibility_timeout=args.visibility_timeout,
        loglevel=args.loglevel,
        logfile=args.logfile,
        **extra,
    )


def cmd_submit(args: argparse.Namespace) -> int:
    from core.distributed.submit import submit_run

    broker = _broker(args)
    if not args.input.is_file():
        raise InputError(f"The input file {args.input} does not exist.")
    settings = resolve_settings(
        {
            "base_url": args.base_url,
            "po_url_template": args.po_url_template,
            "requisition_fallback": False if args.no_requisition_fallback else None,
            "emails": args.emails,
        }
    )
    config = settings.run_config(
        args.input,
        args.output,
        sheet=args.sheet,
        po_column=args.po_column,
        redo_completed=args.redo_completed,
        limit=args.limit,
    )
    outcome = submit_run(config, broker, output_root=args.output_root)
    sys.stderr.write(
        f"Run {outcome.run_id}: {outcome.enqueued} PO(s) sent to the nodes, {outcome.already_queued} already queued, "
        f"{outcome.already_done} already done (of {outcome.total}).\n"
    )
    if not args.wait:
        return 0
    return _collect(args.output, broker, outcome.run_id, args.timeout, json_output=args.json)


def cmd_collect(args: argparse.Namespace) -> int:
    return _collect(args.output, _broker(args), args.run_id, args.timeout, json_output=args.json)


def _collect(output: Path, broker: str, run_id: str | None, timeout: float | None, *, json_output: bool) -> int:
    from core.distributed.collect import collect_run

    printer = ProgressPrinter(json_output=json_output)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        outcome = collect_run(output, broker, run_id=run_id, timeout=timeout, on_event=printer, cancel=stop)
        return outcome.exit_code
    finally:
        printer.close()
        signal.signal(signal.SIGINT, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m core.distributed.cli worker|submit|collect ...` (the same commands as `main.py`)."""
    parser = argparse.ArgumentParser(prog="coupadownloads")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        code = run_command(args)
    except InputError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        return 2
    return 2 if code is None else code


if __name__ == "__main__":
    sys.exit(main())

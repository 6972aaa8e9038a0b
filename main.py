"""CoupaDownloads entry point: no arguments opens the window; `run`, `demo` and `demo-portal` are the CLI."""

from __future__ import annotations

import multiprocessing
import sys


def main() -> int:
    # First thing: in a frozen app, spawned worker processes re-enter here and must run their target instead.
    multiprocessing.freeze_support()
    if not sys.argv[1:] or sys.argv[1:] == ["--demo"]:
        from gui.app import run_gui

        return run_gui(demo=sys.argv[1:] == ["--demo"])
    from core.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())

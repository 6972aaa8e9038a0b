"""Soak: thousands of POs through `main.py run --json` on the demo portal, to see whether anything degrades with time.

    python -m benchmarks.soak                 # 5,000 POs, 2 workers x the default K (20-30 minutes on 2 cores)
    python -m benchmarks.soak --pos 1000

The app runs as a separate process, exactly as a user starts it; the demo portal (low latency, small files) runs in
this process. Measured: POs/min of the first and the last 10% of POs (from their PoFinished times, so browser start
and sign-in are not in the first 10%); PSS of all our processes (the app's process tree: supervisor, workers,
chromedriver, browsers) every few seconds, its peak and the mean over the first vs the last 10% of the working time
(first to last PoFinished); the time from the last PoFinished to RunFinished (the report written). Then the window
is fed the run's journal (`python -m benchmarks.window_feed --journal PATH`, when that module exists) and its worst
event-loop delay is printed. Writes benchmarks/results/soak/soak.json and rebuilds benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from statistics import mean
from typing import Any

import psutil

from benchmarks.measure import MiB
from benchmarks.report import RESULTS_DIR, write_outputs
from benchmarks.run import command_line, compare_files, ours_files
from benchmarks.sections import soak_targets, targets_table
from core.config import DEFAULTS
from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from core.paths import journal_path

log = logging.getLogger("benchmarks.soak")

ROOT = Path(__file__).resolve().parent.parent
SOAK_FILE = RESULTS_DIR / "soak" / "soak.json"
WINDOW_FEED = ROOT / "benchmarks" / "window_feed.py"
WINDOW_FEED_TIMEOUT = 1200.0


def soak_knobs(pos: int) -> PortalKnobs:
    """Low latency and small files: the run is as fast as the machine allows, so wear shows within minutes."""
    return PortalKnobs(
        po_count=pos,
        page_latency=0.02,
        comments_delay=0.05,
        min_file_size=1_000,
        max_file_size=20_000,
        max_files_per_po=2,
        not_found_share=0.15,
    )


@dataclass
class Watch:
    """What the soak sees of the app while it runs: event times from its --json output and PSS samples."""

    finished: list[float] = field(default_factory=list)  # monotonic time of each PoFinished
    folders: dict[str, str] = field(default_factory=dict)
    run_finished: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)  # the RunFinished event
    pss: list[tuple[float, int]] = field(default_factory=list)  # (monotonic time, PSS of the app's process tree)


def _read_events(stream: Any, watch: Watch) -> None:
    for line in stream:
        now = time.monotonic()
        head = line[:40]  # {"event": "<kind>", ...: only the two kinds the soak needs are parsed
        if '"po_finished"' in head:
            result = json.loads(line)["result"]
            watch.finished.append(now)
            watch.folders[result["po_key"]] = result["folder"]
        elif '"run_finished"' in head:
            watch.run_finished = now
            watch.summary = json.loads(line)


def _tree_pss(process: psutil.Process) -> int:
    total = 0
    with contextlib.suppress(psutil.Error):
        for member in [process, *process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += member.memory_full_info().pss
    return total


def _sample_memory(process: psutil.Process, watch: Watch, stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        pss = _tree_pss(process)
        if pss:
            watch.pss.append((time.monotonic(), pss))
        stop.wait(interval)


def rate_per_minute(times: list[float]) -> float:
    """POs per minute over a run of finish times (n finishes span n - 1 intervals)."""
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    return 60 * (len(times) - 1) / span if span > 0 else 0.0


def tenth_rates(finished: list[float]) -> tuple[float, float]:
    """POs/min of the first and of the last 10% of POs."""
    times = sorted(finished)
    n = max(2, len(times) // 10)
    return rate_per_minute(times[:n]), rate_per_minute(times[-n:])


def tenth_pss(samples: list[tuple[float, int]], start: float, end: float) -> tuple[float, float]:
    """Mean PSS (MiB) of the samples in the first and in the last 10% of [start, end] (a window shorter than the
    sampling interval holds no sample: the one nearest its middle stands for it)."""
    tenth = (end - start) / 10

    def window_mean(low: float, high: float) -> float:
        inside = [pss for t, pss in samples if low <= t <= high]
        if not inside and samples:
            inside = [min(samples, key=lambda s: abs(s[0] - (low + high) / 2))[1]]
        return mean(inside) / MiB if inside else 0.0

    return window_mean(start, start + tenth), window_mean(end - tenth, end)


def window_feed(journal: Path, workers: int, pages: int) -> dict[str, Any]:
    """Runs benchmarks.window_feed on the journal (the run's POs interleaved as its workers x pages ran them, over
    window_feed's default minute: faster than the run, a harder test); its output and the worst event-loop delay."""
    if not WINDOW_FEED.exists():
        return {"note": "not run: benchmarks/window_feed.py is not on main"}
    feed = ["--journal", str(journal), "--workers", str(workers), "--pages-per-worker", str(pages)]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.window_feed", *feed],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=WINDOW_FEED_TIMEOUT,
        check=False,
    )
    output = (done.stdout + done.stderr[-2000:]).strip()
    worst = None
    for line in output.splitlines():
        found = re.search(r"(\d+(?:\.\d+)?)\s*ms", line)
        if found and "worst" in line.lower():
            worst = float(found.group(1))
    note = "" if done.returncode == 0 else f"window_feed exited with {done.returncode}"
    return {"output": output, "worst_ms": worst, "exit_code": done.returncode, "note": note or "no worst delay printed"}


def run_app(portal: DemoPortal, sheet: Path, output: Path, workers: int, pages: int, interval: float) -> Watch:
    """`main.py run --json` on the sheet, watched until it exits."""
    command = [
        sys.executable, str(ROOT / "main.py"), "run", "--input", str(sheet), "--output", str(output),
        "--base-url", portal.base_url, "--workers", str(workers), "--pages-per-worker", str(pages), "--json",
    ]  # fmt: skip
    env = {**os.environ, "COUPA_DATA_DIR": str(output.parent / "appdata")}
    watch = Watch()
    stop = threading.Event()
    with (output.parent / "app-stderr.log").open("w", encoding="utf-8") as errors:
        app = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True, encoding="utf-8"
        )
        sampler = threading.Thread(
            target=_sample_memory, args=(psutil.Process(app.pid), watch, stop, interval), daemon=True
        )
        sampler.start()
        _read_events(app.stdout, watch)
        app.wait()
        stop.set()
        sampler.join(timeout=interval + 5)
    watch.summary.setdefault("exit_code", app.returncode)
    return watch


def wrong_files(portal: DemoPortal, folders: dict[str, str]) -> list[str]:
    """Every PO whose saved files differ from the dataset's expected files (sha256 multisets)."""
    got = ours_files(folders)
    dataset = portal.dataset
    problems = []
    for po in dataset.pos:
        problem = compare_files(
            po.po_key, [f.sha256 for f in dataset.expected_files(po.po_key)], got.get(po.po_key, [])
        )
        if problem:
            problems.append(problem)
    return problems


def measure(pos: int, workers: int, pages: int, interval: float) -> dict[str, Any]:
    knobs = soak_knobs(pos)
    scratch = Path(tempfile.mkdtemp(prefix="coupa-soak-"))
    try:
        with DemoPortal(knobs).start() as portal:
            sheet = write_sample_spreadsheet(portal.dataset, scratch / "input.xlsx")
            output = scratch / "run"
            started = time.monotonic()
            watch = run_app(portal, sheet, output, workers, pages, interval)
            wall = time.monotonic() - started
            wrong = wrong_files(portal, watch.folders)
        if not watch.finished:
            raise SystemExit(f"The app finished no PO (exit {watch.summary.get('exit_code')}); see its log.")
        first_rate, last_rate = tenth_rates(watch.finished)
        pss_first, pss_last = tenth_pss(watch.pss, min(watch.finished), max(watch.finished))
        print("feeding the window the run's journal ...", flush=True)
        feed = window_feed(journal_path(output), workers, pages)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "pos": pos,
        "workers": workers,
        "pages_per_worker": pages,
        "knobs": asdict(knobs),
        "wall": round(wall, 1),
        "rate_all": round(60 * len(watch.finished) / wall, 1),
        "finished": len(watch.finished),
        "first_rate": round(first_rate, 1),
        "last_rate": round(last_rate, 1),
        "rate_change": round(last_rate / first_rate - 1, 3) if first_rate else 0.0,
        "peak_pss_mib": round(max((p for _t, p in watch.pss), default=0) / MiB, 1),
        "pss_first_mib": round(pss_first, 1),
        "pss_last_mib": round(pss_last, 1),
        "pss_change": round(pss_last / pss_first - 1, 3) if pss_first else 0.0,
        "pss_samples": len(watch.pss),
        "report_seconds": round(watch.run_finished - max(watch.finished), 2) if watch.run_finished else -1.0,
        "exit_code": watch.summary.get("exit_code", -1),
        "counts": watch.summary.get("counts", {}),
        "wrong_files": len(wrong),
        "mismatches": wrong[:20],
        "load_average": round(os.getloadavg()[0], 1),
        "window_feed": feed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--pos", type=int, default=5000, help="POs in the run (default 5000)")
    parser.add_argument("--workers", type=int, default=2, help="workers (default 2)")
    parser.add_argument(
        "--pages-per-worker",
        type=int,
        default=DEFAULTS.pages_per_worker,
        help=f"POs each worker keeps in flight (default: the app's, {DEFAULTS.pages_per_worker})",
    )
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between PSS samples (default 2)")
    parser.add_argument("--note", default="", help="a sentence to print with the results (e.g. why fewer POs)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    print(
        f"soak: {args.pos} POs, {args.workers} workers x K={args.pages_per_worker}, started {datetime.now():%H:%M:%S}",
        flush=True,
    )
    data = measure(args.pos, args.workers, args.pages_per_worker, args.interval)
    data.update(
        command=command_line("benchmarks.soak", argv).rstrip(),
        run_at=datetime.now().isoformat(timespec="seconds"),
        note=args.note,
    )
    SOAK_FILE.parent.mkdir(parents=True, exist_ok=True)
    SOAK_FILE.write_text(json.dumps(data, indent=2), encoding="utf-8")
    write_outputs()
    print(json.dumps({k: v for k, v in data.items() if k not in ("knobs", "window_feed", "mismatches")}, indent=1))
    if data["window_feed"].get("output"):
        print("window_feed:\n" + data["window_feed"]["output"])
    print("\n".join(targets_table(soak_targets(data))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

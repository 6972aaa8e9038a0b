"""The parts of benchmarks/RESULTS.md besides the scenario tables: how the numbers are made, the K sweep, the soak
and the many-machines run. Each section is built from its results files (JSON dicts); no results, no section."""

from __future__ import annotations

from typing import Any

HOW_THE_NUMBERS_ARE_MADE = [
    "- The network is the embedded demo portal (`core/demo_portal`) with the knobs in `benchmarks/scenario.py`:",
    "  every HTML page and the comments JSON answer after `page_latency`; comments are rendered by the page's",
    "  script `comments_delay` after load; each download is capped per connection and all downloads share one",
    "  link cap (token bucket). The portal runs in the runner's process (its CPU is not in the workers' CPU).",
    "- Scenarios: `full` (50 POs, 0.4 s pages, 8 MB/s link), `tenant` (a real tenant: 2.5 s pages, comments 1.0 s",
    "  after load, 40 POs, 1.5 MB/s per connection, files 50 KB–2 MB; link 12 MB/s, chosen so that it never",
    "  dominates: its 52 MB take 4.3 s on the link against 6 s of page + comments per PO) and `quick`.",
    "- **ours**: `Supervisor(RunConfig(..., workers=N, pages_per_worker=K, headless=True)).run()` — the engine",
    "  exactly as the CLI drives it, with a fresh `COUPA_DATA_DIR` per run (every run signs in from scratch). K is",
    "  the app's default (`pages/worker` column) unless said otherwise.",
    "- **old**: `benchmarks/baseline.py`, the old approach written directly on Selenium: a new Chromium per",
    "  PO, SSO on the way in, fixed `WebDriverWait` (5 s) for `li.attachment` and for the comments, click each",
    "  attachment and wait for the browser download (`.crdownload` polling), one at a time, quit the browser.",
    "  N worker processes each doing browser-per-PO. Its wall time is estimated first (`benchmarks/old_sample.py`);",
    "  when the estimate exceeds the time budget (12 min, `--old-budget`), it runs the first POs only (at least",
    "  one cycle of the dataset's 13 cases) and its wall time is scaled per PO — fair for a tool that starts a new",
    "  browser for every PO. Such rows are marked \\* with the sample's size and bytes.",
    "- Both are checked file by file: sha256 of every saved file vs. the dataset's expected files (multiset per",
    "  PO). Any mismatch is listed below; MB/s counts only verified bytes.",
    "- **Link limit** (strict): `max(total bytes / link cap, largest file / per-connection cap) + first page time`,",
    "  with first page time = page latency + comments delay + page latency (the comments request). Other page",
    "  loads can overlap with other workers' downloads, so they are not added. **Lenient** (the issue's literal",
    "  formula): `total bytes / link cap + POs x first page time / workers`. Link share = limit / wall time.",
    "- Wall time covers everything a user waits for: worker and browser start, sign-in, all POs, shutdown.",
    "- Machine CPU % is the whole machine (other programs included); load avg is the 1-minute load at the end of",
    "  the run. Old and ours run back to back per worker count, so both see the same background load.",
    "- Peak PSS per worker: every 0.5 s, PSS of each worker process plus all its descendants (chromedriver,",
    "  Chromium and renderers), max over the run and over workers. PSS per PO in flight = peak PSS per worker / K.",
    "  CPU s: user+system of those process trees.",
    "- Per-PO breakdown, ours: from event arrival times at the supervisor — page = PoStarted→AttachmentsFound",
    "  (page load + script settle + reading + requisition fallback), downloading = →last FileDone,",
    "  finalizing = →PoFinished; run startup = run start→first PoStarted, shutdown = last PoFinished→return.",
    "  `python -m benchmarks.breakdown` times navigation, script settle, DOM read, parsing, downloads and",
    "  finalizing inside one in-process worker. Old: timestamps inside `baseline.py`.",
    "- K sweep (`python -m benchmarks.sweep`): ours at 1 worker on `tenant` and `full` with K = 1, 2, 4, 8, one",
    "  run each, back to back in one invocation.",
    "- Soak (`python -m benchmarks.soak`): `main.py run --json` as a separate process on the demo portal (many",
    "  POs, low latency, small files). POs/min of the first and the last 10% of POs from their PoFinished times",
    "  (startup excluded); PSS of all our processes (the CLI's process tree: supervisor, workers, browsers) every",
    "  few seconds, mean of the first vs the last 10% of the working time (first to last PoFinished); report time",
    "  = last PoFinished → RunFinished (the report written). Then `python -m benchmarks.window_feed` replays the",
    "  run's journal into the window and prints its worst event-loop delay.",
]


def targets_table(verdicts: list[tuple[str, str, bool | None]]) -> list[str]:
    """The targets as a markdown table; met is yes, NO, or — when the target was not measured."""
    met = {True: "yes", False: "NO", None: "—"}
    return ["| target | measured | met |", "|---|---|---|"] + [f"| {t} | {m} | {met[ok]} |" for t, m, ok in verdicts]


def sweep_table(data: dict[str, Any]) -> list[str]:
    lines = [
        "| K (pages/worker) | wall s | POs/min | peak PSS/worker MiB | PSS per PO in flight MiB | CPU s | load avg "
        "| wrong files |",
        "|" + "---|" * 8,
    ]
    for r in sorted(data["rows"], key=lambda r: r["pages_per_worker"]):
        load = f"{r['load_average']:.1f}" if r.get("load_average") else "—"
        lines.append(
            f"| {r['pages_per_worker']} | {r['wall']:.1f} | {r['pos_per_min']:.1f} | {r['peak_pss_mib']:.0f} "
            f"| {r['pss_per_page_mib']:.0f} | {r['cpu_seconds']:.0f} | {load} | {r['wrong_files']} |"
        )
    return lines


def sweep_section(results: list[dict[str, Any]]) -> list[str]:
    """The K sweep: one table per scenario, ours at 1 worker."""
    if not results:
        return []
    parts = ["## Pages per worker (K): ours at 1 worker", ""]
    for data in sorted(results, key=lambda d: d["scenario"]["name"] != "tenant"):
        sc = data["scenario"]
        parts += [
            f"### `{sc['name']}` — {sc['po_count']} POs, {data['workers']} worker ({data['run_at']})",
            "",
            f"Command: `{data['command']}`",
            "",
            *sweep_table(data),
            "",
        ]
    return parts


def _percent(value: float) -> str:
    return f"{100 * value:+.1f}%"


def soak_targets(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    out: list[tuple[str, str, bool | None]] = [
        (
            "soak: last-10% POs/min within 15% of the first 10%",
            f"{data['first_rate']:.0f} → {data['last_rate']:.0f} POs/min ({_percent(data['rate_change'])})",
            abs(data["rate_change"]) <= 0.15,
        ),
        (
            "soak: PSS flat within 10% (mean of first vs last 10% of the time)",
            f"{data['pss_first_mib']:.0f} → {data['pss_last_mib']:.0f} MiB ({_percent(data['pss_change'])})",
            abs(data["pss_change"]) <= 0.10,
        ),
        (
            "soak: report ≤ 20 s after the last PO",
            f"{data['report_seconds']:.1f} s",
            data["report_seconds"] <= 20.0,
        ),
    ]
    feed = data.get("window_feed") or {}
    worst = feed.get("worst_ms")
    if worst is not None:
        out.append(
            (
                f"soak: worst event-loop delay < 100 ms with {data['pos']} result rows",
                f"{worst:.0f} ms",
                worst < 100.0,
            )
        )
    else:
        out.append(
            (
                f"soak: worst event-loop delay < 100 ms with {data['pos']} result rows",
                feed.get("note", "not run"),
                None,
            )
        )
    return out


def soak_section(results: list[dict[str, Any]]) -> list[str]:
    """The soak's table, note, window figures and targets, per soak results file."""
    parts: list[str] = []
    for data in results:
        knobs, feed = data["knobs"], data.get("window_feed") or {}
        parts += [
            f"## Soak — {data['pos']} POs, {data['workers']} workers x K={data['pages_per_worker']} ({data['run_at']})",
            "",
            f"Command: `{data['command']}`",
            "",
            f"Knobs: page latency {knobs['page_latency']} s, comments delay {knobs['comments_delay']} s, files "
            f"{knobs['min_file_size'] / 1e3:.0f}–{knobs['max_file_size'] / 1e3:.0f} KB, up to "
            f"{knobs['max_files_per_po']} per PO, not-found share {knobs['not_found_share']:.0%}.",
            "",
            "| POs | wall s | POs/min (all) | POs/min first 10% | POs/min last 10% | peak PSS MiB (all processes) "
            "| PSS first 10% MiB | PSS last 10% MiB | last PO → report s | exit | wrong files | load avg |",
            "|" + "---|" * 12,
            f"| {data['pos']} | {data['wall']:.0f} | {data['rate_all']:.0f} | {data['first_rate']:.0f} "
            f"| {data['last_rate']:.0f} | {data['peak_pss_mib']:.0f} | {data['pss_first_mib']:.0f} "
            f"| {data['pss_last_mib']:.0f} | {data['report_seconds']:.1f} | {data['exit_code']} "
            f"| {data['wrong_files']} | {data['load_average']:.1f} |",
            "",
        ]
        if data.get("note"):
            parts += [data["note"], ""]
        if feed.get("output"):
            parts += ["Window fed the run's journal (`python -m benchmarks.window_feed`):", "", "```"]
            parts += [feed["output"].rstrip(), "```", ""]
        parts += [*targets_table(soak_targets(data)), ""]
    return parts


def distributed_section(results: list[dict[str, Any]]) -> list[str]:
    """The many-machines rows (`python -m benchmarks.distributed`), when they have been measured."""
    parts: list[str] = []
    for data in results:
        knobs = data["knobs"]
        parts += [
            f"## Many machines: Celery nodes on one machine ({data['when']})",
            "",
            "Command: `python -m benchmarks.distributed` (a private redis-server, real `main.py worker` nodes, "
            f"`main.py submit --wait`); demo portal with page latency {knobs['page_latency']} s and "
            f"{knobs['per_connection_bandwidth'] / 1e6:.1f} MB/s per connection. Time from submit to report, nodes"
            " booted.",
            "",
            "| layout | POs | wall s | POs/min | nodes ready after s |",
            "|---|---|---|---|---|",
        ]
        parts += [
            f"| {r['layout']} | {r['pos']} | {r['wall']:.1f} | {r['per_minute']:.1f} | {r['boot']:.1f} |"
            for r in data["rows"]
        ]
        parts += [""]
    return parts

"""Side-by-side benchmark: our engine vs. the old approach, on the demo portal with realistic network knobs.

    python -m benchmarks.run                    # the 50-PO scenario `full`, workers 1, 2, 4 (about 15 minutes)
    python -m benchmarks.run --scenario tenant  # a real tenant's slow pages, workers 1 and 4 (about 15 minutes)
    python -m benchmarks.run --quick            # 8 POs, small files (under three minutes)

Ours runs with the app's default pages per worker (K) unless --pages-per-worker says otherwise. The old approach's
time is estimated first; over --old-budget it runs a sample of the POs and is scaled per PO (benchmarks/old_sample.py).
Prints the table (ratios measured in this one run), writes benchmarks/results/<scenario>.json, then rebuilds
benchmarks/RESULTS.md and benchmarks/chart.png from every results file present (a quick run keeps the full run's).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from statistics import mean
from typing import Any

from benchmarks.baseline import BaselinePo, run_baseline
from benchmarks.measure import Sampler, Usage
from benchmarks.old_sample import OLD_BUDGET_SECONDS, OldPlan, plan_old
from benchmarks.report import RESULTS_DIR, derived, format_table, machine_description, targets, write_outputs
from benchmarks.scenario import SCENARIOS, Scenario
from core.config import DEFAULTS
from core.demo_portal import DemoPortal
from core.demo_portal.dataset import DemoDataset, write_sample_spreadsheet
from core.events import AttachmentsFound, Event, FileDone, PoFinished, PoStarted
from core.po.emails import is_email_product
from core.po.folders import sha256_file

log = logging.getLogger("benchmarks")


@dataclass
class PoTiming:
    po_key: str
    seconds: float
    not_found: bool
    page: float = 0.0  # open + scripts + read (ours: PoStarted -> AttachmentsFound)
    downloading: float = 0.0
    finalizing: float = 0.0
    fixed_waits: float = 0.0  # baseline only
    browser_start: float = 0.0  # baseline only


@dataclass
class RunRow:
    approach: str  # "ours" | "baseline"
    workers: int
    wall: float
    bytes_ok: int
    pos: int
    mismatches: list[str] = field(default_factory=list)
    not_found_seconds: float = 0.0
    peak_pss_mib: float = 0.0
    cpu_seconds: float = 0.0
    system_cpu_percent: float = 0.0
    breakdown: dict[str, float] = field(default_factory=dict)  # mean seconds per PO by phase
    startup: float = 0.0  # run start -> first PO started (workers, browsers, sign-in)
    shutdown: float = 0.0  # last PO finished -> run returned
    load_average: float = 0.0  # 1-minute load average at the end: shows other work competing for the CPUs
    pages_per_worker: int = 1  # POs one worker keeps in flight (the old approach: one)
    # The old approach on a sample (benchmarks/old_sample.py): `wall` is scaled per PO to all `pos`.
    sampled_pos: int = 0  # 0 = every PO was run
    measured_wall: float = 0.0  # the sample's own wall time (its verified bytes flowed in this time)
    sampled_bytes_share: float = 0.0  # the sample's expected bytes / all POs' expected bytes
    estimate: float = 0.0  # the old approach's estimated wall time on all POs

    @property
    def pos_per_min(self) -> float:
        return 60 * self.pos / self.wall if self.wall else 0.0

    @property
    def mb_per_s(self) -> float:
        seconds = self.measured_wall or self.wall
        return self.bytes_ok / 1e6 / seconds if seconds else 0.0


# -- verification --------------------------------------------------------------------------------------------------
def compare_files(po_key: str, expected: Iterable[str], got: Iterable[str]) -> str:
    """'' when the multisets of sha256 match, else a sentence saying what is missing or extra."""
    want, have = sorted(expected), sorted(got)
    if want == have:
        return ""
    missing = len([h for h in set(want) if want.count(h) > have.count(h)])
    extra = len([h for h in set(have) if have.count(h) > want.count(h)])
    return f"PO {po_key}: expected {len(want)} files, got {len(have)} ({missing} missing/short, {extra} extra/wrong)"


# -- the two approaches --------------------------------------------------------------------------------------------
def _fresh_data_dir(scratch: Path, label: str) -> None:
    # Every run starts signed out, like the baseline's fresh browsers: no session carried between runs.
    data_dir = scratch / f"appdata-{label}"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["COUPA_DATA_DIR"] = str(data_dir)


def run_ours(
    portal: DemoPortal, sheet: Path, scratch: Path, workers: int, pages: int
) -> tuple[float, list[PoTiming], dict[str, str], tuple[float, float]]:
    """Our engine through its Python API (Supervisor), exactly as the CLI drives it."""
    from core.config import RunConfig
    from core.run.supervisor import Supervisor

    label = f"ours-{workers}x{pages}"
    _fresh_data_dir(scratch, label)
    output = scratch / label
    config = RunConfig(
        sheet, output, portal.base_url, workers=workers, pages_per_worker=pages, headless=True
    ).validated()
    stamps: dict[str, dict[str, float]] = {}
    results: dict[str, PoFinished] = {}

    def on_event(event: Event) -> None:
        now = time.monotonic()
        key = getattr(event, "po_key", None) or (event.result.po_key if isinstance(event, PoFinished) else None)
        if key is None:
            return
        marks = stamps.setdefault(key, {})
        if isinstance(event, PoStarted):
            marks["start"] = now
        elif isinstance(event, AttachmentsFound):
            marks["found"] = now
        elif isinstance(event, FileDone):
            marks["last_file"] = now
        elif isinstance(event, PoFinished):
            marks["end"] = now
            results[key] = event

    started = time.monotonic()
    Supervisor(config, on_event).run()
    ended = time.monotonic()
    wall = ended - started
    first = min((m["start"] for m in stamps.values() if "start" in m), default=started)
    last_end = max((m["end"] for m in stamps.values() if "end" in m), default=ended)
    edges = (round(first - started, 2), round(ended - last_end, 2))
    timings: list[PoTiming] = []
    folders: dict[str, str] = {}
    for key, finished in results.items():
        marks = stamps.get(key, {})
        result = finished.result
        not_found = result.status.value in ("PO_NOT_FOUND", "NO_ACCESS")  # pages without PO content
        start, end = marks.get("start", 0.0), marks.get("end", 0.0)
        found = marks.get("found", end)
        last = max(marks.get("last_file", found), found)
        timings.append(
            PoTiming(
                key, result.seconds, not_found, page=found - start, downloading=last - found, finalizing=end - last
            )
        )
        folders[key] = result.folder
    return wall, timings, folders, edges


def ours_files(folders: dict[str, str]) -> dict[str, list[str]]:
    hashes: dict[str, list[str]] = {}
    for key, folder in folders.items():
        path = Path(folder) if folder else None
        # Only the portal's files: the baseline makes no PDFs of e-mails.
        found = (
            sorted(p for p in path.iterdir() if p.is_file() and not is_email_product(p))
            if path and path.is_dir()
            else []
        )
        hashes[key] = [sha256_file(p) for p in found]
    return hashes


def measure(
    approach: str,
    workers: int,
    portal: DemoPortal,
    sheet: Path,
    keys: list[str],
    scratch: Path,
    scenario: Scenario,
    pages: int = 1,
) -> RunRow:
    """One run of one approach; `keys` are the POs it must get right (the old approach runs exactly these)."""
    dataset = portal.dataset
    got_errors: dict[str, str] = {}
    edges = (0.0, 0.0)
    with Sampler() as sampler:
        if approach == "ours":
            wall, timings, folders, edges = run_ours(portal, sheet, scratch, workers, pages)
            got = ours_files(folders)
        else:
            _fresh_data_dir(scratch, f"baseline-{workers}")
            started = time.monotonic()
            records = run_baseline(
                portal.base_url, keys, scratch / f"baseline-{workers}", workers, scenario.baseline_selector_wait
            )
            wall = time.monotonic() - started
            timings = [_baseline_timing(r) for r in records]
            got = {r.po_key: [f[2] for f in r.files] for r in records}
            got_errors = {r.po_key: r.error for r in records if r.error}
    usage: Usage = sampler.usage
    mismatches = []
    bytes_ok = 0
    for key in keys:
        expected = [f.sha256 for f in dataset.expected_files(key)]
        problem = compare_files(key, expected, got.get(key, []))
        if key not in got:
            problem = f"PO {key}: no result"
        if problem:
            if approach == "baseline" and got_errors.get(key):
                problem += f" [{got_errors[key].strip()}]"
            mismatches.append(problem)
        else:
            bytes_ok += sum(f.size for f in dataset.expected_files(key))
    not_found = [t.seconds for t in timings if t.not_found]
    row = RunRow(
        approach=approach,
        workers=workers,
        wall=round(wall, 2),
        bytes_ok=bytes_ok,
        pos=len(keys),
        mismatches=mismatches,
        not_found_seconds=round(mean(not_found), 2) if not_found else 0.0,
        peak_pss_mib=round(usage.max_worker_pss_mib, 1),
        cpu_seconds=usage.cpu_seconds,
        system_cpu_percent=usage.system_cpu_percent,
        breakdown=_mean_breakdown(timings),
        startup=edges[0],
        shutdown=edges[1],
        load_average=round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else 0.0,
        pages_per_worker=pages if approach == "ours" else 1,
    )
    log.info(
        "%-8s workers=%d K=%d wall=%.1fs %.1f MB/s peakPSS/worker=%.0f MiB cpu=%.0fs mismatches=%d",
        approach,
        workers,
        row.pages_per_worker,
        row.wall,
        row.mb_per_s,
        row.peak_pss_mib,
        row.cpu_seconds,
        len(mismatches),
    )
    return row


def _baseline_timing(record: BaselinePo) -> PoTiming:
    return PoTiming(
        record.po_key,
        record.seconds,
        record.not_found,
        page=record.page,
        downloading=record.downloading,
        fixed_waits=record.fixed_waits,
        browser_start=record.browser_start,
        finalizing=max(
            0.0, record.seconds - record.browser_start - record.page - record.fixed_waits - record.downloading
        ),
    )


def _mean_breakdown(timings: list[PoTiming]) -> dict[str, float]:
    if not timings:
        return {}
    phases = ("browser_start", "page", "fixed_waits", "downloading", "finalizing")
    out = {phase: round(mean(getattr(t, phase) for t in timings), 3) for phase in phases}
    out["total"] = round(mean(t.seconds for t in timings), 3)
    return out


def measure_old(
    workers: int, portal: DemoPortal, keys: list[str], scratch: Path, scenario: Scenario, budget: float
) -> RunRow:
    """The old approach on every PO, or on a sample scaled per PO when its estimated time exceeds `budget`."""
    plan: OldPlan = plan_old(portal.dataset, keys, scenario, workers, budget)
    if plan.sampled:
        print(
            f"old approach, {workers} w: estimated {plan.estimate:.0f} s for {plan.total} POs, over the budget of "
            f"{budget:.0f} s: running the first {len(plan.keys)} POs and scaling its wall time per PO",
            flush=True,
        )
    else:
        print(f"old approach, {workers} w: estimated {plan.estimate:.0f} s for {plan.total} POs", flush=True)
    row = measure("baseline", workers, portal, Path(), plan.keys, scratch, scenario)
    row.estimate = round(plan.estimate, 1)
    if plan.sampled:
        row.sampled_pos = len(plan.keys)
        row.measured_wall = row.wall
        row.wall = round(plan.scaled(row.wall), 2)
        row.pos = plan.total
        row.sampled_bytes_share = round(
            _expected_bytes(portal.dataset, plan.keys) / _expected_bytes(portal.dataset, keys), 3
        )
    return row


def _expected_bytes(dataset: DemoDataset, keys: list[str]) -> int:
    return max(1, sum(f.size for key in keys for f in dataset.expected_files(key)))


# -- main ----------------------------------------------------------------------------------------------------------
def dataset_facts(dataset: DemoDataset, keys: list[str]) -> dict[str, Any]:
    files = [f for key in keys for f in dataset.expected_files(key)]
    return {
        "files": len(files),
        "total_bytes": sum(f.size for f in files),
        "largest_file": max((f.size for f in files), default=0),
        "not_found": sum(1 for key in keys if (po := dataset.get(key)) is not None and po.not_found),
        "pages": len(keys),
    }


@contextmanager
def scenario_portal(scenario: Scenario) -> Iterator[tuple[DemoPortal, Path, list[str], Path]]:
    """The scenario's demo portal, its spreadsheet, its PO keys and a scratch folder (removed afterwards)."""
    scratch = Path(tempfile.mkdtemp(prefix="coupa-bench-"))
    portal = DemoPortal(scenario.knobs()).start()
    try:
        keys = [po.po_key for po in portal.dataset.pos]
        yield portal, write_sample_spreadsheet(portal.dataset, scratch / "input.xlsx"), keys, scratch
    finally:
        portal.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def command_line(module: str, argv: list[str] | None) -> str:
    return f"python -m {module} " + " ".join(argv if argv is not None else sys.argv[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="full", help="default: full")
    parser.add_argument("--quick", action="store_true", help="the same as --scenario quick (under three minutes)")
    parser.add_argument("--workers", help="comma-separated worker counts (default: the scenario's)")
    parser.add_argument(
        "--pages-per-worker",
        type=int,
        default=DEFAULTS.pages_per_worker,
        help=f"ours: POs each worker keeps in flight (default: the app's, {DEFAULTS.pages_per_worker})",
    )
    parser.add_argument(
        "--old-budget",
        type=float,
        default=OLD_BUDGET_SECONDS,
        help=f"seconds the old approach may take at one worker count before it runs a sample, scaled per PO "
        f"(default {OLD_BUDGET_SECONDS:.0f})",
    )
    parser.add_argument("--only", choices=("ours", "baseline"), help="run one approach (no ratio then)")
    parser.add_argument("--report-only", action="store_true", help="regenerate RESULTS.md and chart.png only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    logging.getLogger("core").setLevel(logging.WARNING)
    if args.report_only:
        write_outputs()
        return 0
    scenario = SCENARIOS["quick" if args.quick else args.scenario]
    counts = tuple(int(w) for w in args.workers.split(",")) if args.workers else scenario.worker_counts
    scenario = replace(scenario, worker_counts=counts)
    approaches = (args.only,) if args.only else ("baseline", "ours")
    with scenario_portal(scenario) as (portal, sheet, keys, scratch):
        rows: list[RunRow] = []
        for workers in counts:
            for approach in approaches:
                if approach == "baseline":
                    rows.append(measure_old(workers, portal, keys, scratch, scenario, args.old_budget))
                else:
                    rows.append(measure("ours", workers, portal, sheet, keys, scratch, scenario, args.pages_per_worker))
        data = {
            "scenario": asdict(scenario),
            "command": command_line("benchmarks.run", argv).rstrip(),
            "run_at": datetime.now().isoformat(timespec="seconds"),
            "machine": machine_description(),
            **dataset_facts(portal.dataset, keys),
            "rows": [{**asdict(r), "pos_per_min": r.pos_per_min, "mb_per_s": r.mb_per_s} for r in rows],
        }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"{scenario.name}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    write_outputs()
    table = derived(data["rows"], data)
    print(f"\nScenario {scenario.name} ({data['run_at']}):\n\n{format_table(table)}\n", flush=True)
    for target, measured, met in targets(table, scenario.name):
        print(f"target {target}: {measured} -> {'met' if met else 'NOT met'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The K sweep: ours at 1 worker with K = 1, 2, 4, 8 POs in flight, on `tenant` and on `full`, to choose the default.

    python -m benchmarks.sweep                      # tenant and full, K = 1, 2, 4, 8 (about 12 minutes)
    python -m benchmarks.sweep --scenarios full --pages 1,4

Prints one table per scenario (wall s, POs/min, peak PSS per worker, PSS per PO in flight), writes
benchmarks/results/sweep/<scenario>.json and rebuilds benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime
from typing import Any

from benchmarks.report import RESULTS_DIR, machine_description, write_outputs
from benchmarks.run import command_line, measure, scenario_portal
from benchmarks.scenario import SCENARIOS, Scenario
from benchmarks.sections import sweep_table

SWEEP_DIR = RESULTS_DIR / "sweep"


def sweep(scenario: Scenario, workers: int, pages: list[int]) -> list[dict[str, Any]]:
    """One run of ours per K, back to back on the same portal."""
    rows = []
    with scenario_portal(scenario) as (portal, sheet, keys, scratch):
        for k in pages:
            row = measure("ours", workers, portal, sheet, keys, scratch, scenario, k)
            rows.append(
                {
                    "pages_per_worker": k,
                    "wall": row.wall,
                    "pos": row.pos,
                    "pos_per_min": round(row.pos_per_min, 1),
                    "peak_pss_mib": row.peak_pss_mib,
                    "pss_per_page_mib": round(row.peak_pss_mib / k, 1),
                    "cpu_seconds": row.cpu_seconds,
                    "load_average": row.load_average,
                    "wrong_files": len(row.mismatches),
                    "mismatches": row.mismatches,
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="tenant,full", help="comma-separated (default tenant,full)")
    parser.add_argument("--pages", default="1,2,4,8", help="the values of K (default 1,2,4,8)")
    parser.add_argument("--workers", type=int, default=1, help="workers (default 1)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    logging.getLogger("core").setLevel(logging.WARNING)
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(sorted(SCENARIOS))}")
    pages = [int(k) for k in args.pages.split(",")]
    SWEEP_DIR.mkdir(parents=True, exist_ok=True)
    for name in names:
        scenario = SCENARIOS[name]
        data = {
            "scenario": {"name": scenario.name, "po_count": scenario.po_count},
            "workers": args.workers,
            "command": command_line("benchmarks.sweep", argv).rstrip(),
            "run_at": datetime.now().isoformat(timespec="seconds"),
            "machine": machine_description(),
            "rows": sweep(scenario, args.workers, pages),
        }
        (SWEEP_DIR / f"{name}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
        print(f"\nK sweep on {name}, {args.workers} worker(s):\n\n" + "\n".join(sweep_table(data)) + "\n", flush=True)
    write_outputs()
    return 0


if __name__ == "__main__":
    sys.exit(main())

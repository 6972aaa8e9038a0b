"""Many machines on one machine: 2 nodes x 2 processes against 1 node x 4, same demo scenario, measured in one run.

`python -m benchmarks.distributed` starts a private redis-server, the demo portal and real `main.py worker` nodes,
times `main.py submit --wait` for each layout (nodes booted and signed in first), writes
`benchmarks/results/distributed/nodes.json` and regenerates RESULTS.md. On one 2-core machine the layouts can only
tie; the point of the row is that splitting the same browsers over nodes costs nothing.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import redis

from benchmarks.report import RESULTS_DIR, machine_description, write_outputs
from core.demo_portal import DemoPortal, PortalKnobs
from core.demo_portal.dataset import write_sample_spreadsheet
from tests.support import redis_server, run_app, start_node

LAYOUTS = (("1 node x 4 processes", (("solo", 4),)), ("2 nodes x 2 processes", (("n1", 2), ("n2", 2))))
KNOBS = PortalKnobs(po_count=40, page_latency=0.4, comments_delay=0.3, per_connection_bandwidth=2_000_000)
RESULT_FILE = RESULTS_DIR / "distributed" / "nodes.json"


def measure(scratch: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with redis_server(scratch) as url, DemoPortal(KNOBS).start() as portal:
        sample = write_sample_spreadsheet(portal.dataset, scratch / "input.xlsx")
        for label, layout in LAYOUTS:
            redis.Redis.from_url(url).flushdb()
            nodes = [start_node(url, portal.base_url, name, scratch, processes) for name, processes in layout]
            try:
                booted = time.monotonic()
                for node, (_name, processes) in zip(nodes, layout, strict=True):
                    node.wait_ready(processes, timeout=180)
                boot = time.monotonic() - booted
                output = scratch / label.replace(" ", "_")
                started = time.monotonic()
                done = run_app(
                    "submit", "--input", sample, "--output", output, "--broker", url,
                    "--base-url", portal.base_url, "--wait", "--timeout", "600", timeout=700,
                )  # fmt: skip
                wall = time.monotonic() - started
                assert done.returncode == 0, done.stderr[-2000:]
            finally:
                for node in nodes:
                    node.stop()
            pos = KNOBS.po_count
            rows.append({"layout": label, "pos": pos, "wall": wall, "per_minute": pos / wall * 60, "boot": boot})
            print(f"{label}: {pos} POs in {wall:.1f} s ({pos / wall * 60:.1f} POs/min); nodes ready after {boot:.1f} s")
    return rows


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-distributed-") as folder:
        os.environ["COUPA_DATA_DIR"] = str(Path(folder) / "appdata")
        rows = measure(Path(folder))
    RESULT_FILE.parent.mkdir(parents=True, exist_ok=True)
    knobs = {"page_latency": KNOBS.page_latency, "per_connection_bandwidth": KNOBS.per_connection_bandwidth}
    data = {"machine": machine_description(), "knobs": knobs, "rows": rows, "when": time.strftime("%Y-%m-%dT%H:%M")}
    RESULT_FILE.write_text(json.dumps(data, indent=2), encoding="utf-8")
    write_outputs()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""benchmarks/RESULTS.md and chart.png, rebuilt from every results file in benchmarks/results/.

Scenario runs (`results/<scenario>.json`, from `python -m benchmarks.run`) give the side-by-side tables and their
targets; the K sweep (`results/sweep/`), the soak (`results/soak/`) and the many-machines run
(`results/distributed/`) add their sections (benchmarks/sections.py). Whatever follows HAND_WRITTEN in RESULTS.md
(the decisions, written by a person) is kept when the file is rebuilt.
"""

from __future__ import annotations

import json
import platform
import subprocess
from pathlib import Path
from typing import Any

import psutil

from benchmarks.scenario import Scenario, lenient_limit_seconds, link_limit_seconds, link_share
from benchmarks.sections import (
    HOW_THE_NUMBERS_ARE_MADE,
    distributed_section,
    soak_section,
    sweep_section,
    targets_table,
)

HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE / "results"
HAND_WRITTEN = "<!-- Written by hand below this line: kept when the benchmarks rebuild this file. -->"
TARGET_NOT_FOUND_SECONDS = 1.5
TARGET_PSS_MIB = 350.0
TARGET_PSS_PER_PAGE_MIB = 150.0
TARGET_LINK_SHARE = {1: 0.75, 4: 0.90}  # `full`: workers -> least share of the strict link limit
TARGET_TENANT_RATIO = 0.10  # `tenant`: ours / old at 1 and at 4 workers


def machine_description() -> dict[str, str]:
    try:
        chromium = subprocess.run(
            ["chromium", "--version"], capture_output=True, text=True, timeout=20, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = "unknown"
    freq = psutil.cpu_freq()
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": f"{psutil.cpu_count(logical=True)} logical / {psutil.cpu_count(logical=False)} physical CPUs"
        + (f" @ {freq.max or freq.current:.0f} MHz" if freq else "")
        + (f" ({platform.processor()})" if platform.processor() else ""),
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "browser": chromium,
    }


def derived(rows: list[dict[str, Any]], data: dict[str, Any]) -> list[dict[str, Any]]:
    """Adds ratio ours/old, link shares and PSS per PO in flight to each row (rows are the JSON dicts of RunRow)."""
    scenario = Scenario(**data["scenario"])
    base = {r["workers"]: r["wall"] for r in rows if r["approach"] == "baseline"}
    strict = link_limit_seconds(data["total_bytes"], data["largest_file"], scenario)
    out = []
    for row in rows:
        extra = dict(row)
        wall = row["wall"]
        measured = row.get("measured_wall") or wall  # an old-approach sample: its bytes flowed in the measured time
        pages = row.get("pages_per_worker") or 1  # results from before K existed held one PO per worker
        extra["pages_per_worker"] = pages
        extra["pos_per_min"] = round(60 * row["pos"] / wall, 1) if wall else 0.0
        extra["mb_per_s"] = round(row["bytes_ok"] / 1e6 / measured, 2) if measured else 0.0
        extra["ratio"] = round(wall / base[row["workers"]], 3) if row["workers"] in base else None
        extra["limit_s"] = round(strict, 1)
        extra["link_share"] = round(link_share(strict, wall), 3)
        lenient = lenient_limit_seconds(data["total_bytes"], data["pages"], row["workers"], scenario)
        extra["link_share_lenient"] = round(link_share(lenient, wall), 3)
        extra["pss_per_page_mib"] = round(row["peak_pss_mib"] / pages, 1)
        out.append(extra)
    return out


def load_text(value: float | None) -> str:
    return f"{value:.1f}" if value else "—"  # results from before this column existed have none


def _label(approach: str) -> str:
    return "old" if approach == "baseline" else approach


def _order(row: dict[str, Any]) -> tuple[int, bool]:
    return row["workers"], row["approach"] != "baseline"


def format_table(rows: list[dict[str, Any]]) -> str:
    header = (
        "| approach | workers | pages/worker | wall s | POs/min | MB/s | ours/old | link share (strict / lenient) "
        "| not-found PO s | peak PSS/worker MiB | PSS per PO in flight MiB | CPU s | machine CPU % | load avg "
        "| wrong files |"
    )
    lines = [header, "|" + "---|" * 15]
    for r in sorted(rows, key=_order):
        ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None and r["approach"] == "ours" else "—"
        wall = f"{r['wall']:.1f}" + ("*" if r.get("sampled_pos") else "")
        lines.append(
            f"| {_label(r['approach'])} | {r['workers']} | {r['pages_per_worker']} | {wall} | {r['pos_per_min']:.1f} "
            f"| {r['mb_per_s']:.2f} | {ratio} | {100 * r['link_share']:.0f}% / {100 * r['link_share_lenient']:.0f}% "
            f"| {r['not_found_seconds']:.2f} | {r['peak_pss_mib']:.0f} | {r['pss_per_page_mib']:.0f} "
            f"| {r['cpu_seconds']:.0f} | {r['system_cpu_percent']:.0f} | {load_text(r.get('load_average'))} "
            f"| {len(r['mismatches'])} |"
        )
    return "\n".join(lines)


def sample_notes(rows: list[dict[str, Any]]) -> list[str]:
    """One sentence per old-approach row that ran a sample of the POs and was scaled."""
    return [
        f"\\* old approach at {r['workers']} w: run on the first {r['sampled_pos']} of {r['pos']} POs "
        f"({100 * r.get('sampled_bytes_share', 0):.0f}% of the bytes), {r['measured_wall']:.1f} s measured, wall time "
        f"scaled per PO (estimated beforehand: {r.get('estimate', 0):.0f} s for all POs, over the time budget)."
        for r in sorted(rows, key=_order)
        if r.get("sampled_pos")
    ]


def format_breakdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| approach | workers | browser start | page (load+scripts+read) | fixed waits | downloading | finalizing "
        "| total per PO | run startup | run shutdown |",
        "|" + "---|" * 10,
    ]
    for r in sorted(rows, key=_order):
        b = r["breakdown"]
        lines.append(
            f"| {_label(r['approach'])} | {r['workers']} | {b.get('browser_start', 0):.2f} | {b.get('page', 0):.2f} "
            f"| {b.get('fixed_waits', 0):.2f} | {b.get('downloading', 0):.2f} | {b.get('finalizing', 0):.2f} "
            f"| {b.get('total', 0):.2f} | {r.get('startup', 0):.2f} | {r.get('shutdown', 0):.2f} |"
        )
    return "\n".join(lines)


def targets(rows: list[dict[str, Any]], scenario: str) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for issue 13's targets on one scenario's rows (derived)."""
    ours = [r for r in rows if r["approach"] == "ours"]
    by_workers = {r["workers"]: r for r in ours}
    out: list[tuple[str, str, bool]] = []
    if scenario == "tenant":
        ratios = {w: r["ratio"] for w, r in by_workers.items() if r.get("ratio") is not None}
        if ratios:
            text = ", ".join(f"{w} w: {v:.3f}" for w, v in sorted(ratios.items()))
            ok = all(v <= TARGET_TENANT_RATIO for v in ratios.values())
            out.append((f"tenant: ours / old ≤ {TARGET_TENANT_RATIO:.2f} at 1 and 4 workers", text, ok))
    else:
        for workers, least in TARGET_LINK_SHARE.items():
            if workers in by_workers:
                share = by_workers[workers]["link_share"]
                out.append(
                    (
                        f"{scenario}: ≥ {100 * least:.0f}% of the strict link limit at {workers} worker(s)",
                        f"{100 * share:.0f}%",
                        share >= least,
                    )
                )
        nf = [r["not_found_seconds"] for r in ours if r["not_found_seconds"]]
        if nf:
            out.append(
                (
                    f"{scenario}: not-found PO < {TARGET_NOT_FOUND_SECONDS} s of a worker's time",
                    f"max {max(nf):.2f} s",
                    max(nf) < TARGET_NOT_FOUND_SECONDS,
                )
            )
    if ours:
        for field, limit, what in (
            ("peak_pss_mib", TARGET_PSS_MIB, "peak PSS per worker at every worker count"),
            ("pss_per_page_mib", TARGET_PSS_PER_PAGE_MIB, "PSS per PO in flight"),
        ):
            worst = max(ours, key=lambda r: r[field])
            where = f"{worst['workers']} w, K={worst['pages_per_worker']}"
            out.append(
                (
                    f"{scenario}: {what} ≤ {limit:.0f} MiB",
                    f"max {worst[field]:.0f} MiB ({where})",
                    worst[field] <= limit,
                )
            )
    return out


def scenario_section(data: dict[str, Any]) -> list[str]:
    rows = derived(data["rows"], data)
    sc = data["scenario"]
    strict = link_limit_seconds(data["total_bytes"], data["largest_file"], Scenario(**sc))
    parts = [
        f"## Scenario `{sc['name']}` — {sc['po_count']} POs, {data['files']} files, "
        f"{data['total_bytes'] / 1e6:.1f} MB ({data['run_at']})",
        "",
        f"Command: `{data['command']}`",
        "",
        f"Knobs: page latency {sc['page_latency']} s, comments delay {sc['comments_delay']} s, files "
        f"{sc['min_file_size'] / 1e3:.0f} KB–{sc['max_file_size'] / 1e6:.1f} MB, up to {sc['max_files_per_po']} per"
        f" PO, not-found share {sc['not_found_share']:.0%} ({data['not_found']} POs), per-connection "
        f"{sc['per_connection_bandwidth'] / 1e6:.1f} MB/s, link {sc['link_bandwidth'] / 1e6:.1f} MB/s. "
        f"Strict link limit: {strict:.1f} s.",
        "",
        format_table(rows),
        "",
    ]
    notes = sample_notes(rows)
    if notes:
        parts += [*notes, ""]
    parts += [
        "Mean seconds per PO by phase (per worker; phases of different workers, and of a worker's POs in flight,"
        " overlap):",
        "",
        format_breakdown(rows),
        "",
    ]
    problems = [m for r in rows for m in (f"{_label(r['approach'])} {r['workers']} w: {x}" for x in r["mismatches"])]
    if problems:
        parts += ["Wrong or missing files:", ""] + [f"- {p}" for p in problems] + [""]
    else:
        parts += ["Every file of every run matched the expected sha256.", ""]
    verdicts = targets(rows, sc["name"])
    if verdicts:
        note = "" if sc["name"] in ("full", "tenant") else " (indicative only: the targets are defined on `full`)"
        parts += [f"Targets{note}:", "", *targets_table(verdicts), ""]
    return parts


def render_markdown(results: list[dict[str, Any]]) -> str:
    parts = ["# Benchmarks: our engine vs. the old approach", ""]
    if not results:
        return "\n".join([*parts, "No results yet: run `python -m benchmarks.run --quick`.", ""])
    parts += ["## Machine", ""]
    parts += [f"- {k}: {v}" for k, v in results[0]["machine"].items()]
    parts += ["", "## How the numbers are made", "", *HOW_THE_NUMBERS_ARE_MADE, ""]
    for data in results:
        parts += scenario_section(data)
    parts += sweep_section(_load_dir("sweep")) + soak_section(_load_dir("soak"))
    return "\n".join(parts + distributed_section(_load_dir("distributed")))


def draw_chart(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(6 * len(results), 4.2), squeeze=False)
    for ax, data in zip(axes[0], results, strict=True):
        scenario = Scenario(**data["scenario"])
        for approach, style in (("baseline", "o-"), ("ours", "s-")):
            rows = sorted((r for r in data["rows"] if r["approach"] == approach), key=lambda r: r["workers"])
            if rows:
                ax.plot([r["workers"] for r in rows], [r["wall"] for r in rows], style, label=_label(approach))
        limit = link_limit_seconds(data["total_bytes"], data["largest_file"], scenario)
        ax.axhline(limit, linestyle="--", color="grey", label=f"link limit {limit:.0f} s")
        ax.set_title(f"{scenario.name}: {scenario.po_count} POs, {data['total_bytes'] / 1e6:.0f} MB")
        ax.set_xlabel("workers")
        ax.set_ylabel("wall time (s)")
        ax.set_xticks(list(scenario.worker_counts))
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _load_dir(name: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((RESULTS_DIR / name).glob("*.json"))]


def load_results() -> list[dict[str, Any]]:
    order = {"full": 0, "tenant": 1, "quick": 2}
    found = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(RESULTS_DIR.glob("*.json"))]
    return sorted(found, key=lambda d: order.get(d["scenario"]["name"], 9))


def hand_written(path: Path) -> str:
    """The part of RESULTS.md a person wrote (from HAND_WRITTEN on); just the marker when there is none yet."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    at = text.find(HAND_WRITTEN)
    return text[at:] if at >= 0 else HAND_WRITTEN + "\n"


def write_outputs() -> None:
    results = load_results()
    target = HERE / "RESULTS.md"
    kept = hand_written(target)
    target.write_text(render_markdown(results).rstrip("\n") + "\n\n" + kept, encoding="utf-8")
    if results:
        draw_chart(results, HERE / "chart.png")

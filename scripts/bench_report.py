"""The benchmark's figures as Markdown tables, from `scripts.benchmark` or its JSON file.

.venv/bin/python -m scripts.bench_report /tmp/bench.json
"""

import argparse
import json
import statistics
from pathlib import Path
from typing import Any


def _ratio(ours: float, theirs: float) -> str:
    """ours / theirs; a server can finish no request at all in a run (a large CSV)."""
    return f"{ours / theirs:.2f}×" if theirs else "∞ (0/s)"


def _spread(values: list[float]) -> str:
    """The median, with the lowest and highest of the rounds."""
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:,.0f}"
    return f"{middle:,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def _compared(name: str) -> tuple[str, str] | None:
    """Which two servers a ratio column divides: ours by Datasette, and the others by ours."""
    if name in ("ours", "ours, repeated"):
        return None
    if name == "Datasette":
        return "ours", "Datasette"
    if name == "ceiling":
        return "ours, repeated", "ceiling"
    return name, "ours"


def markdown(result: dict[str, Any]) -> str:
    """The tables for one size: requests per second, ratios of medians, p99 at 4 connections."""
    loads = (
        ", ".join(
            f"{name} {load['seconds']:.0f} s (peak RSS {load['rss_mib']:.0f} MiB)"
            for name, load in result["loads"].items()
        )
        or "not measured (databases reused)"
    )
    averages = result["load_averages"]
    names = list(dict.fromkeys(name for row in result["cases"] for name in row["servers"]))
    pairs = [pair for name in names if (pair := _compared(name)) is not None]
    lines = [
        f"**{result['events']:,} events** — load: {loads}; {result['rounds']} rounds of "
        f"{result['seconds']} s at {result['connections']} connections, p99 from "
        f"{result['p99_seconds']} s at 4; load average {min(averages):.1f}–{max(averages):.1f}",
        "",
        "| request | "
        + " | ".join(f"{name} r/s" for name in names)
        + " | "
        + " | ".join(f"{a} / {b}" for a, b in pairs)
        + " | "
        + " | ".join(f"{name} p99 @4 ms" for name in names)
        + " |",
        "|---|" + "--:|" * (2 * len(names) + len(pairs)),
    ]
    for row in result["cases"]:
        runs = row["servers"]
        medians = {name: statistics.median(run["rps"]) for name, run in runs.items()}
        errors = sum(sum(run["errors"]) for run in runs.values())
        cells = [row["case"] + (f" ({errors:.0f} errors)" if errors else "")]
        cells += [_spread(runs[name]["rps"]) if name in runs else "—" for name in names]
        cells += [
            _ratio(medians[a], medians[b]) if a in medians and b in medians else "—"
            for a, b in pairs
        ]
        cells += [
            f"{statistics.median(runs[name]['p99_at_4_ms']):.0f}" if name in runs else "—"
            for name in names
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", type=Path, help="the file `scripts.benchmark --json` wrote")
    for result in json.loads(parser.parse_args().json.read_text()):
        print(markdown(result), end="\n\n")


if __name__ == "__main__":
    main()

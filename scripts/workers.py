"""Requests per second with 1 and N worker processes, on the same SQLite file.

For each data set (`shipped`, the data in `data/`, or a number of generated events, as in
`scripts.benchmark`) it serves the file with `sahel-timeline serve --workers W`, response
cache off, and drives each request type with wrk over the benchmark's varied URLs. The
worker counts take turns (1, N, 1, N, ...) so that a drift of the machine favours neither,
and each figure is the median of `--runs` runs.

    .venv/bin/python -m scripts.workers --datasets shipped 100000 --workers 1 2 --runs 3
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.benchmark import BIN, VARIED_URLS, Case, Run, _free_port, _server, _wrk, cases, load
from scripts.generate import write

DEFAULT_CASES = ["first page", "type + year", "by actor", "text search", "deep page", "one event"]


def database_for(dataset: str, workdir: Path) -> tuple[Path, int]:
    """The SQLite file holding `dataset` (made once, kept in `workdir`), and its events."""
    directory = workdir / ("shipped" if dataset == "shipped" else f"n{dataset}")
    database = directory / "db.sqlite"
    if dataset == "shipped":
        if not database.exists():
            directory.mkdir(parents=True, exist_ok=True)
            env = os.environ | {"DATABASE_URL": f"sqlite:///{database}"}
            subprocess.run([BIN / "sahel-timeline", "init"], env=env, check=True)
        data = json.loads((Path(__file__).parent.parent / "data" / "events.json").read_text())
        return database, len(data["events"])
    events = int(dataset)
    if not database.exists():
        if not (directory / "events.json").exists():
            write(directory, events, seed=1)
        load(directory, database)
    return database, events


def measure(
    dataset: str, workdir: Path, workers: list[int], runs: int, seconds: int, only: list[str]
) -> tuple[dict[str, dict[int, list[Run]]], list[float]]:
    """Every run of every request type with each worker count, taking turns, and the
    machine's 1-minute load average after each run."""
    database, events = database_for(dataset, workdir)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = database.parent / "workers.log"
    env = {"DATABASE_URL": f"sqlite:///{database}", "RESPONSE_CACHE_MB": "0"}
    chosen = [case for case in cases(database, events) if case.name in only]
    if dataset == "shipped":  # the generator's ids (`event-7`) are not in the shipped data
        with sqlite3.connect(database) as db:
            ids = [row[0] for row in db.execute("SELECT id FROM event ORDER BY id")]
        one = Case("one event", lambda i: f"/events/{ids[i % len(ids)]}", None)
        chosen = [one if case.name == one.name else case for case in chosen]
    loads: list[float] = []
    results: dict[str, dict[int, list[Run]]] = {
        case.name: {w: [] for w in workers} for case in chosen
    }
    for _ in range(runs):
        for count in workers:
            command = [str(BIN / "sahel-timeline"), "serve", "--workers", str(count)]
            with _server([*command, "--port", str(port)], env, port, log):
                for case in chosen:
                    paths = [case.ours(i) for i in range(VARIED_URLS)]
                    _wrk(base, paths, 1, 32)
                    results[case.name][count].append(_wrk(base, paths, seconds, 32))
                    loads.append(os.getloadavg()[0])
    return results, loads


def markdown(dataset: str, results: dict[str, dict[int, list[Run]]], loads: list[float]) -> str:
    """Medians per request type and worker count, and the ratio of the last to the first.

    With the load average: on two cores shared with other work, a worker more can only
    take what the rest leaves."""
    counts = list(next(iter(results.values())))
    head = " | ".join(f"{n} worker{'s' * (n > 1)} r/s (p99 ms)" for n in counts)
    lines = [
        f"**{dataset}** (1-minute load average after the runs: {min(loads):.1f}–{max(loads):.1f})",
        "",
        f"| request | {head} | {counts[-1]} / {counts[0]} | errors |",
        "|---|" + "--:|" * (len(counts) + 2),
    ]
    for name, by_count in results.items():
        rps = {n: statistics.median(run.rps for run in by_count[n]) for n in counts}
        p99 = {n: statistics.median(run.p99_ms for run in by_count[n]) for n in counts}
        cells = " | ".join(f"{rps[n]:,.0f} ({p99[n]:,.0f})" for n in counts)
        errors = sum(run.errors for runs in by_count.values() for run in runs)
        ratio = rps[counts[-1]] / rps[counts[0]]
        lines.append(f"| {name} | {cells} | {ratio:.2f}× | {errors} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["shipped", "100000"])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="per wrk run")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sahel-bench")
    parser.add_argument("--cases", nargs="+", default=DEFAULT_CASES, help="request types")
    parser.add_argument("--json", type=Path, help="also write every run here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("workers: wrk is needed (Debian: apt-get install wrk)")
    raw = {}
    for dataset in args.datasets:
        results, loads = measure(
            dataset, args.workdir, args.workers, args.runs, args.seconds, args.cases
        )
        raw[dataset] = {
            name: {n: [run.__dict__ for run in runs] for n, runs in by_count.items()}
            for name, by_count in results.items()
        }
        print(markdown(dataset, results, loads), end="\n\n", flush=True)

    if args.json:
        args.json.write_text(json.dumps(raw, indent=2))


if __name__ == "__main__":
    main()

"""Benchmark: this API against Datasette on the same SQLite file, and on PostgreSQL.

For each size N: generate N synthetic events, load them (wall time, peak RSS) into a SQLite
file and, with `--database-url`, into PostgreSQL; then start every server at once (this API
on each database with the response cache off, Datasette on the same file with the
equivalent queries) and drive each request type with wrk through 400 distinct URLs. The
servers take turns within each request type, the first of them changing every round, so
that a drift of the machine favours none; `--rounds` rounds give each figure's median,
minimum and maximum, and p99 comes from a separate short run at 4 connections. Prints
Markdown tables and, with `--json`, writes every run.

    .venv/bin/pip install -e '.[bench]' && apt-get install wrk
    .venv/bin/python -m scripts.benchmark --sizes 1000 --json /tmp/bench.json
    .venv/bin/python -m scripts.benchmark --sizes 1000000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/sahel_bench

The PostgreSQL database named in the URL is dropped and created again.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

from scripts.bench import servers
from scripts.bench.cases import VARIED_URLS, Case, cases
from scripts.bench.wrk import drive, get
from scripts.bench_report import markdown
from scripts.generate import write

_FIELDS = ("rps", "p50_ms", "p99_ms", "errors")


def _recreate(database_url: str) -> None:
    """Drop and create the PostgreSQL database of `database_url`, empty."""
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def load(directory: Path, database_url: str) -> dict[str, float]:
    """Migrate and load the generated files; wall seconds and peak RSS (MiB) of `load`."""
    env = os.environ | {"DATABASE_URL": database_url}
    command = str(servers.BIN / "sahel-timeline")
    subprocess.run([command, "migrate"], env=env, check=True, capture_output=True)
    files = [directory / name for name in ("sources.json", "actors.json", "events.json")]
    started = time.monotonic()
    process = subprocess.Popen([command, "load", *files], env=env)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise RuntimeError(f"load into {database_url} failed")
    return {"seconds": time.monotonic() - started, "rss_mib": usage.ru_maxrss / 1024}


def second_release(directory: Path, database_url: str, events: int) -> dict[str, float]:
    """Load the same events with every hundredth title corrected, as release 2, so that the
    `pinned release` cases read release 1 through an overlay; wall seconds."""
    corrected = directory / "corrected"
    if not (corrected / "events.json").exists():
        write(corrected, events, seed=1, corrected=100)
    env = os.environ | {"DATABASE_URL": database_url}
    command = [str(servers.BIN / "sahel-timeline"), "load", "--note", "1% corrected"]
    started = time.monotonic()
    subprocess.run([*command, corrected / "events.json"], env=env, check=True, capture_output=True)
    return {"seconds": time.monotonic() - started, "rss_mib": 0.0}


def _paths(running: servers.Running, case: Case, sizes: dict[str, int]) -> list[str] | None:
    """The URLs `running` is asked for `case`; None where it has no equivalent."""
    asks = running.server.asks
    if asks == "ours":
        return [case.ours(i) for i in range(VARIED_URLS)]
    if asks == "ours repeated":
        return [case.ours(0)]
    if asks == "ceiling":
        return [f"/bytes/{sizes[case.name]}"]
    if case.datasette is None:
        return None
    return [case.datasette(i) for i in range(VARIED_URLS)]


def _rounds(
    running: list[servers.Running], all_cases: list[Case], args: argparse.Namespace
) -> tuple[dict[str, dict[str, dict[str, list[float]]]], list[float]]:
    """Every case on every server, `args.rounds` times, taking turns; and the load averages."""
    sizes = {case.name: len(get(running[0].base + case.ours(0))) for case in all_cases}
    runs: dict[str, dict[str, dict[str, list[float]]]] = {case.name: {} for case in all_cases}
    for case in all_cases:  # warm up every server on every path
        for server in running:
            if (paths := _paths(server, case, sizes)) is not None:
                drive(server.base, paths, 1, args.connections)
    load_averages = [os.getloadavg()[0]]
    for round_ in range(args.rounds):
        turn = running[round_ % len(running) :] + running[: round_ % len(running)]
        for case in all_cases:
            asked = [(s, paths) for s in turn if (paths := _paths(s, case, sizes)) is not None]
            for server, paths in asked:
                run = drive(server.base, paths, args.seconds, args.connections)
                figures = runs[case.name].setdefault(server.server.name, {})
                for name in _FIELDS:
                    figures.setdefault(name, []).append(getattr(run, name))
            for server, paths in asked:
                run = drive(server.base, paths, args.p99_seconds, 4)
                runs[case.name][server.server.name].setdefault("p99_at_4_ms", []).append(run.p99_ms)
        load_averages.append(os.getloadavg()[0])
    return runs, load_averages


def measure(events: int, args: argparse.Namespace) -> dict[str, Any]:
    """Everything for one size: the loads, then every run of every case on every server."""
    directory = args.workdir / f"n{events}"
    if not (directory / "events.json").exists():
        write(directory, events, seed=1)
    database = directory / "db.sqlite"  # Datasette names the database after the file
    sqlite_url = f"sqlite:///{database}"
    loads: dict[str, dict[str, float]] = {}
    if not (args.reuse and database.exists()):
        for stale in directory.glob("db.sqlite*"):
            stale.unlink()
        loads["SQLite"] = load(directory, sqlite_url)
    chosen: list[servers.Server] = [servers.ours("ours", sqlite_url)]
    metadata = directory / "datasette.json"
    metadata.write_text(
        json.dumps({"databases": {"db": {"tables": {"event": {"fts_table": "event_search"}}}}})
    )
    chosen.append(servers.datasette(database, metadata))
    if args.database_url and not args.reuse:
        _recreate(args.database_url)
        loads["PostgreSQL"] = load(directory, args.database_url)
    if args.database_url:
        chosen.append(servers.ours("PostgreSQL", args.database_url))
    if args.workers > 1:
        several = [("ours", sqlite_url), ("PostgreSQL", args.database_url)]
        chosen += [
            servers.ours(f"{name}, {args.workers} workers", url, workers=args.workers)
            for name, url in several
            if url
        ]
    if args.repeated:
        chosen += [servers.ours("ours, repeated", sqlite_url, cache=True), servers.ceiling()]
    all_cases = [c for c in cases(database, events) if not args.cases or c.name in args.cases]
    if any(case.name.startswith("pinned") for case in all_cases) and not args.reuse:
        loads["SQLite, 1% changed"] = second_release(directory, sqlite_url, events)
    with servers.all_started(chosen, directory) as running:
        runs, load_averages = _rounds(running, all_cases, args)
        memory = {server.server.name: servers.rss_mib(server.pid) for server in running}
    return {
        "events": events,
        "rounds": args.rounds,
        "seconds": args.seconds,
        "connections": args.connections,
        "p99_seconds": args.p99_seconds,
        "load_averages": load_averages,
        "loads": loads,
        "memory_mib": memory,
        "cases": [{"case": name, "servers": by_server} for name, by_server in runs.items()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=3, help="runs per case and server")
    parser.add_argument("--seconds", type=int, default=8, help="per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--p99-seconds", type=int, default=3, help="per run at 4 connections")
    parser.add_argument("--database-url", help="also this API on this PostgreSQL database")
    parser.add_argument("--workers", type=int, default=1, help="also with `serve --workers N`")
    parser.add_argument(
        "--repeated", action="store_true", help="also one URL per case (cache on), and the ceiling"
    )
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sahel-bench")
    parser.add_argument(
        "--reuse", action="store_true", help="serve the databases a run before loaded"
    )
    parser.add_argument("--json", type=Path, help="also write every run here")
    parser.add_argument("--cases", nargs="+", default=[], help="only these request types")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("benchmark: wrk is needed (Debian: apt-get install wrk)")
    results = []
    for events in args.sizes:
        results.append(measure(events, args))
        print(markdown(results[-1]), end="\n\n", flush=True)
        if args.json:  # after each size, so a long run keeps what it measured
            args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

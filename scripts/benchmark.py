"""Benchmark: this API against Datasette on the same SQLite file, and against a bare ceiling.

For each size N: generate and load N synthetic events (wall time, peak RSS), then serve the
file three ways: this API, Datasette (the `bench` extra) with the equivalent queries, and a
bare FastAPI endpoint returning bytes of the same size (the stack's ceiling), driven by wrk
on loopback. Each request type runs *repeated* (one URL, response cache on) and *varied*
(distinct URLs, cache off). Prints requests/s, p50, p99 and ratios per size.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python -m scripts.benchmark --sizes 1000
"""

import argparse
import base64
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from scripts.bench_report import markdown
from scripts.generate import LEXICON, write

BIN = Path(sys.executable).parent
VARIED_URLS = 400
# A pinned read builds its release's overlay once per server process: not part of a page's cost.
PRIME = "/events?release=1&limit=1"


@dataclass(frozen=True)
class Case:
    """One request type: how to ask this API and Datasette, one URL or many."""

    name: str
    ours: Callable[[int], str]
    datasette: Callable[[int], str] | None


@dataclass(frozen=True)
class Run:
    """What wrk measured for one server and one stream of URLs."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    size: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{url}: {exc.code} {exc.read()[:300]!r}") from None


@contextmanager
def _server(command: Sequence[str], env: dict[str, str], port: int, log: Path) -> Iterator[int]:
    """Run a server until the block ends, its output in `log`; yields its pid once it answers."""
    process = subprocess.Popen(
        command,
        env=os.environ | env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not start") from None
                time.sleep(0.2)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # stuck in a request that never ends
            process.kill()
            process.wait()


def _rss_mib(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    current = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return current / 1024, peak / 1024


def _wrk(base: str, paths: Sequence[str], seconds: int, connections: int) -> Run:
    """Drive `base` with wrk, cycling through `paths`; parse its summary."""
    try:
        size = len(_get(base + paths[0]))
    except (RuntimeError, OSError):
        size = 0  # the error shows in the run's error count
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        listed = ",\n".join(json.dumps(path) for path in paths)
        script.write(
            f"local paths = {{{listed}}}\nlocal i = math.random(#paths)\n"
            "request = function()\n  i = i % #paths + 1\n"
            '  return wrk.format("GET", paths[i])\nend\n'
        )
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    output = subprocess.run(
        [*command, "-s", script.name, base], capture_output=True, text=True, check=True
    ).stdout
    os.unlink(script.name)

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)", output, re.M).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failed = int(errors.group(1)) if errors else 0
    failed += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return Run(rps, latency("50"), latency("99"), failed, size)


def _cursor(earliest: str, event_id: str) -> str:
    raw = json.dumps(["date", earliest, event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cases(database: Path, events: int) -> list[Case]:
    """The request types, with URLs drawn from what the database holds.

    The `pinned release` cases read release 1 after a second release corrected 1% of the
    titles (`second_release`): the current tables' rows plus the overlay of those changed.
    """
    with sqlite3.connect(database) as db:
        middle = db.execute(
            "SELECT earliest_date, id FROM event ORDER BY earliest_date, id LIMIT ? OFFSET ?",
            (VARIED_URLS, events // 2),
        ).fetchall()
        types = [row[0] for row in db.execute("SELECT DISTINCT type FROM event ORDER BY 1")]
        actors = [row[0] for row in db.execute("SELECT id FROM actor ORDER BY id")]
    rng = random.Random(1)
    years = list(range(1990, 2026))
    words = rng.sample(LEXICON, min(VARIED_URLS, len(LEXICON)))
    picks = [
        (rng.choice(types), rng.choice(years), rng.choice(actors), f"event-{rng.randrange(events)}")
        for _ in range(VARIED_URLS)
    ]
    by_actor = (
        "select event.* from event join event_actor on event_actor.event_id = event.id"
        " where event_actor.actor_id = :actor order by event.earliest_date, event.id limit 50"
    )

    def year_range(year: int) -> str:
        return f"earliest_date__gte={year}-01-01&earliest_date__lte={year}-12-31"

    return [
        Case(
            "first page",
            lambda i: f"/events?limit={50 + i % 7}&lang={('en', 'nl', 'fr')[i % 3]}",
            lambda i: f"/db/event.json?_sort=earliest_date&_size={50 + i % 7}",
        ),
        Case(
            "type + year",
            lambda i: f"/events?type={picks[i][0]}&from={picks[i][1]}&to={picks[i][1]}",
            lambda i: (
                f"/db/event.json?type={picks[i][0]}&{year_range(picks[i][1])}"
                "&_sort=earliest_date&_size=50"
            ),
        ),
        Case(
            "by actor",
            lambda i: f"/events?actor={picks[i][2]}",
            lambda i: f"/db.json?sql={quote(by_actor)}&actor={picks[i][2]}",
        ),
        Case(
            "text search",
            lambda i: f"/events?q={words[i % len(words)]}",
            lambda i: (
                f"/db/event.json?_search={words[i % len(words)]}&_sort=earliest_date&_size=50"
            ),
        ),
        Case(
            "deep page",
            lambda i: f"/events?cursor={_cursor(*middle[i % len(middle)])}",
            lambda i: (
                "/db/event.json?_sort=earliest_date&_size=50&_next="
                + quote(f"{middle[i % len(middle)][0]},{middle[i % len(middle)][1]}")
            ),
        ),
        Case(
            "pinned release, first page",
            lambda i: f"/events?release=1&limit={50 + i % 7}&lang={('en', 'nl', 'fr')[i % 3]}",
            None,
        ),
        Case(
            "pinned release, deep page",
            lambda i: f"/events?release=1&cursor={_cursor(*middle[i % len(middle)])}",
            None,
        ),
        Case(
            "one event",
            lambda i: f"/events/{picks[i][3]}",
            lambda i: f"/db/event/{picks[i][3]}.json",
        ),
        Case(
            "timeline, one year",
            lambda i: f"/timeline?from={years[i % len(years)]}&to={years[i % len(years)]}",
            None,
        ),
        Case(
            "facets, type + year",
            lambda i: (
                f"/events/facets?type={picks[i][0]}&from={picks[i][1]}&to={picks[i][1]}"
                "&facet=country&facet=importance&facet=disputed"
            ),
            lambda i: (
                f"/db/event.json?type={picks[i][0]}&{year_range(picks[i][1])}"
                "&_facet=country&_facet=importance&_facet=disputed&_size=0"
            ),
        ),
        Case(
            "CSV, one year",
            lambda i: f"/events.csv?from={years[i % len(years)]}&to={years[i % len(years)]}",
            lambda i: (
                f"/db/event.csv?{year_range(years[i % len(years)])}&_sort=earliest_date&_stream=on"
            ),
        ),
    ]


def load(directory: Path, database: Path) -> tuple[float, float]:
    """Migrate and load the generated files; wall seconds and peak RSS (MiB) of `load`."""
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run([BIN / "sahel-timeline", "migrate"], env=env, check=True, capture_output=True)
    files = [directory / name for name in ("sources.json", "actors.json", "events.json")]
    started = time.monotonic()
    process = subprocess.Popen([BIN / "sahel-timeline", "load", *files], env=env)
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise RuntimeError("load failed")
    return time.monotonic() - started, usage.ru_maxrss / 1024


def second_release(directory: Path, database: Path, events: int) -> float:
    """Load the same events with every hundredth title corrected, as release 2; wall seconds."""
    corrected = directory / "corrected"
    if not (corrected / "events.json").exists():
        write(corrected, events, seed=1, corrected=100)
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}"}
    started = time.monotonic()
    subprocess.run(
        [BIN / "sahel-timeline", "load", "--note", "1% corrected", corrected / "events.json"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


def measure(
    events: int, workdir: Path, seconds: int, connections: int, only: Sequence[str]
) -> dict[str, object]:
    """Everything for one size: load figures, and a run per case (`only` these, if named),
    server and mode."""
    directory = workdir / f"n{events}"
    if not (directory / "events.json").exists():
        write(directory, events, seed=1)
    database = directory / "db.sqlite"  # Datasette names the database after the file
    for stale in directory.glob("db.sqlite*"):
        stale.unlink()
    load_seconds, load_rss = load(directory, database)
    metadata = directory / "datasette.json"
    metadata.write_text(
        json.dumps({"databases": {"db": {"tables": {"event": {"fts_table": "event_search"}}}}})
    )
    all_cases = [case for case in cases(database, events) if not only or case.name in only]
    second_load = None
    if any(case.name.startswith("pinned") for case in all_cases):
        second_load = second_release(directory, database, events)
    ours, plain, theirs, ceiling = (_free_port() for _ in range(4))
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    serve = [str(BIN / "sahel-timeline"), "serve", "--port"]
    results: dict[str, dict[str, Run]] = {case.name: {} for case in all_cases}
    memory: dict[str, tuple[float, float]] = {}
    with _server([*serve, str(ours)], env, ours, directory / "cached.log") as pid:
        if second_load is not None:
            _get(f"http://127.0.0.1:{ours}{PRIME}")
        for case in all_cases:
            _wrk(f"http://127.0.0.1:{ours}", [case.ours(0)], 1, connections)  # warm up
            results[case.name]["repeated"] = _wrk(
                f"http://127.0.0.1:{ours}", [case.ours(0)], seconds, connections
            )
        memory["cached"] = _rss_mib(pid)
    uncached = env | {"RESPONSE_CACHE_MB": "0"}
    with _server([*serve, str(plain)], uncached, plain, directory / "uncached.log") as pid:
        if second_load is not None:
            _get(f"http://127.0.0.1:{plain}{PRIME}")
        for case in all_cases:
            paths = [case.ours(i) for i in range(VARIED_URLS)]
            results[case.name]["varied"] = _wrk(
                f"http://127.0.0.1:{plain}", paths, seconds, connections
            )
        memory["uncached"] = _rss_mib(pid)
    datasette = [
        str(BIN / "datasette"),
        "serve",
        "-i",
        str(database),
        "-m",
        str(metadata),
        "-p",
        str(theirs),
        "--setting",
        "sql_time_limit_ms",
        "10000",
        "--setting",
        "max_returned_rows",
        "100000",
        # Its fastest honest set-up: an immutable file, no facet suggestions on table pages.
        "--setting",
        "suggest_facets",
        "off",
    ]
    with _server(datasette, {}, theirs, directory / "datasette.log"):
        for case in all_cases:
            if case.datasette is None:
                continue
            base = f"http://127.0.0.1:{theirs}"
            results[case.name]["datasette repeated"] = _wrk(
                base, [case.datasette(0)], seconds, connections
            )
            paths = [case.datasette(i) for i in range(VARIED_URLS)]
            results[case.name]["datasette varied"] = _wrk(base, paths, seconds, connections)
    with _server(
        [
            str(BIN / "uvicorn"),
            "scripts.ceiling:app",
            "--port",
            str(ceiling),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        {},
        ceiling,
        directory / "ceiling.log",
    ):
        for case in all_cases:
            size = results[case.name]["repeated"].size
            results[case.name]["ceiling"] = _wrk(
                f"http://127.0.0.1:{ceiling}", [f"/bytes/{size}"], seconds, connections
            )
    table = [
        {"case": name, **{mode: run.__dict__ for mode, run in runs.items()}}
        for name, runs in results.items()
    ]
    return {
        "events": events,
        "load_seconds": load_seconds,
        "load_rss_mib": load_rss,
        "second_load_seconds": second_load,
        "memory_mib": memory,
        "cases": table,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000, 1_000_000])
    parser.add_argument("--seconds", type=int, default=5, help="per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sahel-bench")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--cases", nargs="+", default=[], help="only these request types")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("benchmark: wrk is needed (Debian: apt-get install wrk)")
    results = []
    for events in args.sizes:
        result = measure(events, args.workdir, args.seconds, args.connections, args.cases)
        results.append(result)
        print(markdown(result), end="\n\n", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

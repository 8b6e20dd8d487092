"""Load test: drive a running server with concurrent clients on loopback, report the figures.

Starts `sahel-timeline serve` (one process) on a copy of the shipped data in SQLite, unless
--url names a server already running; sends a bounded number of requests from N concurrent
clients over a mix of URLs; prints requests, errors, requests/s, p50/p99 latency and the
server's resident memory before, during and after. Exits non-zero on any error.

    .venv/bin/python scripts/loadtest.py --clients 64 --requests 100000
"""

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
URLS = [
    "/events",
    "/events?limit=5",
    "/events?from=2021-05&to=2021-06&lang=nl",
    "/events?type=coup&type=withdrawal",
    "/events?actor=takuba&sort=-date",
    "/events?q=barkhane",
    "/events/mali-coup-2021",
    "/events/barkhane-end-announced?lang=fr",
    "/actors",
    "/actors/takuba",
    "/actors/emmanuel-macron/events",
    "/event-types",
    "/timeline?actor=takuba",
    "/events.csv?from=2021",
    "/events.geojson",
    "/events?limit=2&cursor=WyJkYXRlIiwiMjAxNC0wOC0wMSIsIm9wZXJhdGlvbi1iYXJraGFuZSJd",
]


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def start_server(port: int, directory: Path) -> subprocess.Popen[bytes]:
    """Initialise a fresh SQLite copy of the data and serve it on `port`."""
    cli = Path(sys.executable).parent / "sahel-timeline"
    database = f"sqlite:///{directory / 'load.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database, "LOG_LEVEL": "WARNING"}
    subprocess.run([str(cli), "init"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([str(cli), "serve", "--workers", "1", "--port", str(port)], env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


async def drive(base: str, clients: int, requests: int, pid: int | None) -> int:
    """Send `requests` requests from `clients` concurrent clients; print the report."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    rss_samples: list[tuple[int, float]] = []
    counter = itertools.count()
    urls = itertools.cycle(URLS)

    async def client(session: httpx.AsyncClient) -> None:
        while (n := next(counter)) < requests:
            url = next(urls)
            started = time.perf_counter()
            try:
                response = await session.get(url, headers={"Accept-Encoding": "gzip"})
                if response.status_code >= 400:
                    key = f"{response.status_code} {url}"
                    errors[key] = errors.get(key, 0) + 1
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            latencies.append(time.perf_counter() - started)
            if pid and n % 10000 == 0:
                rss_samples.append((n, rss_mib(pid)))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        elapsed = time.perf_counter() - started

    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"requests        {len(latencies)}")
    print(f"errors          {sum(errors.values())}  {errors if errors else ''}")
    print(f"concurrency     {clients}")
    print(f"duration        {elapsed:.1f} s")
    print(f"requests/s      {len(latencies) / elapsed:.0f}")
    print(f"latency p50     {p50:.1f} ms")
    print(f"latency p99     {p99:.1f} ms")
    if pid:
        print("server RSS      " + ", ".join(f"{n}: {mib:.1f} MiB" for n, mib in rss_samples))
        print(f"server RSS end  {rss_mib(pid):.1f} MiB")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--url", help="a running server (its RSS is then not reported)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        server = None if args.url else start_server(args.port, Path(scratch))
        base = args.url or f"http://127.0.0.1:{args.port}"
        pid = server.pid if server else None
        try:
            asyncio.run(drive(base, args.clients, args.warmup, None))  # fill caches and pools
            if pid:
                print(f"server RSS after warm-up  {rss_mib(pid):.1f} MiB\n")
            return asyncio.run(drive(base, args.clients, args.requests, pid))
        finally:
            if server:
                server.terminate()
                server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())

"""Instructions per request: the app in process, counted by callgrind.

Requests/s on a shared machine move by a third between runs; the instructions a request
executes do not. This serves each path N times through the whole ASGI app (middleware,
routing, parameters, the SQL, the response) with the response cache off, and prints the
instructions per request, and how many of them SQLite executed. Needs valgrind (Debian
package `valgrind`); the database is one `sahel-timeline load` filled, e.g. by the benchmark.

    .venv/bin/python -m scripts.instructions --database /tmp/sahel-bench/n1000000/db.sqlite \
        '/events?limit={n}' '/events/event-{i}'

In a path, `{i}` is the request's number, `{n}` 50 to 56, `{y}` a year from 1990 to 2025
and `{w}` a word of the generator's lexicon, so no two requests in a row are the same.
"""

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from scripts.generate import LEXICON

WARM_UP = 30


def _path(template: str, i: int) -> str:
    values = {"i": i, "n": 50 + i % 7, "y": 1990 + i % 36, "w": LEXICON[i % len(LEXICON)]}
    for name, value in values.items():
        template = template.replace(f"{{{name}}}", str(value))
    return template


async def _serve(template: str, count: int) -> None:
    """In the child, under valgrind: warm up, say so, wait for the go, serve, say so."""
    from app.main import create_app

    app = create_app()

    async def call(path: str) -> int:
        route, _, query = path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": route,
            "raw_path": route.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1")],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        statuses: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app(scope, receive, send)
        return statuses[0]

    async with app.router.lifespan_context(app):
        for i in range(WARM_UP):
            await call(_path(template, i))
        print("ready", flush=True)
        sys.stdin.readline()
        statuses = {await call(_path(template, WARM_UP + i)) for i in range(count)}
        print("done", *sorted(statuses), flush=True)
        sys.stdin.readline()


def _measure(database: Path, template: str, count: int) -> tuple[int, int, str]:
    """Total and SQLite instructions per request, and the statuses answered."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        child = subprocess.Popen(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-m",
                "scripts.instructions",
                "--child",
                template,
                str(count),
            ],
            env=os.environ
            | {
                "DATABASE_URL": f"sqlite:///{database}",
                "RESPONSE_CACHE_MB": "0",
                # valgrind runs the app ~50 times slower than it runs: no time-outs.
                "STATEMENT_TIMEOUT_MS": "600000",
            },
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert child.stdin is not None
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            raise RuntimeError(f"{template}: the app did not start")
        for command in ("--instr=on", "--zero"):
            subprocess.run(["callgrind_control", command, str(child.pid)], capture_output=True)
        child.stdin.write("go\n")
        child.stdin.flush()
        statuses = child.stdout.readline().split()[1:]
        subprocess.run(["callgrind_control", "--dump", str(child.pid)], capture_output=True)
        child.stdin.write("end\n")
        child.stdin.flush()
        child.wait()
        dump = Path(f"{out}.1")  # the dump taken above; the file without a suffix is the exit's
        annotated = subprocess.run(
            ["callgrind_annotate", "--inclusive=yes", str(dump)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    total = int(re.search(r"^([\d,]+) .*PROGRAM TOTALS", annotated, re.M).group(1).replace(",", ""))  # type: ignore[union-attr]
    step = re.search(r"^\s*([\d,]+) .*:sqlite3_step ", annotated, re.M)
    sqlite = int(step.group(1).replace(",", "")) if step else 0
    return total // count, sqlite // count, "/".join(statuses)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        asyncio.run(_serve(sys.argv[2], int(sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="request paths with their queries")
    parser.add_argument("--database", type=Path, required=True, help="a loaded SQLite file")
    parser.add_argument("--requests", type=int, default=100, help="per path")
    args = parser.parse_args()
    print("| request | status | instructions per request | of which SQLite |")
    print("|---|--:|--:|--:|")
    for template in args.paths:
        total, sqlite, statuses = _measure(args.database, template, args.requests)
        share = f"{sqlite / 1e6:.2f}M ({sqlite / total:.0%})"
        print(f"| `{template}` | {statuses} | {total / 1e6:.2f}M | {share} |", flush=True)


if __name__ == "__main__":
    main()

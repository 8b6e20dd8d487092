"""Seconds of a server process's first pinned read: building the overlay, then opening it.

Each read runs in a fresh process (`python -m scripts.first_pinned_read --database FILE`):
the first finds no overlay stored for the database's state and builds it, the second opens
the file the first wrote, as every other server process and restart does; the third is
the same request unpinned, for comparison. Statements may
run for ten minutes: on a loaded machine a first count outlasts the default timeout.

    .venv/bin/python -m scripts.first_pinned_read --database /tmp/gen/db.sqlite --release 1
"""

import argparse
import subprocess
import sys
from pathlib import Path

_CHILD = """
import sys, time
from fastapi.testclient import TestClient
from app.config import Settings
from app.main import create_app
settings = Settings(database_url=sys.argv[1], statement_timeout_ms=600_000)
with TestClient(create_app(settings)) as client:
    started = time.perf_counter()
    response = client.get(sys.argv[2])
    assert response.status_code == 200, response.text
    print(time.perf_counter() - started)
"""


def _first_read(url: str, path: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, url, path], check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True, help="a loaded SQLite file")
    parser.add_argument("--release", type=int, default=1)
    parser.add_argument("--path", default="/events?limit=50", help="the request, unpinned")
    args = parser.parse_args()
    url = f"sqlite:///{args.database}"
    path = f"{args.path}{'&' if '?' in args.path else '?'}release={args.release}"
    built = _first_read(url, path)
    print(f"build: first read {built:.2f} s")
    print(f"open:  first read {_first_read(url, path):.2f} s")
    print(f"unpinned: first read {_first_read(url, args.path):.2f} s")


if __name__ == "__main__":
    main()

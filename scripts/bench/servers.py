"""The servers a benchmark drives: this API on SQLite or PostgreSQL, Datasette, the ceiling."""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Server:
    """How to start one server, and which of a case's URLs it is asked."""

    name: str
    command: tuple[str, ...]
    env: tuple[tuple[str, str], ...]
    asks: str  # "ours", "ours repeated", "datasette" or "ceiling"


@dataclass(frozen=True)
class Running:
    """A started server: where it answers and its process id."""

    server: Server
    base: str
    pid: int


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ours(name: str, database_url: str, *, cache: bool = False, workers: int = 1) -> Server:
    """This API; the response cache off unless `cache` (then each case asks one URL)."""
    command = [str(BIN / "sahel-timeline"), "serve", "--workers", str(workers)]
    env = {"DATABASE_URL": database_url} | ({} if cache else {"RESPONSE_CACHE_MB": "0"})
    return Server(name, tuple(command), tuple(env.items()), "ours repeated" if cache else "ours")


def datasette(database: Path, metadata: Path) -> Server:
    """Datasette in its fastest honest set-up: an immutable file, no facet suggestions."""
    command = [str(BIN / "datasette"), "serve", "-i", str(database), "-m", str(metadata)]
    for setting, value in [
        ("sql_time_limit_ms", "10000"),
        ("max_returned_rows", "100000"),
        ("suggest_facets", "off"),
    ]:
        command += ["--setting", setting, value]
    return Server("Datasette", tuple(command), (), "datasette")


def ceiling() -> Server:
    """A bare FastAPI endpoint on the same uvicorn, returning bytes it holds."""
    command = [str(BIN / "uvicorn"), "scripts.ceiling:app", "--no-access-log"]
    return Server("ceiling", (*command, "--log-level", "warning"), (), "ceiling")


def _port_option(server: Server, port: int) -> list[str]:
    return ["-p" if server.asks == "datasette" else "--port", str(port)]


@contextmanager
def _started(server: Server, log: Path) -> Iterator[Running]:
    port = free_port()
    process = subprocess.Popen(
        [*server.command, *_port_option(server, port)],
        env=os.environ | dict(server.env),
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{server.name} did not start; see {log}") from None
                time.sleep(0.2)
        yield Running(server, f"http://127.0.0.1:{port}", process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # stuck in a request that never ends
            process.kill()
            process.wait()


@contextmanager
def all_started(servers: Sequence[Server], logs: Path) -> Iterator[list[Running]]:
    """Every server at once, so that runs can alternate between them; logs in `logs`."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(_started(server, logs / f"{_slug(server.name)}.log"))
            for server in servers
        ]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def rss_mib(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    current = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return current / 1024, peak / 1024

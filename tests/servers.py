"""Real `sahel-timeline serve` processes on free ports, as an operator starts them."""

import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx2

from tests.conftest import CLI


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_healthy(server: subprocess.Popen[str], base: str) -> None:
    """Wait until the server answers `/health` with 200; fail if it exits or takes 60 s."""
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, "the server exited"
        try:
            status: int | None = httpx2.get(f"{base}/health").status_code
        except httpx2.TransportError:
            status = None
        if status == 200:
            return
        assert time.monotonic() < deadline, f"no healthy answer within 60 s (last: {status})"
        time.sleep(0.2)


@dataclass
class Server:
    """A running server: its process, its base URL and, once stopped, what it logged."""

    process: subprocess.Popen[str]
    base: str
    stderr: str = field(default="")


@contextmanager
def serving(database_url: str, *args: str, **env: str) -> Iterator[Server]:
    """`sahel-timeline serve *args` on a free port, healthy, stopped when the block ends.

    Its log goes to a file, not a pipe: a pipe nobody reads fills after a few hundred
    requests' lines, and then the server stops to wait for it.
    """
    port = free_port()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            [str(CLI), "serve", "--port", str(port), *args],
            env={"PATH": str(CLI.parent), "DATABASE_URL": database_url, **env},
            stderr=log,
            text=True,
        )
        server = Server(process, f"http://127.0.0.1:{port}")
        try:
            wait_until_healthy(process, server.base)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.seek(0)
            server.stderr = log.read()

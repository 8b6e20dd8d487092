"""`sahel-timeline serve`: the real server process, as an operator starts it."""

import json
import socket
import subprocess
import time

import httpx2

from tests.conftest import CLI


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_healthy(server: subprocess.Popen[str], base: str) -> None:
    """Wait until the server answers `/health` with 200; fail if it exits or takes 20 s."""
    deadline = time.monotonic() + 20
    while True:
        assert server.poll() is None, "the server exited"
        try:
            status: int | None = httpx2.get(f"{base}/health").status_code
        except httpx2.TransportError:
            status = None
        if status == 200:
            return
        assert time.monotonic() < deadline, f"no healthy answer within 20 s (last: {status})"
        time.sleep(0.2)


def test_serve_answers_without_server_header_and_logs_json(seeded_url: str) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [str(CLI), "serve", "--port", str(port)],
        env={"PATH": str(CLI.parent), "DATABASE_URL": seeded_url},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(server, base)
        response = httpx2.get(f"{base}/events", params={"q": "secret words"})
        assert response.status_code == 200
        assert "server" not in response.headers
        assert response.headers["x-content-type-options"] == "nosniff"
        head = httpx2.head(f"{base}/events")
        assert head.status_code == 200
        assert head.content == b""
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=15)
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "app.access"]
    assert {"method": "GET", "path": "/events", "status": 200}.items() <= requests[1].items()
    assert "secret" not in stderr


def test_serve_takes_log_level_and_cors_origins_from_the_environment(seeded_url: str) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [str(CLI), "serve", "--port", str(port)],
        env={
            "PATH": str(CLI.parent),
            "DATABASE_URL": seeded_url,
            "LOG_LEVEL": "WARNING",
            "CORS_ORIGINS": "https://maps.example, https://other.example",
        },
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(server, base)
        for origin in ("https://maps.example", "https://other.example"):
            allowed = httpx2.get(f"{base}/events", headers={"Origin": origin})
            assert allowed.headers["access-control-allow-origin"] == origin
        refused = httpx2.get(f"{base}/events", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in refused.headers
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=15)
    assert "app.access" not in stderr, "an INFO line was logged at level WARNING"

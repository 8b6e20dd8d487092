"""`sahel-timeline serve`: the real server process, as an operator starts it."""

import json
import os
from pathlib import Path

import httpx2
import pytest

from tests.conftest import run_cli, shipped_files
from tests.servers import serving


def test_serve_answers_without_server_header_and_logs_json(seeded_url: str) -> None:
    with serving(seeded_url, "--workers", "1") as server:
        response = httpx2.get(f"{server.base}/events", params={"q": "secret words"})
        assert response.status_code == 200
        assert "server" not in response.headers
        assert response.headers["x-content-type-options"] == "nosniff"
        head = httpx2.head(f"{server.base}/events")
        assert head.status_code == 200
        assert head.content == b""
    lines = [json.loads(line) for line in server.stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "app.access"]
    assert {"method": "GET", "path": "/events", "status": 200}.items() <= requests[1].items()
    assert "secret" not in server.stderr


def test_serve_takes_log_level_and_cors_origins_from_the_environment(seeded_url: str) -> None:
    environment = {
        "LOG_LEVEL": "WARNING",
        "CORS_ORIGINS": "https://maps.example, https://other.example",
    }
    with serving(seeded_url, "--workers", "1", **environment) as server:
        for origin in ("https://maps.example", "https://other.example"):
            allowed = httpx2.get(f"{server.base}/events", headers={"Origin": origin})
            assert allowed.headers["access-control-allow-origin"] == origin
        refused = httpx2.get(f"{server.base}/events", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in refused.headers
    assert "app.access" not in server.stderr, "an INFO line was logged at level WARNING"


def _workers(pid: int) -> set[int]:
    """The worker processes `pid` started that still run (not multiprocessing's tracker)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return {pid for pid in found if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()}


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_serve_workers_starts_that_many_processes_that_all_answer(seeded_url: str) -> None:
    with serving(seeded_url, "--workers", "2") as server:
        workers = _workers(server.process.pid)
        assert len(workers) == 2
        with httpx2.Client(base_url=server.base) as client:
            answers = [client.get("/events", params={"limit": n}) for n in range(1, 21)]
        assert {response.status_code for response in answers} == {200}
        assert [len(response.json()["items"]) for response in answers] == list(range(1, 21))
        assert _workers(server.process.pid) == workers, "a worker died"
    assert server.process.returncode == 0
    assert all(not Path(f"/proc/{pid}").exists() for pid in workers), "a worker outlived it"


def test_serve_workers_defaults_to_one_per_core() -> None:
    result = run_cli("serve", "--help", database_url="sqlite://")
    assert f"one per core, {os.cpu_count()} here" in " ".join(result.stdout.split())


@pytest.mark.parametrize("workers", ["0", "-1", "two"])
def test_serve_refuses_a_workers_count_that_is_not_a_positive_number(workers: str) -> None:
    result = run_cli("serve", "--workers", workers, database_url="sqlite://")
    assert result.returncode == 2
    assert f"argument --workers: '{workers}' is not a number of processes" in result.stderr


def _next_link(base: str, **headers: str) -> str:
    response = httpx2.get(f"{base}/events", params={"limit": 1}, headers=headers)
    link: str = response.json()["next"]
    return link


def test_forwarded_proto_is_believed_from_a_proxy_on_this_machine_only(seeded_url: str) -> None:
    https = {"X-Forwarded-Proto": "https"}
    with serving(seeded_url, "--workers", "1") as server:
        host = server.base.removeprefix("http://")
        assert _next_link(server.base, **https).startswith(f"https://{host}/events?")
        assert _next_link(server.base).startswith(f"http://{host}/events?")
    with serving(seeded_url, "--workers", "1", FORWARDED_ALLOW_IPS="10.0.0.1") as server:
        assert _next_link(server.base, **https).startswith("http://")
    with serving(seeded_url, "--workers", "1", "--forwarded-allow-ips", "10.0.0.1") as server:
        assert _next_link(server.base, **https).startswith("http://")


def test_public_base_url_names_the_service_whatever_the_proxy_sends(seeded_url: str) -> None:
    public = "https://timeline.example/sahel"
    with serving(seeded_url, "--workers", "1", PUBLIC_BASE_URL=public) as server:
        forged = {"X-Forwarded-Proto": "http", "Host": "evil.example"}
        assert _next_link(server.base, **forged).startswith(f"{public}/events?")


def test_serve_reads_from_database_read_url(seeded_url: str, tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'primary-not-here.sqlite3'}"
    with serving(missing, "--workers", "1", DATABASE_READ_URL=seeded_url) as server:
        response = httpx2.get(f"{server.base}/events", params={"limit": 1})
        assert response.status_code == 200
        assert response.json()["total"] > 0


def test_command_line_writes_only_to_database_url(empty_url: str, tmp_path: Path) -> None:
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"
    files = map(str, shipped_files())
    result = run_cli("load", *files, database_url=empty_url, DATABASE_READ_URL=unreachable)
    assert result.returncode == 0, result.stderr
    with serving(empty_url, "--workers", "1") as server:
        assert httpx2.get(f"{server.base}/events").json()["total"] > 0


def test_serve_checks_the_environment_once_before_any_worker_starts() -> None:
    result = run_cli("serve", "--workers", "2", database_url="sqlite://", DB_POOL_SIZE="0")
    assert result.returncode == 2
    assert result.stderr.startswith("error: DB_POOL_SIZE: Input should be greater than")
    assert "Started parent process" not in result.stderr


def test_serve_stops_at_once_when_the_workers_could_not_build_the_app() -> None:
    result = run_cli("serve", "--workers", "2", database_url="nosuchdialect://x")
    assert result.returncode == 1
    assert "Can't load plugin: sqlalchemy.dialects:nosuchdialect" in result.stderr
    assert "Started parent process" not in result.stderr

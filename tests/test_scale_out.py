"""Scale-out: two server processes, one with two workers, on one database while `load`
writes a new release. Every answer is the old release or the new one, never a mix or an
error, and afterwards every process and worker serves the new one.

Runs on PostgreSQL with `TEST_DATABASE_URL` and on one SQLite file (WAL) otherwise.
"""

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest

from app import migrate
from tests.conftest import load_files, run_cli, shipped_files
from tests.databases import SERVER_URL, fresh_database, scalar
from tests.servers import Server, serving

CHANGED = "unsc-resolution-2085"  # the earliest event: on every first page
URLS = ("/events?limit=5", f"/events/{CHANGED}", "/events?limit=5&lang=fr", "/actors?limit=3")
# Enough events besides the change that the load runs for a while, not a blink.
BULK = 1000


@dataclass(frozen=True)
class Answer:
    """One response as a client saw it, and when it was asked and answered."""

    url: str
    status: int
    etag: str
    release: str
    body: bytes
    asked: float
    answered: float

    @property
    def version(self) -> tuple[str, str, bytes]:
        """What must agree across processes: validator, release and bytes."""
        return self.etag, self.release, self.body


def _ask(client: httpx2.Client, url: str) -> Answer:
    """The answer to GET `url`; a failed exchange is status 0 with the error as body."""
    asked = time.monotonic()
    try:
        response = client.get(url)
    except httpx2.HTTPError as exc:
        return Answer(url, 0, "", "", repr(exc).encode(), asked, time.monotonic())
    return Answer(
        url,
        response.status_code,
        response.headers.get("etag", ""),
        response.headers.get("dataset-release", ""),
        response.content,
        asked,
        time.monotonic(),
    )


def _snapshot(server: Server, rounds: int = 1) -> dict[str, tuple[str, str, bytes]]:
    """Each URL's answer from `server`, asked `rounds` times, which must all agree (with
    several workers, each round may reach another one)."""
    seen: dict[str, set[tuple[str, str, bytes]]] = {url: set() for url in URLS}
    with httpx2.Client(base_url=server.base) as client:
        for _ in range(rounds):
            for url in URLS:
                answer = _ask(client, url)
                assert answer.status == 200, answer.body
                seen[url].add(answer.version)
    assert all(len(versions) == 1 for versions in seen.values()), "workers disagree"
    return {url: versions.pop() for url, versions in seen.items()}


class _Poller(threading.Thread):
    """Asks one server for the URLs in turn, keeping every answer, until stopped."""

    def __init__(self, server: Server) -> None:
        super().__init__()
        self.server = server
        self.answers: list[Answer] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx2.Client(base_url=self.server.base, timeout=30) as client:
            while not self.stop.is_set():
                for url in URLS:
                    self.answers.append(_ask(client, url))

    def wait_for(self, count: int) -> None:
        """Wait until `count` answers are in; fail after 60 s."""
        deadline = time.monotonic() + 60
        while len(self.answers) < count:
            assert self.is_alive(), "the poller stopped"
            assert time.monotonic() < deadline, f"{len(self.answers)} of {count} answers in 60 s"
            time.sleep(0.05)


def _change(directory: Path) -> Path:
    """A data file that retitles one shipped event and adds `BULK` events like it."""
    events = json.loads(shipped_files()[1].read_text(encoding="utf-8"))["events"]
    changed = next(event for event in events if event["id"] == CHANGED)
    changed["title"]["en"] += " (revised)"
    bulk = [{**changed, "id": f"bulk-{n}", "relations": []} for n in range(BULK)]
    path = directory / "change.json"
    path.write_text(json.dumps({"events": [changed, *bulk]}), encoding="utf-8")
    return path


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """A database with the shipped data, one per test: the test writes a release to it."""
    with fresh_database(tmp_path) as url:
        migrate.upgrade(url)
        load_files(url, shipped_files())
        yield url


def test_two_servers_serve_old_or_new_during_a_load_and_agree_after(
    database: str, tmp_path: Path
) -> None:
    change = _change(tmp_path)
    with ExitStack() as stack:
        # Behind one proxy, as in production: both name the service the same way.
        public = {"PUBLIC_BASE_URL": "https://timeline.example"}
        servers = [
            stack.enter_context(serving(database, "--workers", "2", **public)),
            stack.enter_context(serving(database, "--workers", "1", **public)),
        ]
        # Several rounds, so that each worker (the kernel picks) most likely answers and
        # keeps the old answers in its response cache.
        old = _snapshot(servers[0], rounds=8)
        assert _snapshot(servers[1], rounds=2) == old
        pollers = [_Poller(server) for server in servers]
        for poller in pollers:
            poller.start()
        try:
            for poller in pollers:
                poller.wait_for(len(URLS))
            started = time.monotonic()
            load = run_cli(
                "load", str(change), "--note", "retitle one event", database_url=database
            )
            ended = time.monotonic()
            assert load.returncode == 0, load.stderr
            assert f"({BULK + 1} new or changed; release" in load.stdout, load.stdout
            for poller in pollers:
                poller.wait_for(len(poller.answers) + len(URLS))
        finally:
            for poller in pollers:
                poller.stop.set()
                poller.join()
        new = _snapshot(servers[0], rounds=8)
        assert _snapshot(servers[1], rounds=2) == new
    assert all(new[url] != old[url] for url in URLS), "the load changed nothing served"
    assert b"(revised)" in new[f"/events/{CHANGED}"][2]
    for server, poller in zip(servers, pollers, strict=True):
        during = [a for a in poller.answers if a.asked >= started and a.answered <= ended]
        assert during, f"{server.base} answered nothing while the load ran"
        errors = [(a.url, a.status, a.body[:200]) for a in poller.answers if a.status != 200]
        assert not errors, f"{server.base} failed: {errors[:3]}\n{server.stderr[-3000:]}"
        mixed = [a.url for a in poller.answers if a.version not in (old[a.url], new[a.url])]
        assert not mixed, f"{server.base} answered neither release for {mixed[:3]}"


def _connections(url: str) -> int:
    """How many connections to the database at `url` other sessions hold."""
    held = scalar(
        url,
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    return int(held or 0)


@pytest.mark.skipif(
    SERVER_URL is None, reason="SQLite: one connection per process whatever DB_POOL_SIZE says"
)
def test_each_worker_keeps_at_most_db_pool_size_connections_and_one_probe(
    database: str,
) -> None:
    # A database of its own: the shared one also holds the connections of other tests' apps.
    with serving(database, "--workers", "2", DB_POOL_SIZE="2") as server:
        with httpx2.Client(base_url=server.base, timeout=30) as client:
            limits = range(1, 65)
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(lambda n: client.get(f"/events?limit={n}"), limits))
        held = _connections(database)
    assert {answer.status_code for answer in answers} == {200}
    assert 2 <= held <= 2 * (2 + 1), f"{held} connections from 2 workers with DB_POOL_SIZE=2"

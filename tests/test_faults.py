"""Faults: the database missing, broken, locked or reloaded while the API serves it."""

import json
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from app import migrate
from app.config import Settings
from app.main import create_app
from tests.conftest import CLI, load_files, shipped_files
from tests.databases import SERVER_URL, fresh_database, scalar

SQLITE_ONLY = pytest.mark.skipif(SERVER_URL is not None, reason="a fault of SQLite files")


def client_for(url: str, **overrides: Any) -> TestClient:
    return TestClient(create_app(Settings(database_url=url, **overrides)))


def assert_unavailable(client: TestClient) -> None:
    """Health and data both answer 503, saying the database cannot answer, and when to retry."""
    health = client.get("/health")
    assert health.status_code == 503
    assert health.headers["retry-after"]
    assert health.json()["detail"].startswith("the database cannot answer")
    data = client.get("/events", params={"q": "uncached"})  # not a page the cache holds
    assert data.status_code == 503
    assert data.headers["content-type"] == "application/problem+json"
    assert data.headers["retry-after"]
    assert data.json()["detail"].startswith("the database cannot answer")


def seed(url: str) -> None:
    migrate.upgrade(url)
    load_files(url, shipped_files())


def test_missing_database_then_recovery(tmp_path: Path) -> None:
    if SERVER_URL is None:
        url = f"sqlite:///{tmp_path / 'later.sqlite3'}"
        client = client_for(url)
        assert_unavailable(client)
        assert not (tmp_path / "later.sqlite3").exists(), "serving created the file"
        seed(url)
        assert client.get("/health").status_code == 200
        return
    with fresh_database(tmp_path) as url:
        missing = make_url(url).set(database=f"{make_url(url).database}_later")
        client = client_for(missing.render_as_string(hide_password=False))
        assert_unavailable(client)
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{missing.database}"'))
        try:
            seed(missing.render_as_string(hide_password=False))
            assert client.get("/health").status_code == 200
            assert client.get("/events").json()["total"] > 20
        finally:
            client.app.state.engine.dispose()  # type: ignore[attr-defined]
            client.app.state.probe_engine.dispose()  # type: ignore[attr-defined]
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{missing.database}" WITH (FORCE)'))
            admin.dispose()


@SQLITE_ONLY
def test_unreadable_database_then_recovery(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.mkdir()  # a directory where the file should be: unreadable as a database
    client = client_for(f"sqlite:///{path}")
    assert_unavailable(client)
    path.rmdir()
    seed(f"sqlite:///{path}")
    assert client.get("/health").status_code == 200


@SQLITE_ONLY
def test_corrupt_database_then_recovery(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not a database file" * 200)
    client = client_for(f"sqlite:///{path}")
    assert_unavailable(client)
    path.unlink()
    seed(f"sqlite:///{path}")
    assert client.get("/health").status_code == 200
    assert client.get("/events").status_code == 200


def test_locked_database_then_recovery(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        seed(url)
        client = client_for(url, statement_timeout_ms=500)
        assert client.get("/events").status_code == 200
        if SERVER_URL is None:
            # WAL lets readers past an ordinary writer; an exclusive-mode lock stops them.
            client.app.state.engine.dispose()  # type: ignore[attr-defined]
            client.app.state.probe_engine.dispose()  # type: ignore[attr-defined]
            holder = sqlite3.connect(make_url(url).database or "", isolation_level=None)
            holder.execute("PRAGMA locking_mode=EXCLUSIVE")
            holder.execute("BEGIN EXCLUSIVE")
            holder.execute("DELETE FROM event_tag")
            release = holder.rollback
        else:
            engine = create_engine(url)
            connection = engine.connect()
            connection.execute(text("LOCK TABLE event IN ACCESS EXCLUSIVE MODE"))

            def release() -> None:
                connection.rollback()
                connection.close()
                engine.dispose()

        try:
            assert_unavailable(client)
        finally:
            release()
        if SERVER_URL is None:
            holder.close()
        assert client.get("/health").status_code == 200
        assert client.get("/events").status_code == 200


def test_a_request_that_finds_every_connection_taken_is_503(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with client_for(seeded_url) as client:
        pool = client.app.state.engine.pool  # type: ignore[attr-defined]
        monkeypatch.setattr(pool, "_timeout", 0.2)  # how long a request waits for a connection
        taken = [client.app.state.engine.connect() for _ in range(pool.size())]  # type: ignore[attr-defined]
        try:
            response = client.get("/events", params={"q": "busy"})
        finally:
            for connection in taken:
                connection.close()
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"]
        assert response.json()["detail"] == "the service is too busy right now"
        assert client.get("/events", params={"q": "busy"}).status_code == 200


def _versioned_files(directory: Path) -> dict[str, Path]:
    """The shipped data twice, with every English title marked [v1] or [v2]."""
    files = {}
    for version in ("v1", "v2"):
        document: dict[str, list[Any]] = {}
        for path in shipped_files():
            for key, records in json.loads(path.read_text(encoding="utf-8")).items():
                if isinstance(records, list):
                    document.setdefault(key, []).extend(records)
        for event in document["events"]:
            event["title"]["en"] += f" [{version}]"
        files[version] = directory / f"{version}.json"
        files[version].write_text(json.dumps(document), encoding="utf-8")
    return files


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, TestClient]]:
    with fresh_database(tmp_path) as url:
        seed(url)
        with client_for(url) as client:
            yield url, client


def test_readers_never_see_a_mix_while_data_reloads(
    served: tuple[str, TestClient], tmp_path: Path
) -> None:
    url, client = served
    files = _versioned_files(tmp_path)
    stop = threading.Event()
    loads = 0

    def reload() -> None:
        nonlocal loads
        while not stop.is_set():
            load_files(url, [files["v1" if loads % 2 == 0 else "v2"]])
            loads += 1

    writer = threading.Thread(target=reload)
    writer.start()
    seen: set[str] = set()
    try:
        # A bound, not a pace: the loop ends once four loads are done and both were seen.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (loads < 4 or len(seen) < 2):
            response = client.get("/events", params={"limit": 500, "q": "v"})
            assert response.status_code == 200, response.text
            body = response.json()
            versions = {
                item["title"][-3:-1] for item in body["items"] if item["title"].endswith("]")
            }
            assert len(versions) <= 1, f"one response mixed data sets: {versions}"
            assert body["total"] == len(body["items"])
            seen |= versions
    finally:
        stop.set()
        writer.join()
    assert loads >= 4
    assert seen == {"v1", "v2"}, "the reader never saw both data sets"


def _large_file(directory: Path, events: int) -> Path:
    """Many events that refer to the shipped actors and sources: a load that takes a while."""
    template = json.loads((shipped_files()[1]).read_text(encoding="utf-8"))["events"][0]
    records = [{**template, "id": f"bulk-{n}", "relations": []} for n in range(events)]
    path = directory / "large.json"
    path.write_text(json.dumps({"events": records}), encoding="utf-8")
    return path


def _writing(url: str) -> bool:
    """Whether another connection holds a write transaction on the events."""
    if SERVER_URL is None:
        probe = sqlite3.connect(make_url(url).database or "", timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")  # fails while a writer holds the lock
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    # pg_locks holds the locks of every database on the server, not only this one's.
    held = scalar(
        url,
        "SELECT count(*) FROM pg_locks JOIN pg_class ON pg_class.oid = relation"
        " WHERE relname = 'event' AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    return bool(held)


def _kill_once(process: subprocess.Popen[bytes], condition: Callable[[], bool]) -> None:
    """Kill `process` as soon as `condition` holds, which it must do while the process runs;
    killed in any case, so that a failed wait leaves no load running."""
    # A bound against a hang, not a pace: on a machine busy with other work, reading the
    # large file before the first write has taken minutes.
    deadline = time.monotonic() + 600
    try:
        while not condition():
            assert process.poll() is None, "the load finished before it could be killed"
            assert time.monotonic() < deadline, "the load did not start writing within 600 s"
            time.sleep(0.02)
        assert process.poll() is None, "the load finished before it could be killed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def _children(pid: int) -> list[int]:
    """The processes `pid` started and that still run (Linux's /proc)."""
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _ended(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return True
    return fields[0] in ("Z", "X")  # a zombie has ended; only its parent's reaping is left


def _start_load(url: str, *args: str | Path, log: Path) -> subprocess.Popen[bytes]:
    """`sahel-timeline load` with `args`, in the background, writing all it says to `log`."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [str(CLI), "load", *map(str, args)],
            env={"PATH": str(CLI.parent), "DATABASE_URL": url},
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def test_a_load_killed_half_way_leaves_the_data_intact(
    served: tuple[str, TestClient], tmp_path: Path
) -> None:
    url, client = served
    before = client.get("/events", params={"limit": 500}).json()
    process = _start_load(url, _large_file(tmp_path, 20000), log=tmp_path / "load.log")
    helpers: list[int] = []

    def writing() -> bool:
        helpers[:] = _children(process.pid)
        return _writing(url) and bool(helpers)

    _kill_once(process, writing)
    with client_for(url) as fresh:
        assert fresh.get("/events", params={"limit": 500}).json() == before
    assert client.get("/events", params={"limit": 500}).json() == before
    # The load's validating process notices that nobody reads it any more and ends too.
    deadline = time.monotonic() + 60
    while not all(map(_ended, helpers)):
        assert time.monotonic() < deadline, f"processes of the killed load still run: {helpers}"
        time.sleep(0.1)


@SQLITE_ONLY
def test_a_first_load_killed_half_way_leaves_an_empty_database(tmp_path: Path) -> None:
    """Killed while it writes without the write-ahead log: the rollback journal undoes it."""
    path = tmp_path / "first.sqlite3"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    log = tmp_path / "load.log"
    files = [*shipped_files(), _large_file(tmp_path, 40000)]
    process = _start_load(url, *files, "--progress", "0.01", log=log)
    journal = path.with_name(f"{path.name}-journal")
    # Leaving the write-ahead log rewrites the file's header in a short transaction with a
    # journal of its own. It is over before the load reads a record, so a journal seen once
    # the load reports progress is that of the load's transaction, which stays to its commit.
    _kill_once(process, lambda: "loading:" in log.read_text() and journal.exists())
    assert journal.exists(), "the load did not write with a rollback journal"
    with client_for(url) as client:
        assert client.get("/events").json()["total"] == 0
    load_files(url, shipped_files())
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)

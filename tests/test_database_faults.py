"""A database that is missing, empty or out of reach: the API answers 503 and the CLI one
line, both saying what to do, on SQLite and PostgreSQL."""

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import make_url

from app.config import Settings
from app.main import create_app
from tests.conftest import DATA_DIR, run_cli
from tests.databases import SERVER_URL, fresh_database, scalar

DATA_PATHS = ["/health", "/events", "/events/mali-coup-2021", "/actors", "/timeline"]


@pytest.fixture
def tableless_url(tmp_path: Path) -> Iterator[str]:
    """A database that exists but was never migrated."""
    with fresh_database(tmp_path) as url:
        if SERVER_URL is None:
            sqlite3.connect(make_url(url).database or "").close()  # an empty file
        yield url


@pytest.fixture
def absent_url(tmp_path: Path) -> str:
    """A database that cannot be created by connecting: an SQLite file in a directory that
    does not exist, or a database the server does not have."""
    if SERVER_URL is None:
        return f"sqlite:///{tmp_path / 'no-dir' / 'never-created.sqlite3'}"
    return make_url(SERVER_URL).set(database="sahel_never_created").render_as_string(False)


def get_all(url: str) -> list[dict[str, str]]:
    """The problem bodies of the data paths, each checked to be a 503 to retry."""
    app = create_app(Settings(database_url=url))
    bodies = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in DATA_PATHS:
            response = client.get(path)
            assert response.status_code == 503, (path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["retry-after"]
            bodies.append(response.json())
    return bodies


def test_unmigrated_database_is_503_saying_run_init(tableless_url: str) -> None:
    for body in get_all(tableless_url):
        assert body["detail"] == (
            "the database cannot answer: the database has no tables yet; "
            "run `sahel-timeline init` to create and load it"
        )


def test_missing_database_is_503_saying_run_init(absent_url: str) -> None:
    for body in get_all(absent_url):
        assert "run `sahel-timeline init`" in body["detail"]
        assert "never-created" not in body["detail"]  # no file or database name leaks
        assert "never_created" not in body["detail"]


def assert_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0]


@pytest.mark.parametrize(
    "command", [["init"], ["migrate"], ["load", str(DATA_DIR / "actors.json")]]
)
def test_cli_on_missing_database_says_what_to_do(absent_url: str, command: list[str]) -> None:
    result = run_cli(*command, database_url=absent_url)
    if SERVER_URL is None:
        assert_one_line(result, "never-created.sqlite3", "does its directory exist")
    else:
        assert_one_line(result, "'sahel_never_created' does not exist", "createdb", "init")


def test_cli_load_into_unmigrated_database_says_run_init(tableless_url: str) -> None:
    result = run_cli("load", str(DATA_DIR / "actors.json"), database_url=tableless_url)
    assert_one_line(result, "no tables yet", "sahel-timeline init")


def test_cli_on_unreachable_server_says_so() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:9/sahel"  # port 9 (discard): nothing listens
    result = run_cli("migrate", database_url=url)
    assert_one_line(result, "cannot reach the database server at 127.0.0.1:9", "DATABASE_URL")


@pytest.mark.skipif(SERVER_URL is None, reason="only a database server's connections drop")
def test_connections_the_server_dropped_cost_no_request(empty_url: str) -> None:
    """The API does not ping each connection before use: a read that finds its connection
    dropped (a restart, a failover) runs again on a new one instead of failing."""
    paths = {"/events": 200, "/events/mali-coup-2021": 404, "/actors?limit=1": 200}
    app = create_app(Settings(database_url=empty_url, response_cache_mb=0))
    with TestClient(app, raise_server_exceptions=False) as client:
        for path, status in paths.items():  # the pool now holds a connection
            assert client.get(path).status_code == status
        dropped = scalar(
            empty_url,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        assert dropped >= 1
        for path, status in paths.items():
            response = client.get(path)
            assert response.status_code == status, response.text

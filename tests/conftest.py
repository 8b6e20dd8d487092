"""Fixtures: one migrated, seeded database and client for read tests; fresh ones for writes."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from app import migrate, search
from app.config import PROJECT_ROOT, Settings
from app.db import Base, make_engine, make_sessionmaker
from app.loading import loader
from app.main import create_app
from tests.databases import fresh_database

DATA_DIR = PROJECT_ROOT / "data"
CLI = Path(sys.executable).parent / "sahel-timeline"


def missing(what: str, install: str) -> NoReturn:
    """Skip a test that needs `what`, which is absent, saying how to install it. In CI
    (`CI=true`), which installs everything the tests need, fail instead: a skip there would
    pass a run that never tested the thing."""
    reason = f"{what} is missing; {install}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def shipped_files() -> list[Path]:
    """The data files `init` loads."""
    return sorted(p for p in DATA_DIR.glob("*.json") if p.name != "schema.json")


def load_files(url: str, paths: list[Path]) -> None:
    """Load data files into the database at `url` in one transaction."""
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        loader.load(session, paths)
    engine.dispose()


def run_cli(
    *args: str, database_url: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the installed `sahel-timeline` console script (in `cwd`, if given)."""
    return subprocess.run(
        [str(CLI), *args],
        cwd=cwd,
        env={"PATH": str(CLI.parent), "DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
        timeout=300,  # a guard against a hang: a large load on a busy PostgreSQL takes minutes
        check=False,
    )


def schema_drift(connection: Connection) -> list[Any]:
    """How the database's schema differs from the models, leaving out the search index
    objects the migrations create and the models do not declare."""
    opts = {
        "compare_type": True,
        "include_name": lambda name, *_: not search.is_index_object(name),
    }
    drift: list[Any] = compare_metadata(
        MigrationContext.configure(connection, opts=opts), Base.metadata
    )
    return drift


def statements(client: TestClient, url: str, **request: Any) -> list[tuple[str, Any]]:
    """The SQL a GET of `url` runs on the app's engine, with its parameters."""
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        client.get(url, **request)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head and loaded with the shipped data (read-only use)."""
    with fresh_database(tmp_path_factory.mktemp("seeded")) as url:
        migrate.upgrade(url)
        load_files(url, shipped_files())
        yield url


@pytest.fixture(scope="session")
def client(seeded_url: str) -> Iterator[TestClient]:
    """A client of the app over the seeded database."""
    with TestClient(create_app(Settings(database_url=seeded_url))) as test_client:
        yield test_client


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database with the schema and no rows."""
    with fresh_database(tmp_path) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture
def bare_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database without even the schema."""
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def session(empty_url: str) -> Iterator[Session]:
    """A session on a fresh migrated database; the test decides when to commit."""
    engine = make_engine(empty_url)
    with make_sessionmaker(engine)() as db_session:
        yield db_session
    engine.dispose()

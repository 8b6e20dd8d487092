"""Throw-away databases: SQLite files by default, PostgreSQL when TEST_DATABASE_URL is set."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

SERVER_URL = os.environ.get("TEST_DATABASE_URL")


@contextmanager
def fresh_database(directory: Path) -> Iterator[str]:
    """The URL of a new, empty database, dropped afterwards."""
    if SERVER_URL is None:
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    name = f"sahel_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def scalar(url: str, sql: str, **params: Any) -> Any:
    """The one value `sql` selects from the database at `url`, read on a connection of its own,
    so that it sees what other sessions (a server, a load) hold."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text(sql), params)
    finally:
        engine.dispose()

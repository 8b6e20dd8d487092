"""Database plumbing: the declarative base, engines and the request session.

Everything that depends on the SQL dialect lives here, so the rest of the code works
with any SQLAlchemy URL.
"""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; named constraints keep SQLite batch migrations possible."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys, and leave transactions to SQLAlchemy (see `_begin`)."""
    dbapi_connection.isolation_level = None  # the driver would not put DDL in a transaction
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _begin(connection: Connection) -> None:
    """Start every transaction explicitly, so migrations (DDL) are all-or-nothing too."""
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`, with the settings its dialect needs."""
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _begin)
    return engine


def prepare_for_migrations(connection: Connection) -> None:
    """Let SQLite batch migrations copy and drop tables that others reference.

    Must run before the migration's transaction starts: SQLite ignores this pragma inside one.
    """
    if connection.dialect.name == "sqlite":
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (the CLI prints them)."""
    return sessionmaker(engine, expire_on_commit=False)


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; reads only, so it is closed without commit."""
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

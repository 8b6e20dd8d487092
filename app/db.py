"""Database plumbing: the declarative base, engines and the request session.

Everything that depends on the SQL dialect lives here, so the rest of the code works
with any SQLAlchemy URL.
"""

import math
import sqlite3
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import (
    Connection,
    Engine,
    ExceptionContext,
    MetaData,
    create_engine,
    event,
    make_url,
    text,
)
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
    """Start every transaction explicitly, so migrations (DDL) are all-or-nothing too.

    Straight on the driver: every request begins one, and SQLAlchemy's execution path
    (events, result set-up) would cost more than the statement.
    """
    connection.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]


def _use_wal(dbapi_connection: Any, _record: Any) -> None:
    """Write-ahead logging: readers keep their snapshot while `load` writes a new one.

    In WAL mode, synchronous=NORMAL still survives a crash of the process; a bigger page
    cache keeps the indexes of a large `load` in memory.
    """
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
    dbapi_connection.execute("PRAGMA cache_size=-131072")


# Errors after which a pooled SQLite connection is worthless: the file went missing, was
# replaced or is damaged. Treating them as disconnects drops the connection from the pool,
# so the service recovers by itself once the file is back.
_SQLITE_FILE_ERRORS = (
    "unable to open database file",
    "file is not a database",
    "database disk image is malformed",
    "disk i/o error",
    "no such table",
)


def _drop_broken_sqlite_connection(context: ExceptionContext) -> None:
    if any(text in str(context.original_exception).lower() for text in _SQLITE_FILE_ERRORS):
        context.is_disconnect = True


def _sqlite_reader(timeout_s: float) -> tuple[Any, Any]:
    """Connect and statement hooks that make SQLite connections read-only and time-boxed."""

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only=ON")
        deadline = [math.inf]
        record.info["deadline"] = deadline
        # A non-zero answer interrupts the statement. Called every 200k VM steps (a few ms):
        # each call needs the GIL, which busy request threads would make it wait for.
        dbapi_connection.set_progress_handler(lambda: int(time.monotonic() > deadline[0]), 200_000)

    def before_execute(connection: Connection, *_args: Any) -> None:
        connection.info["deadline"][0] = time.monotonic() + timeout_s

    return on_connect, before_execute


def make_engine(
    url: str,
    *,
    read_only: bool = False,
    statement_timeout_ms: int = 0,
    pool_size: int = 40,
    pre_ping: bool = True,
) -> Engine:
    """An engine for `url`, with the settings its dialect needs.

    `read_only` engines (the API's) cannot write, whatever code runs on them, and stop any
    statement that runs longer than `statement_timeout_ms`; on a database server they keep
    up to `pool_size` connections. Each server process builds its own in `create_app`:
    connections are never shared across processes. A server connection can drop between
    uses: `pre_ping` checks each before use, a round trip that an engine whose users retry
    a dropped connection (`app.api.exchange_route`) does without. A SQLite file cannot
    drop (see `handle_error`).
    """
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    options: dict[str, Any] = {"pool_pre_ping": pre_ping and not sqlite}
    file_backed = sqlite and parsed.database not in (None, "", ":memory:")
    if read_only and file_backed:
        # mode=rw: a missing file is an error, not a new empty database.
        parsed = parsed.set(database=f"file:{parsed.database}", query={"mode": "rw", "uri": "true"})
        options["connect_args"] = {"timeout": 2}
    if read_only and file_backed:
        # One statement at a time: Python's sqlite3 gives up the GIL for every row it
        # steps, and threads that all wait on SQLite would queue for the GIL after each row.
        options.update(pool_size=1, max_overflow=0, pool_timeout=30)
    elif read_only and not sqlite:
        # By default one per request thread (anyio's 40), kept open: none waits, none is
        # opened and closed again under load. Fewer make threads queue for a connection.
        options.update(pool_size=pool_size, max_overflow=0, pool_timeout=10)
    if read_only and parsed.get_backend_name() == "postgresql":
        # No JIT: a request's statements read a page by index, and the probes of a pinned
        # page inflate its estimated cost past `jit_above_cost`, so that compiling it took
        # 300 ms of a page that runs in a few.
        settings = "-c default_transaction_read_only=on -c jit=off"
        if statement_timeout_ms:
            settings += f" -c statement_timeout={statement_timeout_ms}"
        options["connect_args"] = {"options": settings}
        # One snapshot per request: a page and its total never straddle a reload.
        options["isolation_level"] = "REPEATABLE READ"
    engine = create_engine(parsed, **options)
    if sqlite:
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _begin)
        if file_backed and not read_only:
            event.listen(engine, "connect", _use_wal)
        if read_only:
            event.listen(engine, "handle_error", _drop_broken_sqlite_connection)
            on_connect, before_execute = _sqlite_reader((statement_timeout_ms or 10**9) / 1000)
            event.listen(engine, "connect", on_connect)
            event.listen(engine, "before_cursor_execute", before_execute)
    return engine


def prepare_for_migrations(connection: Connection) -> None:
    """Let SQLite batch migrations copy and drop tables that others reference.

    Must run before the migration's transaction starts: SQLite ignores this pragma inside one.
    """
    if connection.dialect.name == "sqlite":
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]


def suspend_wal_and_foreign_keys(connection: Connection) -> bool:
    """Before the transaction of a load into an empty SQLite file: write it without the
    write-ahead log and without foreign-key checks. Returns whether it did.

    Each page is then written once, straight to the file; a rollback journal still makes
    the load all-or-nothing. SQLite leaves WAL mode only while no other connection has the
    file open: with a server reading it, nothing changes (and nothing waits).
    """
    if connection.dialect.name != "sqlite":
        return False
    driver = connection.connection.driver_connection
    assert driver is not None
    patience = driver.execute("PRAGMA busy_timeout").fetchone()[0]
    driver.execute("PRAGMA busy_timeout=0")
    try:
        mode = driver.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:  # "database is locked": another connection has it open
        return False
    finally:
        driver.execute(f"PRAGMA busy_timeout={patience}")
    if mode != "delete":  # an in-memory database
        return False
    driver.execute("PRAGMA synchronous=FULL")  # a power cut must not corrupt the file either
    driver.execute("PRAGMA foreign_keys=OFF")
    return True


def restore_wal_and_foreign_keys(connection: Connection) -> None:
    """Undo `suspend_wal_and_foreign_keys`, once its transaction has ended."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=ON")
    _use_wal(driver, None)


def mark_all_visible(connection: Connection) -> None:
    """After a load on PostgreSQL, outside its transaction: `VACUUM`, which marks the pages
    it wrote all-visible. Until then every index entry is checked against its table row (no
    index-only scan: counts and pages read the tables), and autovacuum, where it is on, does
    it only some time later. SQLite's indexes need nothing of the kind."""
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")


def longest_event_days(session: Session) -> int | None:
    """Days from the earliest to the latest date of the longest event; None without events."""
    if session.get_bind().dialect.name == "postgresql":
        span = "CAST(latest_date AS date) - CAST(earliest_date AS date)"
    else:
        span = "julianday(latest_date) - julianday(earliest_date)"
    longest = session.execute(text(f"SELECT MAX({span}) FROM event")).scalar()
    return None if longest is None else math.ceil(longest)


def analyze(session: Session) -> None:
    """Refresh the planner's statistics, which choose between the filter indexes.

    On SQLite from a sample of each index: a full ANALYZE of a million rows takes longer
    than the rest of a load's end.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA analysis_limit=1000"))
    session.execute(text("ANALYZE"))


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (the CLI prints them)."""
    return sessionmaker(engine, expire_on_commit=False)


def request_session(request: Request) -> Session:
    """A new session on the app's read-only engine; the caller closes it."""
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    return factory()


def one_statement(session: Session) -> None:
    """Let `session`, not yet connected, read without a transaction: on a database server a
    read of one statement needs no snapshot of its own, and its `BEGIN` and `ROLLBACK` would
    be two round trips of three. SQLite begins in process, for nothing worth saving."""
    if session.get_bind().dialect.name != "sqlite":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; reads only, so it is closed without commit.

    `async` only so that FastAPI runs it on the event loop instead of a worker thread:
    creating and closing a session does no I/O (its connection is taken on first use, in
    the endpoint's thread, and given back there).
    """
    with request_session(request) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

"""The conditions a load runs in: its transaction, SQLite pragmas, the paused collector."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, exists, select
from sqlalchemy.orm import Session

from app.db import (
    Base,
    mark_all_visible,
    restore_wal_and_foreign_keys,
    suspend_wal_and_foreign_keys,
)
from app.loading.validation import LoadError

_TABLES = Base.metadata.tables
_SOURCE, _ACTOR, _EVENT = _TABLES["source"], _TABLES["actor"], _TABLES["event"]


def _stores_nothing(connection: Connection) -> bool:
    return not connection.scalar(
        select(
            exists(select(_SOURCE.c.id)) | exists(select(_ACTOR.c.id)) | exists(select(_EVENT.c.id))
        )
    )


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """The transaction a load writes in, committed if the block ends without an error.

    Once committed, PostgreSQL's pages are vacuumed (`app.db.mark_all_visible`). A first
    load into a SQLite file that nothing else has open writes without the
    write-ahead log and foreign-key checks (`app.db.suspend_wal_and_foreign_keys`): the
    loader resolves every reference itself, and with nothing stored no update can cascade.
    """
    with engine.connect() as connection:
        suspended = _stores_nothing(connection)
        connection.rollback()  # SQLite ignores these pragmas inside a transaction
        suspended = suspended and suspend_wal_and_foreign_keys(connection)
        try:
            with Session(connection, expire_on_commit=False) as session, session.begin():
                if suspended and not _stores_nothing(session.connection()):
                    raise LoadError(["another load wrote to the database as this one began"])
                yield session
            mark_all_visible(connection)
        finally:
            if suspended:
                restore_wal_and_foreign_keys(connection)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection while loading: the rows held back to the end grow to millions of
    objects, which every collection would walk again, for no cycle to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

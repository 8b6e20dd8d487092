"""Rows into tables in bulk: PostgreSQL's COPY, the driver's executemany elsewhere.

On PostgreSQL a row insert is a round of parsing, planning and a foreign-key lookup per row;
COPY streams the rows in one statement, and a first load checks the foreign keys of the
tables that grow with the events once, at the end, with a join instead of a lookup per row.
"""

import json
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows`, all with the same keys, in one statement."""
    if not rows:
        return
    connection = session.connection()
    names = list(rows[0])
    values = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    if connection.dialect.name == "postgresql":
        _copy(connection, table, names, [values(row) for row in rows])
    elif any(isinstance(table.c[name].type, JSON) for name in names):
        session.execute(insert(table), rows)
    else:
        # Straight to the driver: SQLAlchemy's per-row parameter handling costs more than
        # SQLite's insert.
        marks = ", ".join(["?"] * len(names))
        statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
        connection.exec_driver_sql(statement, [values(row) for row in rows])


def _copy(
    connection: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """COPY in text format: the server parses each value as its column's type; JSON
    columns are serialized here as SQLAlchemy would (psycopg would send a list as an array)."""
    encoded = [i for i, name in enumerate(names) if isinstance(table.c[name].type, JSON)]
    if encoded:
        rows = [
            tuple(
                json.dumps(value) if i in encoded and value is not None else value
                for i, value in enumerate(row)
            )
            for row in rows
        ]
    driver = connection.connection.driver_connection
    columns = ", ".join(names)
    with (
        driver.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def suspend_foreign_keys(session: Session, tables: Sequence[Table]) -> Callable[[], None]:
    """On PostgreSQL, drop the foreign keys of `tables`; the function returned adds them back,
    which checks every row at once. For a first load, in its transaction: nothing else can
    see the tables meanwhile, and a reference the loader let through fails the commit."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return lambda: None
    names = [table.name for table in tables]
    found = connection.exec_driver_sql(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND conrelid::regclass::text = ANY(%(tables)s)",
        {"tables": names},
    ).all()
    for table, name, _ in found:
        connection.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")

    def restore() -> None:
        for table, name, definition in found:
            connection.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")

    return restore

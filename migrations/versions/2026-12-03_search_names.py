"""`search_names` on events and actors: the folded titles, names and aliases that rank a match.

Rows already stored get theirs from their own columns here, so ranking works without a
reload.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app import search

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns whose texts make up each table's names, as the loader writes them.
NAMES = {
    "event": ("title_en", "title_nl", "title_fr"),
    "actor": ("name_en", "name_nl", "name_fr", "aliases"),
}
BATCH = 10_000


def _names(row: Sequence[object]) -> str:
    """`search_names` from a row of (id, names...), where `aliases` is a list of names."""
    texts: list[str] = []
    for value in row[1:]:
        texts += [str(alias) for alias in value] if isinstance(value, list) else [str(value)]
    return search.names_text(texts)


def upgrade() -> None:
    """Add the columns, then fill them from the rows' names, a batch at a time."""
    connection = op.get_bind()
    for name, columns in NAMES.items():
        # Added in place (no batch copy): SQLite's search index is tied to the table's rows.
        op.add_column(name, sa.Column("search_names", sa.Text(), server_default="", nullable=False))
        table = sa.table(
            name,
            sa.column("id", sa.String()),
            sa.column("search_names", sa.Text()),
            *(sa.column(c, sa.JSON() if c == "aliases" else sa.Text()) for c in columns),
        )
        read = sa.select(table.c.id, *(table.c[c] for c in columns)).order_by(table.c.id)
        write = table.update().where(table.c.id == sa.bindparam("key"))
        write = write.values(search_names=sa.bindparam("names"))
        batch = connection.execute(read.limit(BATCH)).all()
        while batch:
            values = [{"key": row[0], "names": _names(row)} for row in batch]
            connection.execute(write, values)
            after = read.where(table.c.id > batch[-1][0]).limit(BATCH)
            batch = connection.execute(after).all()


def downgrade() -> None:
    """Drop the columns."""
    for name in NAMES:
        op.drop_column(name, "search_names")

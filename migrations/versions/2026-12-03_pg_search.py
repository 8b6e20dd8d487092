"""PostgreSQL: statistics on `search_vector` deep enough to tell a rare word from a common one.

The planner picks a text search's plan from how many rows it expects the words to match:
a few, and it reads them from the GIN index and sorts them; many, and it walks the date
index until the page is full. It knows a word's share of the rows only when the word is
among the column's most common lexemes, and with fewer than 100 of those it assumes 2 % for
every `word:*`: a rare word then walked the date index through most of the table (1.3 s at
100k events instead of 1 ms). Three times the default statistics target keeps the lexemes
of about one row in 2,000 and more (up to 3,000 of them); rarer words are estimated below
the least of those. ANALYZE then samples 90,000 rows instead of 30,000: a few seconds more
per load. See docs/performance.md, "PostgreSQL". Nothing changes on SQLite, whose FTS5
index answers every word the same way.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

from app import search

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATISTICS_TARGET = 300


def _set_target(target: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in search.SEARCHABLE:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS {target}")
        # Rows already stored are counted now, not at the next load's ANALYZE.
        op.execute(f"ANALYZE {table} (search_vector)")


def upgrade() -> None:
    """Raise the statistics target of both search vectors and gather them again."""
    _set_target(STATISTICS_TARGET)


def downgrade() -> None:
    """Back to the server's default target."""
    _set_target(-1)

"""Widen event.start_date and event.end_date on PostgreSQL to hold EDTF level 1 dates as written
(`2021-05-24?`, `2021-05-XX`, `..`): the bounds columns stay ISO days, so existing rows,
indexes and page cursors are unchanged.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _resize(old: int, new: int) -> None:
    # SQLite ignores VARCHAR lengths, and a batch rebuild of `event` would drop its search
    # triggers and renumber the rowids its search index points to: PostgreSQL's only.
    if op.get_bind().dialect.name != "postgresql":
        return
    for column, nullable in (("start_date", False), ("end_date", True)):
        op.alter_column(
            "event",
            column,
            type_=sa.String(new),
            existing_type=sa.String(old),
            existing_nullable=nullable,
        )


def upgrade() -> None:
    """Widen the event date columns from 10 to 40 characters."""
    _resize(10, 40)


def downgrade() -> None:
    """Narrow them again; fails on PostgreSQL while a longer EDTF date is stored."""
    _resize(40, 10)

"""Indexes that serve each event filter in date order, and the longest event span.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED = ("type", "country", "importance")


def upgrade() -> None:
    """(column, earliest_date, id) per filter column, replacing the one-column indexes.

    A page filtered on one value then reads its rows already in page order and stops
    after `limit`, however many rows match.
    """
    for column in FILTERED:
        op.drop_index(f"ix_event_{column}", table_name="event")
        op.create_index(f"ix_event_{column}_date", "event", [column, "earliest_date", "id"])
    with op.batch_alter_table("dataset") as batch_op:
        batch_op.add_column(sa.Column("longest_event_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Back to one-column indexes."""
    with op.batch_alter_table("dataset") as batch_op:
        batch_op.drop_column("longest_event_days")
    for column in FILTERED:
        op.drop_index(f"ix_event_{column}_date", table_name="event")
        op.create_index(f"ix_event_{column}", "event", [column])

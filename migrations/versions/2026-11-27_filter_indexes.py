"""Indexes that serve each event filter in date order, and the longest event span.

Each index also carries latest_date after the sort key, so a period filter is checked in
the index, without reading the rows it rejects.

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
    """(column, earliest_date, id, latest_date) per filter column, instead of (column).

    A page filtered on one value then reads its rows already in page order and stops
    after `limit`, however many rows match.
    """
    op.drop_index("ix_event_earliest_date_id", table_name="event")
    op.create_index("ix_event_date", "event", ["earliest_date", "id", "latest_date"])
    for column in FILTERED:
        op.drop_index(f"ix_event_{column}", table_name="event")
        op.create_index(
            f"ix_event_{column}_date", "event", [column, "earliest_date", "id", "latest_date"]
        )
    with op.batch_alter_table("dataset") as batch_op:
        batch_op.add_column(sa.Column("longest_event_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Back to one-column indexes."""
    with op.batch_alter_table("dataset") as batch_op:
        batch_op.drop_column("longest_event_days")
    for column in FILTERED:
        op.drop_index(f"ix_event_{column}_date", table_name="event")
        op.create_index(f"ix_event_{column}", "event", [column])
    op.drop_index("ix_event_date", table_name="event")
    op.create_index("ix_event_earliest_date_id", "event", ["earliest_date", "id"])

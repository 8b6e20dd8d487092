"""Each event's earliest date on its actors' rows, indexed, so an actor's events are listed
in date order from one index range.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Copy event.earliest_date to event_actor and replace the actor index with
    (actor_id, earliest_date, event_id)."""
    with op.batch_alter_table("event_actor") as batch_op:
        batch_op.add_column(sa.Column("earliest_date", sa.String(10), nullable=True))
    op.execute(
        "UPDATE event_actor SET earliest_date ="
        " (SELECT earliest_date FROM event WHERE event.id = event_actor.event_id)"
    )
    with op.batch_alter_table("event_actor") as batch_op:
        batch_op.alter_column("earliest_date", existing_type=sa.String(10), nullable=False)
        batch_op.drop_index("ix_event_actor_actor_id")
        batch_op.create_index(
            "ix_event_actor_actor_date", ["actor_id", "earliest_date", "event_id"]
        )


def downgrade() -> None:
    """Back to the plain actor index, without the copied dates."""
    with op.batch_alter_table("event_actor") as batch_op:
        batch_op.drop_index("ix_event_actor_actor_date")
        batch_op.create_index("ix_event_actor_actor_id", ["actor_id"])
        batch_op.drop_column("earliest_date")

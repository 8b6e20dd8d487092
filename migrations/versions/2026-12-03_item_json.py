"""`event_item`: each event as lists show it, in each language, rendered by the load.

A database upgraded to this revision has no items yet: its list pages build each event's JSON
on request, as before, until the next load that changes something renders them all.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The table, empty."""
    op.create_table(
        "event_item",
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("json", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_item_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "language", name=op.f("pk_event_item")),
    )


def downgrade() -> None:
    """Drop it: list pages build every event's JSON on request again."""
    op.drop_table("event_item")

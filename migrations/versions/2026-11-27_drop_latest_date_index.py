"""Drop the index on event.latest_date alone: every period filter now reads the date
indexes, which carry latest_date after the sort key, and `load` spent time building it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Drop ix_event_latest_date."""
    op.drop_index("ix_event_latest_date", table_name="event")


def downgrade() -> None:
    """Create ix_event_latest_date again."""
    op.create_index("ix_event_latest_date", "event", ["latest_date"])

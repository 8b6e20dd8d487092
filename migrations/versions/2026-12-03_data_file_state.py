"""The hash of each data file as last loaded or exported, so that `export` keeps hand edits.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table; it starts empty, as no file was recorded yet."""
    op.create_table(
        "data_file_state",
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("path", name=op.f("pk_data_file_state")),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("data_file_state")

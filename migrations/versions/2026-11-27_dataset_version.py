"""Dataset version and per-record content hashes, for HTTP validators and cheap reloads.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HASHED = ("source", "actor", "event")


def upgrade() -> None:
    """Add the dataset table and a content hash on every top-level record."""
    op.create_table(
        "dataset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset")),
    )
    for table in HASHED:
        # Existing rows get an empty hash, so the next load rewrites them once.
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("content_hash", sa.String(length=64), nullable=False, server_default="")
            )
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("content_hash", server_default=None)


def downgrade() -> None:
    """Drop them again."""
    for table in HASHED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("content_hash")
    op.drop_table("dataset")

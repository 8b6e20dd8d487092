"""`read_change`: each release after the first with the records whose reading it changed.

A pinned read probes it instead of each row's versions and those of what the row shows.
The upgrade writes the rows of every release already made, as the loads that made them
would have (`app.loading.read_changes`), from the history and the current links.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from app.loading import read_changes

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The table, then the rows of the releases made so far."""
    op.create_table(
        "read_change",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("release", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release"], ["release.number"], name=op.f("fk_read_change_release_release")
        ),
        sa.PrimaryKeyConstraint("kind", "record_id", "release", name=op.f("pk_read_change")),
    )
    op.create_index("ix_read_change_release", "read_change", ["kind", "release", "record_id"])
    with Session(bind=op.get_bind()) as session:
        read_changes.record(session)
    # Without statistics PostgreSQL reads the table whole for every row a page probes.
    op.execute("ANALYZE read_change")


def downgrade() -> None:
    """Drop it: the code of the revision before probes each row's versions instead."""
    op.drop_index("ix_read_change_release", table_name="read_change")
    op.drop_table("read_change")

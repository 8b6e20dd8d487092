"""Facet counts of the common filters, kept per data version by the load that makes it, and
an index that holds, by event id, every column facets count.

A database upgraded to this revision has no counts for its current data version: its facets
are counted on request until the next load that changes something.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The table, empty, and the index."""
    op.create_table(
        "facet_count",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("facet", sa.String(length=40), nullable=False),
        sa.Column("rank", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("covered", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("version", "scope", "facet", "rank", name=op.f("pk_facet_count")),
    )
    op.create_index(
        "ix_event_facets",
        "event",
        ["id", "type", "country", "importance", "disputed", "start_date"],
    )


def downgrade() -> None:
    """Drop both: facets are counted on request, from the events' rows, again."""
    op.drop_index("ix_event_facets", table_name="event")
    op.drop_table("facet_count")

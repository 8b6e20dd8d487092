"""Initial schema: sources, actors, events and their links.

Revision ID: 0001
Revises:
Create Date: 2026-11-27 12:46:31.719595
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "actor",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_nl", sa.String(length=300), nullable=False),
        sa.Column("name_fr", sa.String(length=300), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_nl", sa.Text(), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("wikidata", sa.String(length=20), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor")),
    )
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actor_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_actor_kind"), ["kind"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("title_nl", sa.Text(), nullable=False),
        sa.Column("title_fr", sa.Text(), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=False),
        sa.Column("summary_nl", sa.Text(), nullable=False),
        sa.Column("summary_fr", sa.Text(), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=False),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("earliest_date", sa.String(length=10), nullable=False),
        sa.Column("latest_date", sa.String(length=10), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("importance", sa.Integer(), nullable=False),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_country"), ["country"], unique=False)
        batch_op.create_index("ix_event_earliest_date_id", ["earliest_date", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_importance"), ["importance"], unique=False)
        batch_op.create_index("ix_event_latest_date", ["latest_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_type"), ["type"], unique=False)

    op.create_table(
        "source",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("published", sa.String(length=10), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
    )
    op.create_table(
        "actor_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=100), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["actor.id"],
            name=op.f("fk_actor_relation_object_id_actor"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["actor.id"],
            name=op.f("fk_actor_relation_subject_id_actor"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_relation")),
        sa.UniqueConstraint(
            "subject_id", "type", "object_id", name=op.f("uq_actor_relation_subject_id")
        ),
    )
    with op.batch_alter_table("actor_relation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_actor_relation_object_id"), ["object_id"], unique=False
        )

    op.create_table(
        "event_actor",
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("actor_id", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("fk_event_actor_actor_id_actor")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_actor_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "actor_id", "role", name=op.f("pk_event_actor")),
    )
    with op.batch_alter_table("event_actor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_actor_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "event_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["event.id"],
            name=op.f("fk_event_relation_object_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["event.id"],
            name=op.f("fk_event_relation_subject_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_relation")),
        sa.UniqueConstraint(
            "subject_id", "type", "object_id", name=op.f("uq_event_relation_subject_id")
        ),
    )
    with op.batch_alter_table("event_relation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_relation_object_id"), ["object_id"], unique=False
        )

    op.create_table(
        "event_tag",
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_event_tag_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "tag", name=op.f("pk_event_tag")),
    )
    with op.batch_alter_table("event_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_tag_tag"), ["tag"], unique=False)

    op.create_table(
        "figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("measure", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("qualifier", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("description_nl", sa.Text(), nullable=False),
        sa.Column("description_fr", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_figure_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure")),
    )
    with op.batch_alter_table("figure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_figure_event_id"), ["event_id"], unique=False)

    op.create_table(
        "dispute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=True),
        sa.Column("figure_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN event_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN figure_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_dispute_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_dispute_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["figure_id"],
            ["figure.id"],
            name=op.f("fk_dispute_figure_id_figure"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute")),
    )
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_figure_id"), ["figure_id"], unique=False)

    op.create_table(
        "citation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=True),
        sa.Column("figure_id", sa.Integer(), nullable=True),
        sa.Column("dispute_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.String(length=100), nullable=True),
        sa.Column("actor_relation_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN event_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN figure_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN dispute_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN actor_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN actor_relation_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_citation_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("fk_citation_actor_id_actor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["actor_relation_id"],
            ["actor_relation.id"],
            name=op.f("fk_citation_actor_relation_id_actor_relation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["dispute.id"],
            name=op.f("fk_citation_dispute_id_dispute"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_citation_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["figure_id"],
            ["figure.id"],
            name=op.f("fk_citation_figure_id_figure"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_citation_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citation")),
    )
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citation_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_citation_actor_relation_id"), ["actor_relation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_citation_dispute_id"), ["dispute_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_figure_id"), ["figure_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citation_source_id"))
        batch_op.drop_index(batch_op.f("ix_citation_figure_id"))
        batch_op.drop_index(batch_op.f("ix_citation_event_id"))
        batch_op.drop_index(batch_op.f("ix_citation_dispute_id"))
        batch_op.drop_index(batch_op.f("ix_citation_actor_relation_id"))
        batch_op.drop_index(batch_op.f("ix_citation_actor_id"))

    op.drop_table("citation")
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispute_figure_id"))
        batch_op.drop_index(batch_op.f("ix_dispute_event_id"))

    op.drop_table("dispute")
    with op.batch_alter_table("figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_figure_event_id"))

    op.drop_table("figure")
    with op.batch_alter_table("event_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_tag_tag"))

    op.drop_table("event_tag")
    with op.batch_alter_table("event_relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_relation_object_id"))

    op.drop_table("event_relation")
    with op.batch_alter_table("event_actor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_actor_actor_id"))

    op.drop_table("event_actor")
    with op.batch_alter_table("actor_relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_relation_object_id"))

    op.drop_table("actor_relation")
    op.drop_table("source")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_type"))
        batch_op.drop_index("ix_event_latest_date")
        batch_op.drop_index(batch_op.f("ix_event_importance"))
        batch_op.drop_index("ix_event_earliest_date_id")
        batch_op.drop_index(batch_op.f("ix_event_country"))

    op.drop_table("event")
    with op.batch_alter_table("actor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_kind"))
        batch_op.drop_index(batch_op.f("ix_actor_country"))

    op.drop_table("actor")

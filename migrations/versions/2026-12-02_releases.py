"""Releases and record history; an existing database's content becomes release 1.

The baseline versions carry the records' stored content hashes but no content: the next
load that changes a record records its new content in full.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("source", "actor", "event")
BASELINE_NOTE = "The data as it stood when releases began to be recorded."


def upgrade() -> None:
    """Create the tables, then record what is stored as release 1."""
    release = op.create_table(
        "release",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_release")),
    )
    op.create_table(
        "record_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("release", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=40), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["release"], ["release.number"], name=op.f("fk_record_version_release_release")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_version")),
    )
    op.create_index("ix_record_version_record", "record_version", ["kind", "record_id", "id"])
    op.create_index("ix_record_version_release", "record_version", ["release", "id"])
    _baseline(release)


def _baseline(release: sa.Table) -> None:
    """Release 1 from the stored records, hashed as `app.loading.history` hashes content."""
    connection = op.get_bind()
    counts: dict[str, dict[str, int]] = {}
    total = 0
    rows: list[tuple[str, str, str]] = []
    for kind in KINDS:
        stored = connection.execute(sa.text(f"SELECT id, content_hash FROM {kind}")).all()
        counts[kind] = {"created": len(stored), "updated": 0, "deleted": 0}
        rows += [(kind, record_id, digest) for record_id, digest in stored]
    if not rows:
        return
    for kind, record_id, digest in rows:
        token = hashlib.sha256(f"{kind}\0{record_id}\0{digest}".encode()).digest()
        total = (total + int.from_bytes(token)) % (1 << 256)
    now = datetime.now(UTC).replace(microsecond=0)
    op.bulk_insert(
        release,
        [
            {
                "number": 1,
                "created_at": now,
                "note": BASELINE_NOTE,
                "content_hash": f"{total:064x}",
                "counts": counts,
            }
        ],
    )
    for kind in KINDS:
        connection.execute(
            sa.text(
                "INSERT INTO record_version (kind, record_id, release, change, fields, digest)"
                f" SELECT '{kind}', id, 1, 'created', '[]', content_hash FROM {kind} ORDER BY id"
            )
        )


def downgrade() -> None:
    """Drop the history."""
    op.drop_index("ix_record_version_release", table_name="record_version")
    op.drop_index("ix_record_version_record", table_name="record_version")
    op.drop_table("record_version")
    op.drop_table("release")
